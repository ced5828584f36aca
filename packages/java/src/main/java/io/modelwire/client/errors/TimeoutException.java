package io.modelwire.client.errors;

/**
 * One attempt got no answer within the per-attempt timeout ({@code TIMEOUT}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (TimeoutException e) { // raise timeout or check the model latency
 * }
 * }</pre>
 */
public class TimeoutException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new TimeoutException(ErrorInfo.of("TIMEOUT", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public TimeoutException(ErrorInfo info) {
    super(info);
  }
}
