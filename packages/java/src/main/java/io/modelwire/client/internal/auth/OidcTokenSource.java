package io.modelwire.client.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.Auth;
import io.modelwire.client.DefaultPolicy;
import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.TransportRequest;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.internal.ErrorMapper;
import io.modelwire.client.internal.Hashing;
import io.modelwire.client.internal.ResponseLimits;
import io.modelwire.client.internal.ResponseTooLargeException;
import io.modelwire.client.internal.TokenSource;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OIDC client credentials (docs/semantics.md, "Auth"): one token for every call until it is due
 * ({@code min(skew, lifetime / 2)} before it expires); one token request at a time, shared by every
 * caller, which no single caller's deadline or abort cancels; a failed refresh that keeps the
 * still-valid token; failures that pause token requests for every caller ({@link FailurePause}); and
 * each token request bounded by the client's timeout, so a hanging identity provider cannot hang a
 * call. Every failure is a {@link TokenFailure}. Tokens leave this class only as the return value.
 *
 * <pre>{@code
 * TokenSource tokens = new OidcTokenSource(Auth.oidc(tokenUrl, "svc", secret, null), transport, scheduler,
 *     TokenRequestPolicy.defaults());
 * tokens.token().join();
 * }</pre>
 */
public final class OidcTokenSource extends TokenSource {
  /** A token answer is a few hundred bytes; read at most 1 MiB of it. */
  public static final long MAX_TOKEN_RESPONSE_BYTES = 1L << 20;
  /** {@code expires_in} when the answer has none (or none that is a positive number), in seconds. */
  static final double DEFAULT_LIFETIME_S = 300;
  // parsed like a model's answer: no NaN/Infinity, no nesting beyond the contract's depth
  private static final ResponseLimits TOKEN_LIMITS =
      new ResponseLimits(MAX_TOKEN_RESPONSE_BYTES, DefaultPolicy.get().maxJsonDepth());

  /** A token and the two moments that matter: when to refresh it, and when it stops being valid. */
  private record Held(String token, long dueAt, long expiresAt) {}

  private final Auth.Oidc oidc;
  private final URI tokenUrl;
  private final Transport transport;
  private final Scheduler scheduler;
  private final TokenRequestPolicy policy;
  private final ClientAuthentication authentication;
  private final FailurePause pause;
  private final RecentSecrets secrets = new RecentSecrets();
  private final String scope;
  private volatile Held held;
  private CompletableFuture<String> refreshing; // guarded by this
  private AuthException lastFailure; // guarded by this

  /**
   * Creates the source (the options were checked when the client was built).
   *
   * @param oidc the options
   * @param transport sends token requests
   * @param scheduler clock (token times, the assertion's wall-clock {@code iat}) and timers
   * @param policy skew, timeout, failure pauses
   */
  public OidcTokenSource(Auth.Oidc oidc, Transport transport, Scheduler scheduler, TokenRequestPolicy policy) {
    this.oidc = oidc;
    this.tokenUrl = URI.create(oidc.tokenUrl());
    this.transport = transport;
    this.scheduler = scheduler;
    this.policy = policy;
    this.authentication = ClientAuthentication.of(oidc);
    this.pause = policy.newPause();
    this.scope = "oidc:" + Hashing.sha256Hex("oidc\n" + oidc.tokenUrl() + "\n" + oidc.clientId());
    secrets.add(oidc.clientSecret());
  }

  @Override
  public CompletableFuture<String> token() {
    long now = scheduler.nowMillis();
    Held h = held;
    if (h != null && now < h.dueAt()) return CompletableFuture.completedFuture(h.token());
    String stillValid = h != null && now < h.expiresAt() ? h.token() : null;
    CompletableFuture<String> shared;
    synchronized (this) {
      long pausedMs = pause.remainingMs(now);
      if (pausedMs > 0 && refreshing == null) {
        if (stillValid != null) return CompletableFuture.completedFuture(stillValid);
        return CompletableFuture.failedFuture(TokenFailure.paused(lastFailure, pausedMs, pause.count()));
      }
      shared = refresh();
    }
    // a private copy: a caller that leaves (deadline, abort) never cancels the refresh for the others
    return shared.handle((token, error) -> {
      if (error == null) return token;
      Throwable cause = ErrorMapper.unwrap(error);
      // a due token whose refresh failed is still good until it expires
      if (stillValid != null && cause instanceof AuthException a && TokenFailure.CODE.equals(a.code())) return stillValid;
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    });
  }

  /** Starts the shared refresh, or joins the one in flight; it records its outcome in the pause. */
  private synchronized CompletableFuture<String> refresh() {
    if (refreshing != null) return refreshing;
    CompletableFuture<String> shared = new CompletableFuture<>();
    refreshing = shared;
    requestToken().whenComplete((token, error) -> {
      AuthException failure = null;
      synchronized (this) {
        refreshing = null;
        if (error == null) {
          pause.succeeded();
          lastFailure = null;
        } else {
          pause.failed(scheduler.nowMillis());
          Throwable cause = ErrorMapper.unwrap(error);
          failure = cause instanceof AuthException a ? a : TokenFailure.unreachable(tokenUrl, cause, secrets);
          lastFailure = failure;
        }
      }
      if (failure == null) shared.complete(token);
      else shared.completeExceptionally(failure);
    });
    return shared;
  }

