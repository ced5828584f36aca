package io.modelwire.client.errors;

/**
 * The credentials did not work: the gateway answered 401 or 403 ({@code UNAUTHENTICATED} /
 * {@code FORBIDDEN}, with {@link #httpStatus()}), or no token could be had
 * ({@code TOKEN_UNAVAILABLE}: the identity provider refused, broke, was unreachable or did not answer
 * in time, or the token provider failed). A token failure has no {@code httpStatus()} — no gateway
 * answered — but the identity provider's status in {@link #idpStatus()} and its OAuth error in
 * {@link #oauthError()} / {@link #oauthErrorDescription()} when it answered one.
 *
 * <pre>{@code
 * try { client.predict("fraud-score", data); }
 * catch (AuthException e) {
 *   if ("invalid_client".equals(e.oauthError())) rotateClientSecret();
 *   else log.warn("{} (gateway HTTP {}, IdP HTTP {})", e.getMessage(), e.httpStatus(), e.idpStatus());
 * }
 * }</pre>
 */
public class AuthException extends ModelwireException {
  private static final long serialVersionUID = 1L;

  /** The identity provider's HTTP status, or null. */
  private final Integer idpStatus;
  /** The OAuth {@code error}, or null. */
  private final String oauthError;
  /** The OAuth {@code error_description}, or null. */
  private final String oauthErrorDescription;

  /**
   * Creates a gateway's refusal (or a token failure without an identity provider's answer).
   *
   * <pre>{@code new AuthException(ErrorInfo.of("UNAUTHENTICATED", "…").status(401)) }</pre>
   *
   * @param info what went wrong
   */
  public AuthException(ErrorInfo info) {
    this(info, null, null, null);
  }

  /**
   * Creates a token failure with what the identity provider answered.
   *
   * <pre>{@code new AuthException(ErrorInfo.of("TOKEN_UNAVAILABLE", "…"), 401, "invalid_client", "Invalid client credentials") }</pre>
   *
   * @param info what went wrong
   * @param idpStatus the identity provider's HTTP status, or null when it did not answer
   * @param oauthError the OAuth {@code error} it answered, or null
   * @param oauthErrorDescription its {@code error_description} (one line, at most 200 characters), or null
   */
  public AuthException(ErrorInfo info, Integer idpStatus, String oauthError, String oauthErrorDescription) {
    super(info);
    this.idpStatus = idpStatus;
    this.oauthError = oauthError;
    this.oauthErrorDescription = oauthErrorDescription;
  }

  /**
   * A token failure: the identity provider's HTTP status, or {@code null} when it did not answer
   * (unreachable, timed out) or this is the gateway's 401/403.
   *
   * <pre>{@code if (Integer.valueOf(503).equals(e.idpStatus())) alertSso(); }</pre>
   *
   * @return the status or null
   */
  public Integer idpStatus() {
    return idpStatus;
  }

  /**
   * A token failure: the OAuth {@code error} the identity provider answered (RFC 6749 §5.2), e.g.
   * {@code invalid_client}, or {@code null}.
   *
   * <pre>{@code "invalid_scope".equals(e.oauthError()) }</pre>
   *
   * @return the error or null
   */
  public String oauthError() {
    return oauthError;
  }

  /**
   * A token failure: the identity provider's {@code error_description}, one line of at most 200
   * characters with secrets removed, or {@code null}.
   *
   * <pre>{@code log.warn("IdP says: {}", e.oauthErrorDescription()); }</pre>
   *
   * @return the description or null
   */
  public String oauthErrorDescription() {
    return oauthErrorDescription;
  }
}
