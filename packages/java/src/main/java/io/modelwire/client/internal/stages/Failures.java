package io.modelwire.client.internal.stages;

import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.TimeoutException;
import java.util.Set;

/**
 * "What counts as a failure" (docs/semantics.md, "Failure table"), apart from what the retry,
 * breaker and fallback stages do about it, so the three can never disagree about a kind of error.
 * Pinned by test/vectors/failures.json; the same predicates as TS {@code policies/failure.ts}.
 *
 * <pre>{@code if (Failures.isBreakerFailure(e)) breaker.onError(…) }</pre>
 */
public final class Failures {
  private Failures() {}

  /**
   * Breaker failure: any HTTP status ≥ 500, a per-attempt timeout, a connection error. Everything
   * else (every 4xx incl. 408/429, malformed 2xx, abort, local errors) is ignored.
   *
   * <pre>{@code Failures.isBreakerFailure(new ServerException(…)) // true for a 5xx }</pre>
   *
   * @param t the outcome
   * @return true when the breaker counts it as a failure
   */
  public static boolean isBreakerFailure(Throwable t) {
    if (t instanceof TimeoutException || t instanceof ConnectionException) return true;
    // a malformed body is about the response, not the model's health, whatever its status
    if (!(t instanceof ModelwireException m) || t instanceof MalformedResponseException) return false;
    return m.httpStatus() != null && m.httpStatus() >= 500;
  }

  /**
   * Retryable: connection errors, per-attempt timeouts and the configured statuses. Nothing else.
   *
   * <pre>{@code Failures.isRetryable(e, Set.of(503)) }</pre>
   *
   * @param t the outcome
   * @param retryOnStatus statuses retried
   * @return true when another attempt may fix it
   */
  public static boolean isRetryable(Throwable t, Set<Integer> retryOnStatus) {
    if (t instanceof TimeoutException || t instanceof ConnectionException) return true;
    if (!(t instanceof ModelwireException m) || t instanceof MalformedResponseException) return false;
    return m.httpStatus() != null && retryOnStatus.contains(m.httpStatus());
  }

  /**
   * Why a backup may be asked (also the stale-if-error trigger): {@code circuit_open} when the
   * breaker is open, {@code retries_exhausted} when the final error is a breaker failure, else null.
   *
   * <pre>{@code Failures.fallbackReason(new CircuitOpenException(…)) // "circuit_open" }</pre>
   *
   * @param t the primary's final error
   * @return the reason or null (no fallback)
   */
  public static String fallbackReason(Throwable t) {
    if (t instanceof CircuitOpenException) return "circuit_open";
    return isBreakerFailure(t) ? "retries_exhausted" : null;
  }
}