  /** One token request, bounded by the policy's timeout; completes with the token or a TokenFailure. */
  private CompletableFuture<String> requestToken() {
    long startedAt = scheduler.nowMillis();
    TransportRequest request;
    try {
      request = tokenRequest(startedAt);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(TokenFailure.unsigned(e));
    }
    CompletableFuture<TransportResponse> exchange;
    try {
      exchange = transport.send(request);
    } catch (RuntimeException e) {
      exchange = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<TransportResponse> bounded = new CompletableFuture<>();
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<TransportResponse> sent = exchange;
    // an identity provider that stalls (headers or body) must not hold the shared refresh, and every caller
    CompletableFuture<Void> timer = scheduler.timer(policy.timeoutMs());
    timer.thenRun(() -> {
      if (bounded.completeExceptionally(new HttpTimeoutException("no answer within " + policy.timeoutMs() + " ms"))) {
        timedOut.set(true);
        sent.cancel(true);
      }
    });
    sent.whenComplete((res, err) -> {
      timer.cancel(false);
      if (err != null) bounded.completeExceptionally(err);
      else bounded.complete(res);
    });
    return bounded.handle((res, err) -> {
      if (err != null) throw failureOf(ErrorMapper.unwrap(err), timedOut.get());
      return accept(res, startedAt);
    });
  }

  private AuthException failureOf(Throwable cause, boolean timedOut) {
    if (timedOut || cause instanceof HttpTimeoutException) return TokenFailure.timeout(tokenUrl, policy.timeoutMs(), cause);
    ResponseTooLargeException tooLarge = tooLarge(cause);
    if (tooLarge != null) return TokenFailure.tooLarge(tokenUrl, MAX_TOKEN_RESPONSE_BYTES, tooLarge.status());
    return TokenFailure.unreachable(tokenUrl, cause, secrets);
  }

  private static ResponseTooLargeException tooLarge(Throwable t) {
    for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
      if (t instanceof ResponseTooLargeException e) return e;
    }
    return null;
  }

  /** Reads a token answer: 200 with a non-empty {@code access_token}, else a TokenFailure. */
  private String accept(TransportResponse res, long startedAt) {
    // a custom Transport may read more than asked: the limit holds whatever reads the body
    if (res.body() != null && res.body().length > MAX_TOKEN_RESPONSE_BYTES) {
      throw TokenFailure.tooLarge(tokenUrl, MAX_TOKEN_RESPONSE_BYTES, res.status());
    }
    JsonNode body = res.status() == 200 && res.body() != null ? TOKEN_LIMITS.parse(res.body()) : null;
    JsonNode token = body == null ? null : body.get("access_token");
    if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
      throw TokenFailure.answer(tokenUrl, res.status(), res.body(), secrets);
    }
    JsonNode expiresIn = body.get("expires_in");
    double lifetimeS = expiresIn != null && expiresIn.isNumber() && Double.isFinite(expiresIn.doubleValue())
        && expiresIn.doubleValue() > 0 ? expiresIn.doubleValue() : DEFAULT_LIFETIME_S;
    // a huge expires_in must not overflow the arithmetic below
    long lifetimeMs = (long) Math.min(lifetimeS * 1000, (double) (Long.MAX_VALUE / 4));
    long expiresAt = startedAt + lifetimeMs;
    held = new Held(token.textValue(), expiresAt - Math.min(policy.refreshSkewMs(), lifetimeMs / 2), expiresAt);
    secrets.add(token.textValue());
    return token.textValue();
  }

  private TransportRequest tokenRequest(long wallMillis) {
    ClientAuthentication.Credentials credentials = authentication.credentials(wallMillis);
    secrets.add(credentials.secret());
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    credentials.form().forEach((k, v) -> form.append('&').append(k).append('=').append(ClientAuthentication.formEncode(v)));
    if (oidc.scope() != null && !oidc.scope().isBlank()) {
      form.append("&scope=").append(ClientAuthentication.formEncode(oidc.scope()));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    headers.put("Accept", "application/json");
    headers.put("Accept-Encoding", "identity");
    headers.putAll(credentials.headers());
    return new TransportRequest("POST", tokenUrl, headers, form.toString().getBytes(StandardCharsets.UTF_8),
        Duration.ofMillis(policy.timeoutMs()), MAX_TOKEN_RESPONSE_BYTES);
  }

  @Override
  public boolean invalidate(String rejected) {
    // the gateway refused this token: it is never sent again, even while still "valid"
    Held h = held;
    if (h != null && h.token().equals(rejected)) held = null;
    return true;
  }

  @Override
  public String scope(String token) {
    return scope;
  }
}
