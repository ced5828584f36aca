package io.modelwire.client.internal;

import io.modelwire.client.Auth;
import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.internal.auth.OidcTokenSource;
import io.modelwire.client.internal.auth.TokenFailure;
import io.modelwire.client.internal.auth.TokenRequestPolicy;
import java.util.concurrent.CompletableFuture;

/**
 * Turns an {@link Auth} into bearer tokens and a cache scope: nothing, a static token, a token
 * provider, or OIDC client credentials ({@link OidcTokenSource}). Whatever goes wrong getting a
 * token is an {@code AuthException} with code {@code TOKEN_UNAVAILABLE} ({@link TokenFailure}).
 * Tokens never leave the client except in the Authorization header.
 *
 * <pre>{@code TokenSource ts = TokenSource.of(auth, transport, scheduler, TokenRequestPolicy.of(options)); ts.token().join(); }</pre>
 */
public abstract class TokenSource {
  /**
   * The token for the next attempt (null: send no Authorization header).
   *
   * <pre>{@code ts.token().thenAccept(t -> …) }</pre>
   *
   * @return the token
   */
  public abstract CompletableFuture<String> token();

  /**
   * Forgets a token the server rejected with 401; the next {@link #token()} fetches a fresh one.
   *
   * <pre>{@code ts.invalidate(rejected) }</pre>
   *
   * @param rejected the token that got 401
   * @return whether a fresh token can be obtained (false for static tokens)
   */
  public abstract boolean invalidate(String rejected);

  /**
   * The cache scope for a call that used {@code token} (docs/semantics.md "scope").
   *
   * <pre>{@code ts.scope(token) // "token:5e88…" }</pre>
   *
   * @param token the token used (may be null)
   * @return scope string
   */
  public abstract String scope(String token);

  /**
   * Builds the source for an auth option.
   *
   * <pre>{@code TokenSource.of(Auth.token("t"), transport, scheduler, TokenRequestPolicy.defaults()) }</pre>
   *
   * @param auth the option
   * @param transport used for OIDC token requests
   * @param scheduler clock and timers
   * @param policy OIDC: refresh skew, token request timeout, failure pauses
   * @return the source
   */
  public static TokenSource of(Auth auth, Transport transport, Scheduler scheduler, TokenRequestPolicy policy) {
    if (auth == null || auth instanceof Auth.None) return new None();
    if (auth instanceof Auth.StaticToken s) return new Static(s.token());
    if (auth instanceof Auth.TokenProvider p) return new Provider(p);
    return new OidcTokenSource((Auth.Oidc) auth, transport, scheduler, policy);
  }

  static String tokenScope(String token) {
    return "token:" + Hashing.sha256Hex("token\n" + token);
  }

  private static final class None extends TokenSource {
    @Override
    public CompletableFuture<String> token() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean invalidate(String rejected) {
      return false;
    }

    @Override
    public String scope(String token) {
      return "anonymous";
    }
  }

  private static final class Static extends TokenSource {
    private final CompletableFuture<String> token;
    private final String scope;

    Static(String token) {
      this.token = CompletableFuture.completedFuture(token);
      this.scope = tokenScope(token);
    }

    @Override
    public CompletableFuture<String> token() {
      return token;
    }

    @Override
    public boolean invalidate(String rejected) {
      return false;
    }

    @Override
    public String scope(String t) {
      return scope;
    }
  }

  private static final class Provider extends TokenSource {
    private final Auth.TokenProvider provider;

    Provider(Auth.TokenProvider provider) {
      this.provider = provider;
    }

    @Override
    public CompletableFuture<String> token() {
      CompletableFuture<String> asked;
      try {
        asked = provider.provider().get();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(TokenFailure.providerFailed(e));
      }
      if (asked == null) return CompletableFuture.failedFuture(TokenFailure.providerGaveNoToken());
      return asked.handle((token, error) -> {
        if (error != null) throw TokenFailure.providerFailed(ErrorMapper.unwrap(error));
        if (token == null || token.isEmpty()) throw TokenFailure.providerGaveNoToken();
        return token;
      });
    }

    @Override
    public boolean invalidate(String rejected) {
      return true; // the provider is asked again
    }

    @Override
    public String scope(String token) {
      return token == null ? "anonymous" : tokenScope(token);
    }
  }
}
