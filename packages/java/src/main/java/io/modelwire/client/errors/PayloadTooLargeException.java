package io.modelwire.client.errors;

/**
 * HTTP 413, or an input above {@code maxInputBytes} refused before sending ({@code PAYLOAD_TOO_LARGE}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (PayloadTooLargeException e) { // send a smaller input
 * }
 * }</pre>
 */
public class PayloadTooLargeException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new PayloadTooLargeException(ErrorInfo.of("PAYLOAD_TOO_LARGE", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public PayloadTooLargeException(ErrorInfo info) {
    super(info);
  }
}
