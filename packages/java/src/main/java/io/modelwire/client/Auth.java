package io.modelwire.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How the client authenticates: a static bearer token, a token provider, OIDC client credentials,
 * or nothing. {@code toString()} never shows secrets.
 *
 * <pre>{@code
 * Auth.token("eyJ…");
 * Auth.provider(() -> CompletableFuture.completedFuture(vault.token()));
 * Auth.oidc("https://sso.example/realms/x/protocol/openid-connect/token", "svc", secret, "models:predict");
 * Auth.oidc(tokenUrl, "svc", secret, null).withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC);
 * Auth.oidcPrivateKeyJwt(tokenUrl, "svc", Files.readString(Path.of("svc-key.pem")), "svc-key-1");
 * }</pre>
 */
public sealed interface Auth {

  /**
   * No credentials (the mock server and health endpoints). {@code Auth.none()}
   *
   * @return the no-credentials Auth
   */
  static Auth none() {
    return None.INSTANCE;
  }

  /**
   * A static bearer token.
   *
   * <pre>{@code Auth.token(System.getenv("MODELWIRE_TOKEN")) }</pre>
   *
   * @param token the token
   * @return the auth
   */
  static Auth token(String token) {
    return new StaticToken(token);
  }

  /**
   * A token provider, asked before each attempt and again (once) after a 401.
   *
   * <pre>{@code Auth.provider(() -> CompletableFuture.supplyAsync(vault::token)) }</pre>
   *
   * @param provider supplies the current token
   * @return the auth
   */
  static Auth provider(Supplier<CompletableFuture<String>> provider) {
    return new TokenProvider(provider);
  }

  /**
   * OIDC client credentials (e.g. Keycloak) with a client secret, sent in the form
   * ({@code client_secret_post}; {@link Oidc#withAuthMethod} picks {@code client_secret_basic}). The
   * token is cached until it is due ({@code min(30 s, lifetime / 2)} before it expires) and refreshed
   * one request at a time for every caller; failed token requests pause further ones (1 s, 2 s, 4 s …
   * 30 s). A token failure is an {@link io.modelwire.client.errors.AuthException} with code
   * {@code TOKEN_UNAVAILABLE}.
   *
   * <pre>{@code
   * Auth.oidc(tokenUrl, "svc", secret, "models:predict");
   * Auth.oidc(tokenUrl, "svc", secret, null).withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC);
   * }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param clientId client id
   * @param clientSecret client secret
   * @param scope space-separated scopes, or null
   * @return the auth; its {@code with…} methods set the other options
   */
  static Oidc oidc(String tokenUrl, String clientId, String clientSecret, String scope) {
    return new Oidc(tokenUrl, clientId, clientSecret, scope);
  }

  /**
   * OIDC client credentials with {@code private_key_jwt} (RFC 7523): each token request carries a
   * new assertion signed with the private key (PKCS#8 PEM, RSA or EC P-256) instead of a secret.
   * The algorithm follows the key (RS256 / ES256) unless {@link Oidc#withAlgorithm} sets it; the
   * assertion's audience is the token URL unless {@link Oidc#withAudience} sets it (Keycloak also
   * accepts the realm's issuer URL).
   *
   * <pre>{@code
   * Auth.oidcPrivateKeyJwt(tokenUrl, "svc", Files.readString(Path.of("svc-key.pem")), "svc-key-1")
   *     .withScope("models:predict");
   * }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param clientId client id
   * @param privateKeyPem the private key, PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----})
   * @param keyId the {@code kid} the identity provider knows the key by, or null for none
   * @return the auth
   */
  static Oidc oidcPrivateKeyJwt(String tokenUrl, String clientId, String privateKeyPem, String keyId) {
    return new Oidc(tokenUrl, clientId, null, null, AuthMethod.PRIVATE_KEY_JWT, privateKeyPem, keyId, null, null);
  }

  /** No credentials. */
  enum None implements Auth {
    /** The single instance. */
    INSTANCE
  }

  /**
   * A static token.
   *
   * @param token the bearer token
   */
  record StaticToken(String token) implements Auth {
    /**
     * Validates. {@code new StaticToken("t")}
     *
     * @param token the bearer token (not null)
     */
    public StaticToken {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "StaticToken[token=[REDACTED]]";
    }
  }

  /**
   * A token provider.
   *
   * @param provider supplies the token
   */
  record TokenProvider(Supplier<CompletableFuture<String>> provider) implements Auth {
    /**
     * Validates. {@code new TokenProvider(supplier)}
     *
     * @param provider supplies the token (not null)
     */
    public TokenProvider {
      Objects.requireNonNull(provider, "provider");
    }
  }

