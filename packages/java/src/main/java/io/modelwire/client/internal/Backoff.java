package io.modelwire.client.internal;

import io.modelwire.client.RetryOptions;
import java.util.function.DoubleSupplier;

/**
 * Backoff before retry n: {@code min(max, initial * multiplier^(n-1))}, full jitter or none.
 *
 * <pre>{@code Backoff.delayMs(options, 2, Math::random) // in [0, 200] with the defaults }</pre>
 */
public final class Backoff {
  private Backoff() {}

  /**
   * The delay before retry {@code n} (1-based).
   *
   * <pre>{@code long d = Backoff.delayMs(opts, 1, () -> 0.5); }</pre>
   *
   * @param o retry options
   * @param n retry number, 1 for the first retry
   * @param random uniform [0,1) source (injected for tests)
   * @return milliseconds
   */
  public static long delayMs(RetryOptions o, int n, DoubleSupplier random) {
    double base = Math.min((double) o.backoffMaxMs(), o.backoffInitialMs() * Math.pow(o.backoffMultiplier(), n - 1));
    if (!o.fullJitter()) return Math.round(base);
    return Math.round(random.getAsDouble() * base);
  }
}
