package io.modelwire.client.errors;

/**
 * Any other 5xx or unexpected status (code from the body, else {@code HTTP_<status>}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (ServerException e) { // report to the model owner
 * }
 * }</pre>
 */
public class ServerException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new ServerException(ErrorInfo.of("HTTP_500", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public ServerException(ErrorInfo info) {
    super(info);
  }
}
