package io.modelwire.client;

/**
 * Breaker choices; defaults from {@code x-modelwire-policy.breaker}.
 *
 * <pre>{@code new BreakerOptions(true, 5, 30_000) }</pre>
 *
 * @param enabled false disables the breaker
 * @param consecutiveFailures failures in a row that open it
 * @param resetTimeoutMs open time before the one half-open trial (always exactly one)
 */
public record BreakerOptions(boolean enabled, int consecutiveFailures, long resetTimeoutMs) {
  /**
   * The contract's defaults. {@code BreakerOptions.defaults()}
   *
   * @return the default breaker options
   */
  public static BreakerOptions defaults() {
    DefaultPolicy p = DefaultPolicy.get();
    return new BreakerOptions(true, p.breakerConsecutiveFailures(), p.breakerResetTimeoutMs());
  }
}
