package io.modelwire.client;

/**
 * Breaker choices; defaults from {@code x-modelwire-policy.breaker}.
 *
 * <pre>{@code new BreakerOptions(true, 5, 30_000, 1) }</pre>
 *
 * @param enabled false disables the breaker
 * @param consecutiveFailures failures in a row that open it
 * @param resetTimeoutMs open time before one half-open trial
 * @param halfOpenMaxCalls trial attempts let through while half-open
 */
public record BreakerOptions(boolean enabled, int consecutiveFailures, long resetTimeoutMs, int halfOpenMaxCalls) {
  /** The contract's defaults. {@code BreakerOptions.defaults()} */
  public static BreakerOptions defaults() {
    DefaultPolicy p = DefaultPolicy.get();
    return new BreakerOptions(true, p.breakerConsecutiveFailures(), p.breakerResetTimeoutMs(), p.breakerHalfOpenMaxCalls());
  }
}
