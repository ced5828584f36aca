package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.Auth;
import io.modelwire.client.DefaultPolicy;
import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.TransportRequest;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.ErrorInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns an {@link Auth} into bearer tokens and a cache scope. OIDC tokens are cached until
 * {@code tokenRefreshSkewMs} before expiry, with one refresh at a time. Tokens never leave this
 * class except in the Authorization header.
 *
 * <pre>{@code TokenSource ts = TokenSource.of(auth, transport, scheduler, 30_000); ts.token().join(); }</pre>
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
   * <pre>{@code TokenSource.of(Auth.token("t"), transport, scheduler, 30_000) }</pre>
   *
   * @param auth the option
   * @param transport used for OIDC token requests
   * @param scheduler clock
   * @param refreshSkewMs refresh this long before expiry
   * @return the source
   */
  public static TokenSource of(Auth auth, Transport transport, Scheduler scheduler, long refreshSkewMs) {
    if (auth == null || auth instanceof Auth.None) return new None();
    if (auth instanceof Auth.StaticToken s) return new Static(s.token());
    if (auth instanceof Auth.TokenProvider p) return new Provider(p);
    return new Oidc((Auth.Oidc) auth, transport, scheduler, refreshSkewMs);
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
      try {
        return provider.provider().get();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
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

  private static final class Oidc extends TokenSource {
    // one bound for the whole token exchange (headers and body), like an attempt's
    private static final long FETCH_TIMEOUT_MS = 10_000;
    // a token answer is a few hundred bytes; read at most 1 MiB of it (like the TypeScript SDK)
    static final long MAX_TOKEN_RESPONSE_BYTES = 1L << 20;
    // parsed like a model's answer: no NaN/Infinity, no nesting beyond the contract's depth
    private static final ResponseLimits TOKEN_LIMITS =
        new ResponseLimits(MAX_TOKEN_RESPONSE_BYTES, DefaultPolicy.get().maxJsonDepth());
    private record Cached(String token, long refreshAt) {}

    private final Auth.Oidc cfg;
    private final Transport transport;
    private final Scheduler scheduler;
    private final long skewMs;
    private final String scope;
    private volatile Cached cached;
    private CompletableFuture<Cached> refreshing; // guarded by this

    Oidc(Auth.Oidc cfg, Transport transport, Scheduler scheduler, long skewMs) {
      this.cfg = cfg;
      this.transport = transport;
      this.scheduler = scheduler;
      this.skewMs = skewMs;
      this.scope = "oidc:" + Hashing.sha256Hex("oidc\n" + cfg.tokenUrl() + "\n" + cfg.clientId());
    }

    @Override
    public CompletableFuture<String> token() {
      Cached c = cached;
      if (c != null && scheduler.nowMillis() < c.refreshAt()) return CompletableFuture.completedFuture(c.token());
      return refresh().thenApply(Cached::token);
    }

    private synchronized CompletableFuture<Cached> refresh() {
      if (refreshing != null) return refreshing; // one refresh at a time
      CompletableFuture<Cached> f = fetch();
      refreshing = f;
      f.whenComplete((v, e) -> {
        synchronized (this) {
          refreshing = null;
        }
        if (v != null) cached = v;
      });
      return f;
    }

    private CompletableFuture<Cached> fetch() {
      StringBuilder form = new StringBuilder("grant_type=client_credentials")
          .append("&client_id=").append(enc(cfg.clientId()))
          .append("&client_secret=").append(enc(cfg.clientSecret()));
      if (cfg.scope() != null && !cfg.scope().isBlank()) form.append("&scope=").append(enc(cfg.scope()));
      TransportRequest req = new TransportRequest("POST", URI.create(cfg.tokenUrl()),
          Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
          form.toString().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), MAX_TOKEN_RESPONSE_BYTES);
      long now = scheduler.nowMillis();
      CompletableFuture<TransportResponse> exchange = transport.send(req);
      // a token endpoint that stalls must not hold the shared refresh (and every call) for good
      CompletableFuture<Void> timer = scheduler.timer(FETCH_TIMEOUT_MS);
      timer.thenRun(() -> exchange.cancel(true));
      return exchange.handle((res, err) -> {
        timer.cancel(false);
        if (err != null) {
          Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          if (cause instanceof ResponseTooLargeException) throw tooLarge();
          throw new ConnectionException(ErrorInfo.of("CONNECTION_ERROR",
              "OIDC token request to " + RedactedUrl.of(req.uri()) + " failed: "
                  + (exchange.isCancelled() ? "no answer within " + FETCH_TIMEOUT_MS + " ms"
                      : ConnectionReason.of(cause, req.uri()) + " (" + cause.getClass().getSimpleName() + ")")
                  + "; check tokenUrl").cause(cause));
        }
        if (res.status() < 200 || res.status() >= 300) {
          throw new AuthException(ErrorInfo.of("UNAUTHENTICATED",
              "OIDC token request to " + RedactedUrl.of(req.uri()) + " was refused with HTTP " + res.status()
                  + "; check clientId, clientSecret and scope").status(res.status()));
        }
        // a custom Transport may read more than asked: the limit holds whatever reads the body
        if (res.body() != null && res.body().length > MAX_TOKEN_RESPONSE_BYTES) throw tooLarge();
        JsonNode body = TOKEN_LIMITS.parse(res.body()); // null: not JSON, NaN, too deep
        String token = body == null ? null : body.path("access_token").textValue();
        if (token == null || token.isEmpty()) {
          throw new AuthException(ErrorInfo.of("UNAUTHENTICATED",
              "OIDC token endpoint " + RedactedUrl.of(URI.create(cfg.tokenUrl())) + " answered without a usable access_token"));
        }
        return new Cached(token, refreshAt(now, body.path("expires_in").asDouble(DEFAULT_TTL_S)));
      });
    }

    private static final double DEFAULT_TTL_S = 300;

    // expires_in that is not a positive finite number (1e400 parses as Infinity) gets the default
    private long refreshAt(long now, double expiresInS) {
      double ttlS = Double.isFinite(expiresInS) && expiresInS > 0 ? expiresInS : DEFAULT_TTL_S;
      long ttlMs = (long) Math.min(ttlS * 1000, (double) (Long.MAX_VALUE / 4));
      return now + ttlMs - skewMs;
    }

    private AuthException tooLarge() {
      return new AuthException(ErrorInfo.of("UNAUTHENTICATED", "OIDC token endpoint " + RedactedUrl.of(URI.create(cfg.tokenUrl()))
          + " answered with a body above " + MAX_TOKEN_RESPONSE_BYTES + " bytes; check tokenUrl"));
    }

    @Override
    public boolean invalidate(String rejected) {
      Cached c = cached;
      if (c != null && c.token().equals(rejected)) cached = null;
      return true;
    }

    @Override
    public String scope(String token) {
      return scope;
    }

    private static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }
}
