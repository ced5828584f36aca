package io.modelwire.client.errors;

/**
 * A 2xx body that is not JSON or not the contract's envelope ({@code MALFORMED_RESPONSE}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (MalformedResponseException e) { // check that baseUrl points at a modelwire gateway
 * }
 * }</pre>
 */
public class MalformedResponseException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public MalformedResponseException(ErrorInfo info) {
    super(info);
  }
}
