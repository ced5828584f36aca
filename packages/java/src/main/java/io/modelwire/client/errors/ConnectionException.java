package io.modelwire.client.errors;

/**
 * Connection refused or reset, or DNS failure ({@code CONNECTION_ERROR}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (ConnectionException e) { // check baseUrl and the network
 * }
 * }</pre>
 */
public class ConnectionException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new ConnectionException(ErrorInfo.of("CONNECTION_ERROR", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public ConnectionException(ErrorInfo info) {
    super(info);
  }
}
