package io.modelwire.client.errors;

/**
 * HTTP 401 or 403: missing, expired or insufficient credentials ({@code UNAUTHENTICATED} / {@code FORBIDDEN}).
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (AuthException e) { // check the token and its scopes
 * }
 * }</pre>
 */
public class AuthException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * <pre>{@code new AuthException(ErrorInfo.of("UNAUTHENTICATED", "…")) }</pre>
   *
   * @param info what went wrong
   */
  public AuthException(ErrorInfo info) {
    super(info);
  }
}
