package io.modelwire.client;

/**
 * A job callback did not verify; {@link #reason()} is {@code malformed_header},
 * {@code timestamp_out_of_tolerance} or {@code signature_mismatch}.
 *
 * <pre>{@code
 * try { Webhooks.verify(body, header, secret); }
 * catch (WebhookVerificationException e) { return badRequest(e.reason()); }
 * }</pre>
 */
public final class WebhookVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The machine reason. */
  private final String reason;

  /**
   * Creates the error.
   *
   * <pre>{@code new WebhookVerificationException("signature_mismatch", "no v1 matched") }</pre>
   *
   * @param reason machine reason
   * @param message human message
   */
  public WebhookVerificationException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * The machine reason. {@code e.reason()}
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
