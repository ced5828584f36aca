package io.modelwire.client;

/**
 * How an OIDC client proves who it is at the token endpoint (docs/semantics.md, "OIDC client
 * credentials: the token request").
 *
 * <pre>{@code
 * Auth.oidc(tokenUrl, "svc", secret, null).withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC);
 * }</pre>
 */
public enum AuthMethod {
  /** The client id and secret in the form body (the default). */
  CLIENT_SECRET_POST("client_secret_post"),
  /** The client id and secret, each form-urlencoded, in HTTP Basic (RFC 6749 §2.3.1); not in the form. */
  CLIENT_SECRET_BASIC("client_secret_basic"),
  /** A new signed JWT assertion per token request (RFC 7523), made with the client's private key. */
  PRIVATE_KEY_JWT("private_key_jwt");

  private final String wireName;

  AuthMethod(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The method's name in OAuth and OIDC metadata ({@code token_endpoint_auth_method}).
   *
   * <pre>{@code AuthMethod.CLIENT_SECRET_BASIC.wireName() // "client_secret_basic" }</pre>
   *
   * @return the name
   */
  public String wireName() {
    return wireName;
  }
}
