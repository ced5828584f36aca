package io.modelwire.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cancellation flag a caller hands to a call, like the web's {@code AbortSignal}. Aborting rejects
 * that caller's call with {@code AbortedException}, also during backoff sleeps; a coalesced upstream
 * request shared with other callers keeps running for them. Cancelling the returned
 * {@code CompletableFuture} has the same effect.
 *
 * <pre>{@code
 * AbortSignal signal = new AbortSignal();
 * var future = client.predictAsync("fraud-score", data, CallOptions.builder().signal(signal).build());
 * signal.abort();
 * }</pre>
 */
public final class AbortSignal {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean aborted;

  /** Creates a signal that is not aborted. {@code new AbortSignal()} */
  public AbortSignal() {}

  /** Aborts (idempotent) and runs the listeners once. {@code signal.abort()} */
  public void abort() {
    synchronized (this) {
      if (aborted) return;
      aborted = true;
    }
    for (Runnable r : listeners) r.run();
    listeners.clear();
  }

  /**
   * True once {@link #abort()} was called. {@code if (signal.isAborted()) …}
   *
   * @return whether the signal was aborted
   */
  public boolean isAborted() {
    return aborted;
  }

  /**
   * Runs {@code listener} on abort (at once if already aborted); returns a handle that removes it.
   *
   * <pre>{@code Runnable off = signal.onAbort(() -> future.cancel(true)); off.run(); }</pre>
   *
   * @param listener what to run
   * @return a runnable that unregisters the listener
   */
  public Runnable onAbort(Runnable listener) {
    synchronized (this) {
      if (!aborted) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
      }
    }
    listener.run();
    return () -> {};
  }
}
