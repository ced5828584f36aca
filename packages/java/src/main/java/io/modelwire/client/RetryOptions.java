package io.modelwire.client;

import java.util.Set;

/**
 * Retry choices; defaults come from the contract's {@code x-modelwire-policy.retry}.
 *
 * <pre>{@code RetryOptions.defaults().withMaxRetries(0) // no retries }</pre>
 *
 * @param maxRetries retries after the first attempt
 * @param retryOnStatus statuses retried
 * @param backoffInitialMs first delay
 * @param backoffMultiplier growth
 * @param backoffMaxMs cap
 * @param fullJitter true: uniform in [0, delay]; false: exactly delay
 * @param retryAfterCapMs longest Retry-After honoured; above it the call fails at once
 * @param budgetEnabled use the per-client retry budget
 * @param budgetMaxTokens budget size
 * @param budgetRetryCost cost of one retry
 * @param budgetSuccessRefill refill per successful attempt
 */
public record RetryOptions(
    int maxRetries,
    Set<Integer> retryOnStatus,
    long backoffInitialMs,
    double backoffMultiplier,
    long backoffMaxMs,
    boolean fullJitter,
    long retryAfterCapMs,
    boolean budgetEnabled,
    double budgetMaxTokens,
    double budgetRetryCost,
    double budgetSuccessRefill) {

  /**
   * The contract's defaults. {@code RetryOptions.defaults()}
   *
   * @return the default retry options
   */
  public static RetryOptions defaults() {
    DefaultPolicy p = DefaultPolicy.get();
    return new RetryOptions(p.maxRetries(), Set.copyOf(p.retryOnStatus()),
        p.backoffInitialMs(), p.backoffMultiplier(), p.backoffMaxMs(),
        "full".equals(p.jitter()), p.retryAfterCapMs(), true, p.budgetMaxTokens(), p.budgetRetryCost(),
        p.budgetSuccessRefill());
  }

  /**
   * Copy with another retry count. {@code .withMaxRetries(5)}
   *
   * @param n retries after the first attempt (at least 0)
   * @return the copy
   */
  public RetryOptions withMaxRetries(int n) {
    return new RetryOptions(n, retryOnStatus, backoffInitialMs,
        backoffMultiplier, backoffMaxMs, fullJitter, retryAfterCapMs, budgetEnabled, budgetMaxTokens,
        budgetRetryCost, budgetSuccessRefill);
  }

  /**
   * Copy with another backoff. {@code .withBackoff(50, 2, 1000, false)}
   *
   * @param initialMs first delay
   * @param multiplier growth
   * @param maxMs cap
   * @param jitter true: uniform in [0, delay]; false: exactly delay
   * @return the copy
   */
  public RetryOptions withBackoff(long initialMs, double multiplier, long maxMs, boolean jitter) {
    return new RetryOptions(maxRetries, retryOnStatus, initialMs,
        multiplier, maxMs, jitter, retryAfterCapMs, budgetEnabled, budgetMaxTokens, budgetRetryCost,
        budgetSuccessRefill);
  }

  /**
   * Copy with another Retry-After cap. {@code .withRetryAfterCapMs(5000)}
   *
   * @param capMs longest Retry-After honoured
   * @return the copy
   */
  public RetryOptions withRetryAfterCapMs(long capMs) {
    return new RetryOptions(maxRetries, retryOnStatus,
        backoffInitialMs, backoffMultiplier, backoffMaxMs, fullJitter, capMs, budgetEnabled,
        budgetMaxTokens, budgetRetryCost, budgetSuccessRefill);
  }

  /**
   * Copy with another budget ({@code enabled=false} disables it). {@code .withBudget(true, 10, 1, 0.1)}
   *
   * @param enabled false disables the budget
   * @param maxTokens budget size
   * @param retryCost cost of one retry
   * @param successRefill refill per successful attempt
   * @return the copy
   */
  public RetryOptions withBudget(boolean enabled, double maxTokens, double retryCost, double successRefill) {
    return new RetryOptions(maxRetries, retryOnStatus,
        backoffInitialMs, backoffMultiplier, backoffMaxMs, fullJitter, retryAfterCapMs, enabled, maxTokens,
        retryCost, successRefill);
  }
}
