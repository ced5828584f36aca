package io.modelwire.client.internal.auth;

import java.util.function.DoubleSupplier;

/**
 * How long token requests pause after consecutive failures (docs/semantics.md, "Token failures back
 * off"): after the n-th failure {@code min(maxMs, initialMs × 2^(n−1))}, drawn uniformly from
 * {@code [pause / 2, pause]} with full jitter, exactly the pause without. One per token source, so
 * every caller shares it; a success ends it and starts the count again.
 *
 * <pre>{@code
 * FailurePause pause = new FailurePause(1_000, 30_000, false, Math::random);
 * pause.failed(now); pause.remainingMs(now) // 1000
 * }</pre>
 */
public final class FailurePause {
  private final long initialMs;
  private final long maxMs;
  private final boolean fullJitter;
  private final DoubleSupplier random;
  private int failures;
  private long until;

  /**
   * Creates a pause that has not started.
   *
   * @param initialMs the pause after the first failure
   * @param maxMs the longest pause
   * @param fullJitter true: uniform in the pause's upper half; false: exactly the pause
   * @param random uniform source in [0, 1) (the client's, injected in tests)
   */
  public FailurePause(long initialMs, long maxMs, boolean fullJitter, DoubleSupplier random) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.fullJitter = fullJitter;
    this.random = random;
  }

  /**
   * Records a failed token request at {@code now}.
   *
   * <pre>{@code long ms = pause.failed(scheduler.nowMillis()); }</pre>
   *
   * @param now the failure's time (ms)
   * @return the pause it starts (ms)
   */
  public synchronized long failed(long now) {
    failures++;
    // 2^(n-1) overflows past n = 63; the cap is reached long before
    double ceiling = Math.min((double) maxMs, initialMs * Math.pow(2, Math.min(failures - 1, 62)));
    long pauseMs = fullJitter ? Math.round(ceiling / 2 + random.getAsDouble() * (ceiling / 2)) : Math.round(ceiling);
    until = now + pauseMs;
    return pauseMs;
  }

  /** A token request succeeded: no pause, and the next failure pauses {@code initialMs} again. {@code pause.succeeded()} */
  public synchronized void succeeded() {
    failures = 0;
    until = 0;
  }

  /**
   * Milliseconds until a token request may be sent again (0: now).
   *
   * <pre>{@code if (pause.remainingMs(now) > 0) … }</pre>
   *
   * @param now the time (ms)
   * @return the wait
   */
  public synchronized long remainingMs(long now) {
    return Math.max(0, until - now);
  }

  /** Consecutive failures so far. {@code pause.count()} */
  public synchronized int count() {
    return failures;
  }
}
