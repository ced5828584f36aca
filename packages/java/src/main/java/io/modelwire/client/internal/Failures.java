package io.modelwire.client.internal;

import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.TimeoutException;

/**
 * Failure predicates, kept apart from the policies that use them.
 *
 * <pre>{@code if (Failures.isBreakerFailure(e)) breaker.onError(…) }</pre>
 */
public final class Failures {
  private Failures() {}

  /**
   * Breaker failure: HTTP ≥ 500, per-attempt timeout, connection error. Everything else (4xx incl.
   * 408/429, abort, malformed 2xx) is ignored.
   *
   * <pre>{@code Failures.isBreakerFailure(new ServerException(…)) // true }</pre>
   *
   * @param t the outcome
   * @return true when it counts as a failure
   */
  public static boolean isBreakerFailure(Throwable t) {
    if (t instanceof TimeoutException || t instanceof ConnectionException) return true;
    if (t instanceof ModelwireException m) {
      return m.httpStatus() != null && m.httpStatus() >= 500;
    }
    return false;
  }

  /**
   * Fallback-eligible end of the primary: a retryable failure other than 429 (5xx, timeout,
   * connection). Circuit-open is checked separately.
   *
   * <pre>{@code Failures.isFallbackFailure(e) }</pre>
   *
   * @param t the primary's error
   * @return true when the backup may be asked
   */
  public static boolean isFallbackFailure(Throwable t) {
    return isBreakerFailure(t);
  }
}
