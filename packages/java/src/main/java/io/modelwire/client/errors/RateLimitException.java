package io.modelwire.client.errors;

/**
 * HTTP 429: throttled; {@link #retryAfterMs()} tells how long the server asked to wait ({@code RATE_LIMITED}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (RateLimitException e) { // back off for e.retryAfterMs()
 * }
 * }</pre>
 */
public class RateLimitException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new RateLimitException(ErrorInfo.of("RATE_LIMITED", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public RateLimitException(ErrorInfo info) {
    super(info);
  }
}
