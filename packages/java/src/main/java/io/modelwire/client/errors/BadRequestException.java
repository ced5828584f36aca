package io.modelwire.client.errors;

/**
 * HTTP 400: the gateway could not read the request envelope (code from the body, else {@code BAD_REQUEST}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (BadRequestException e) { // fix the request body
 * }
 * }</pre>
 */
public class BadRequestException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new BadRequestException(ErrorInfo.of("BAD_REQUEST", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public BadRequestException(ErrorInfo info) {
    super(info);
  }
}
