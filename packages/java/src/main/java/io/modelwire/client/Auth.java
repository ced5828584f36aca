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
 * }</pre>
 */
public sealed interface Auth {

  /** No credentials (the mock server and health endpoints). {@code Auth.none()} */
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
   * OIDC client credentials (e.g. Keycloak): the token is fetched, cached until shortly before
   * expiry and refreshed one at a time.
   *
   * <pre>{@code Auth.oidc(tokenUrl, "svc", secret, null) }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param clientId client id
   * @param clientSecret client secret
   * @param scope space-separated scopes, or null
   * @return the auth
   */
  static Auth oidc(String tokenUrl, String clientId, String clientSecret, String scope) {
    return new Oidc(tokenUrl, clientId, clientSecret, scope);
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
    /** Validates. {@code new StaticToken("t")} */
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
    /** Validates. {@code new TokenProvider(supplier)} */
    public TokenProvider {
      Objects.requireNonNull(provider, "provider");
    }
  }

  /**
   * OIDC client credentials.
   *
   * @param tokenUrl token endpoint
   * @param clientId client id
   * @param clientSecret client secret
   * @param scope scopes or null
   */
  record Oidc(String tokenUrl, String clientId, String clientSecret, String scope) implements Auth {
    /** Validates. {@code new Oidc(url, "svc", "s3cret", null)} */
    public Oidc {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
    }

    @Override
    public String toString() {
      return "Oidc[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=[REDACTED], scope=" + scope + "]";
    }
  }
}
