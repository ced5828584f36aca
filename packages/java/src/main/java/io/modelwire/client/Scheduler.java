package io.modelwire.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client's notion of time: a clock and delays. Injected so tests run on virtual time without
 * sleeping; the default uses the system clock and one daemon timer thread.
 *
 * <pre>{@code
 * ModelwireClient.builder().scheduler(myVirtualClock).build();
 * }</pre>
 */
public interface Scheduler {
  /**
   * Wall-clock milliseconds since the epoch (used for Retry-After dates, TTLs, token expiry,
   * breaker reset timers).
   *
   * <pre>{@code long now = scheduler.nowMillis(); }</pre>
   *
   * @return now
   */
  long nowMillis();

  /**
   * A future completed after {@code ms} milliseconds; cancelling it cancels the timer.
   *
   * <pre>{@code scheduler.delay(250).thenRun(this::poll); }</pre>
   *
   * @param ms delay in milliseconds (≤ 0 completes at once)
   * @return the timer
   */
  CompletableFuture<Void> delay(long ms);

  /**
   * A timer that bounds work in progress (one attempt's exchange, headers and body), as opposed to
   * {@link #delay} which is a wait the call itself makes (backoff, polling). Same contract as
   * {@code delay}; a virtual clock may keep it pending until time is advanced explicitly.
   *
   * <pre>{@code scheduler.timer(2_000).thenRun(() -> attempt.cancel(true)); }</pre>
   *
   * @param ms delay in milliseconds
   * @return the timer; cancelling it cancels the timer
   */
  default CompletableFuture<Void> timer(long ms) {
    return delay(ms);
  }

  /**
   * The system scheduler (shared daemon timer thread).
   *
   * <pre>{@code Scheduler s = Scheduler.system(); }</pre>
   *
   * @return the default scheduler
   */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /** The default implementation. */
  final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();
    private final ScheduledExecutorService timer;

    private SystemScheduler() {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = Executors.defaultThreadFactory().newThread(r);
        th.setName("modelwire-timer");
        th.setDaemon(true);
        return th;
      });
      t.setRemoveOnCancelPolicy(true);
      this.timer = t;
    }

    @Override
    public long nowMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public CompletableFuture<Void> delay(long ms) {
      if (ms <= 0) return CompletableFuture.completedFuture(null);
      CompletableFuture<Void> f = new CompletableFuture<>();
      var handle = timer.schedule(() -> f.complete(null), ms, TimeUnit.MILLISECONDS);
      f.whenComplete((v, e) -> {
        if (f.isCancelled()) handle.cancel(false);
      });
      return f;
    }
  }
}