  /**
   * OIDC client credentials. The options that depend on each other (a secret for the secret
   * methods, a usable key for {@code private_key_jwt}) are checked when the client is built
   * ({@code InvalidInputException}, code {@code INVALID_OPTIONS}).
   *
   * <pre>{@code
   * Auth.oidcPrivateKeyJwt(tokenUrl, "svc", pem, "key-1").withAlgorithm(SigningAlgorithm.ES256)
   *     .withAudience("https://sso.example/realms/x");
   * }</pre>
   *
   * @param tokenUrl token endpoint
   * @param clientId client id
   * @param clientSecret client secret ({@code client_secret_post} / {@code client_secret_basic}), or null
   * @param scope space-separated scopes, or null
   * @param authMethod how the client authenticates (null: {@code CLIENT_SECRET_POST})
   * @param privateKeyPem {@code private_key_jwt}: the PKCS#8 PEM private key, or null
   * @param keyId {@code private_key_jwt}: the assertion's {@code kid}, or null for none
   * @param algorithm {@code private_key_jwt}: RS256 or ES256, or null to follow the key's type
   * @param audience {@code private_key_jwt}: the assertion's {@code aud}, or null for the token URL
   */
  record Oidc(String tokenUrl, String clientId, String clientSecret, String scope, AuthMethod authMethod,
      String privateKeyPem, String keyId, SigningAlgorithm algorithm, String audience) implements Auth {
    /**
     * Validates. {@code new Oidc(url, "svc", "s3cret", null, AuthMethod.CLIENT_SECRET_BASIC, null, null, null, null)}
     *
     * @param tokenUrl token endpoint (not null)
     * @param clientId client id (not null)
     * @param clientSecret client secret, or null
     * @param scope space-separated scopes, or null
     * @param authMethod how the client authenticates (null: {@code CLIENT_SECRET_POST})
     * @param privateKeyPem {@code private_key_jwt}: the PKCS#8 PEM private key, or null
     * @param keyId {@code private_key_jwt}: the assertion's {@code kid}, or null
     * @param algorithm {@code private_key_jwt}: RS256 or ES256, or null to follow the key's type
     * @param audience {@code private_key_jwt}: the assertion's {@code aud}, or null for the token URL
     */
    public Oidc {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      if (authMethod == null) authMethod = AuthMethod.CLIENT_SECRET_POST;
    }

    /**
     * A secret client ({@code client_secret_post}).
     *
     * <pre>{@code new Oidc(url, "svc", "s3cret", null) }</pre>
     *
     * @param tokenUrl token endpoint
     * @param clientId client id
     * @param clientSecret client secret
     * @param scope scopes or null
     */
    public Oidc(String tokenUrl, String clientId, String clientSecret, String scope) {
      this(tokenUrl, clientId, clientSecret, scope, AuthMethod.CLIENT_SECRET_POST, null, null, null, null);
    }

    /**
     * A copy with another client authentication method. {@code oidc.withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC)}
     *
     * @param method the client authentication method
     * @return the copy
     */
    public Oidc withAuthMethod(AuthMethod method) {
      return new Oidc(tokenUrl, clientId, clientSecret, scope, method, privateKeyPem, keyId, algorithm, audience);
    }

    /**
     * A copy that asks for these space-separated scopes. {@code oidc.withScope("models:predict")}
     *
     * @param scopes space-separated scopes, or null
     * @return the copy
     */
    public Oidc withScope(String scopes) {
      return new Oidc(tokenUrl, clientId, clientSecret, scopes, authMethod, privateKeyPem, keyId, algorithm, audience);
    }

    /**
     * A copy that names the key by this {@code kid}. {@code oidc.withKeyId("svc-key-2")}
     *
     * @param kid the key id, or null for none
     * @return the copy
     */
    public Oidc withKeyId(String kid) {
      return new Oidc(tokenUrl, clientId, clientSecret, scope, authMethod, privateKeyPem, kid, algorithm, audience);
    }

    /**
     * A copy that signs with this algorithm. {@code oidc.withAlgorithm(SigningAlgorithm.ES256)}
     *
     * @param alg RS256 or ES256, or null to follow the key's type
     * @return the copy
     */
    public Oidc withAlgorithm(SigningAlgorithm alg) {
      return new Oidc(tokenUrl, clientId, clientSecret, scope, authMethod, privateKeyPem, keyId, alg, audience);
    }

    /**
     * A copy whose assertions name this audience. {@code oidc.withAudience("https://sso.example/realms/x")}
     *
     * @param aud the audience, or null for the token URL
     * @return the copy
     */
    public Oidc withAudience(String aud) {
      return new Oidc(tokenUrl, clientId, clientSecret, scope, authMethod, privateKeyPem, keyId, algorithm, aud);
    }

    @Override
    public String toString() {
      return "Oidc[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret="
          + (clientSecret == null ? null : "[REDACTED]") + ", scope=" + scope + ", authMethod=" + authMethod.wireName()
          + ", privateKeyPem=" + (privateKeyPem == null ? null : "[REDACTED]") + ", keyId=" + keyId + ", algorithm="
          + algorithm + ", audience=" + audience + "]";
    }
  }
}
