package io.modelwire.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Virtual time for unit tests: no thread ever sleeps. In auto mode a delay advances the clock and
 * completes at once (right for backoff sleeps; wrong for background timers such as a coalesced
 * joiner's deadline, so those tests use manual mode); in manual mode timers wait for
 * {@link #advance(long)}. Attempt timers ({@link #timer}) always wait for {@link #advance(long)}.
 */
final class VirtualScheduler implements Scheduler {
  private long now = 1_764_000_000_000L;
  private final boolean auto;
  private final List<long[]> sleeps = new ArrayList<>();
  private final List<Object[]> timers = new ArrayList<>();

  VirtualScheduler(boolean auto) {
    this.auto = auto;
  }

  @Override
  public synchronized long nowMillis() {
    return now;
  }

  @Override
  public CompletableFuture<Void> delay(long ms) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (this) {
      sleeps.add(new long[] {ms});
      if (!auto) {
        timers.add(new Object[] {now + ms, f});
        return f;
      }
      now += Math.max(0, ms);
    }
    f.complete(null);
    return f;
  }

  /** Bounds of work in progress (attempt timers) wait for {@link #advance(long)} in both modes. */
  @Override
  public CompletableFuture<Void> timer(long ms) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (this) {
      timers.add(new Object[] {now + ms, f});
    }
    return f;
  }

  /** Moves the clock forward and fires due timers. */
  void advance(long ms) {
    List<CompletableFuture<Void>> due = new ArrayList<>();
    synchronized (this) {
      now += ms;
      timers.removeIf(t -> {
        if ((long) t[0] <= now) {
          @SuppressWarnings("unchecked")
          CompletableFuture<Void> f = (CompletableFuture<Void>) t[1];
          due.add(f);
          return true;
        }
        return false;
      });
    }
    due.forEach(f -> f.complete(null));
  }

  /** Delays requested so far, in order. */
  synchronized List<Long> sleeps() {
    List<Long> out = new ArrayList<>();
    sleeps.forEach(s -> out.add(s[0]));
    return out;
  }
}
