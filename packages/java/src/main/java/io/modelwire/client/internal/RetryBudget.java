package io.modelwire.client.internal;

/**
 * Per-client token bucket that stops retry storms: each retry costs tokens, each successful
 * attempt refills a little. Thread-safe.
 *
 * <pre>{@code if (budget.tryTake()) scheduleRetry(); }</pre>
 */
public final class RetryBudget {
  private final boolean enabled;
  private final double max;
  private final double cost;
  private final double refill;
  private double tokens;

  /**
   * Creates a full bucket.
   *
   * <pre>{@code new RetryBudget(true, 10, 1, 0.1) }</pre>
   *
   * @param enabled false: unlimited
   * @param max bucket size (and start)
   * @param cost tokens per retry
   * @param refill tokens per success
   */
  public RetryBudget(boolean enabled, double max, double cost, double refill) {
    this.enabled = enabled;
    this.max = max;
    this.cost = cost;
    this.refill = refill;
    this.tokens = max;
  }

  /** Takes one retry's cost if available. {@code budget.tryTake()} */
  public synchronized boolean tryTake() {
    if (!enabled) return true;
    if (tokens + 1e-9 < cost) return false;
    tokens -= cost;
    return true;
  }

  /** Records a successful attempt. {@code budget.onSuccess()} */
  public synchronized void onSuccess() {
    if (enabled) tokens = Math.min(max, tokens + refill);
  }

  /** Tokens left (for tests and metrics). {@code budget.tokens()} */
  public synchronized double tokens() {
    return tokens;
  }
}
