package io.modelwire.client.internal;

import io.modelwire.client.AbortSignal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shares one upstream call among identical calls in flight. The upstream owns its own abort
 * signal: one caller leaving (abort, cancel) rejects only that caller; the upstream is aborted
 * when every caller has left.
 *
 * <pre>{@code coalescer.join(key, callerSignal, upstreamSignal -> pipeline.run(upstreamSignal), abortedError) }</pre>
 *
 * @param <T> result type
 */
public final class Coalescer<T> {
  private final ConcurrentHashMap<String, Flight<T>> flights = new ConcurrentHashMap<>();

  private static final class Flight<T> {
    final AbortSignal upstreamSignal = new AbortSignal();
    final CompletableFuture<T> shared = new CompletableFuture<>();
    int waiters = 1; // guarded by this
    boolean closed; // no more joiners once every caller left

    synchronized boolean tryJoin() {
      if (closed) return false;
      waiters++;
      return true;
    }

    synchronized boolean leave() {
      if (--waiters == 0) {
        closed = true;
        return true;
      }
      return false;
    }
  }

  /**
   * Joins or starts the flight for {@code key}.
   *
   * <pre>{@code CompletableFuture<P> f = coalescer.join(key, signal, s -> upstream(s), () -> aborted(), null); }</pre>
   *
   * @param key identity of the call
   * @param callerSignal this caller's signal (may be null)
   * @param upstream starts the shared call with the flight's own signal
   * @param abortedError the error a leaving caller gets
   * @param onJoined called with the caller's future when it joined a flight someone else started
   *     (e.g. to arm that caller's own deadline); may be null
   * @return this caller's future (cancel it, or complete it exceptionally, to leave)
   */
  public CompletableFuture<T> join(String key, AbortSignal callerSignal,
      Function<AbortSignal, CompletableFuture<T>> upstream, Supplier<RuntimeException> abortedError,
      java.util.function.Consumer<CompletableFuture<T>> onJoined) {
    boolean joined = false;
    Flight<T> flight;
    while (true) {
      Flight<T> existing = flights.get(key);
      if (existing != null && existing.tryJoin()) {
        flight = existing;
        joined = true;
        break;
      }
      Flight<T> fresh = new Flight<>();
      if (existing == null ? flights.putIfAbsent(key, fresh) == null : flights.replace(key, existing, fresh)) {
        flight = fresh;
        CompletableFuture<T> started;
        try {
          started = upstream.apply(fresh.upstreamSignal);
        } catch (RuntimeException e) {
          started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((v, e) -> {
          flights.remove(key, fresh);
          if (e != null) fresh.shared.completeExceptionally(e);
          else fresh.shared.complete(v);
        });
        break;
      }
    }
    CompletableFuture<T> shared = flight.shared;
    CompletableFuture<T> mine = new CompletableFuture<>();
    final Flight<T> f = flight;
    Runnable leave = () -> {
      if (f.leave()) {
        flights.remove(key, f);
        f.upstreamSignal.abort();
      }
    };
    Runnable unlisten = callerSignal == null ? () -> {} : callerSignal.onAbort(() -> mine.completeExceptionally(abortedError.get()));
    mine.whenComplete((v, e) -> {
      // the caller left before the shared call ended (cancel, abort, its own deadline)
      if (e != null && !shared.isDone()) leave.run();
      unlisten.run();
    });
    // before wiring the result: what onJoined does (an event) happens before this caller completes
    if (joined && onJoined != null) onJoined.accept(mine);
    shared.whenComplete((v, e) -> {
      if (e != null) mine.completeExceptionally(e);
      else mine.complete(v);
    });
    return mine;
  }

  /** Flights in progress (tests). {@code coalescer.inFlight()} */
  public int inFlight() {
    return flights.size();
  }
}
