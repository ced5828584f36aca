package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ModelwireException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * OIDC through a client on virtual time (docs/semantics.md, Auth): when a token is due, one shared
 * refresh, a failed refresh that keeps the still-valid token, failure pauses, bounded waits.
 */
class OidcTokenSourceTest {
  static final Map<String, Object> DATA = Map.of("amount", 1);
  static final String TOKEN_URL = "http://127.0.0.1:9/oauth/token";

  /** A gateway that accepts any token, behind an identity provider that answers from a script. */
  static final class Idp {
    final Deque<Supplier<CompletableFuture<TransportResponse>>> answers = new ArrayDeque<>();
    Supplier<CompletableFuture<TransportResponse>> last;
    volatile Function<TransportRequest, CompletableFuture<TransportResponse>> gateway =
        req -> FakeTransport.response(200, FakeTransport.envelope("m", "1", "{}"), Map.of());
    final FakeTransport transport = new FakeTransport().then(req -> {
      if (!req.uri().getPath().equals("/oauth/token")) return gateway.apply(req);
      synchronized (this) {
        if (!answers.isEmpty()) last = answers.poll();
        return last.get();
      }
    });

    synchronized Idp token(String token, int ttlS) {
      answers.add(() -> AuthTest.tokenResponse(token, ttlS));
      return this;
    }

    synchronized Idp status(int status, String body) {
      answers.add(() -> FakeTransport.response(status, body, Map.of()));
      return this;
    }

    synchronized Idp answer(Supplier<CompletableFuture<TransportResponse>> a) {
      answers.add(a);
      return this;
    }

    long tokenRequests() {
      return transport.paths().stream().filter(p -> p.equals("/oauth/token")).count();
    }

    List<String> bearers() {
      return transport.requests.stream().filter(r -> r.uri().getPath().endsWith("/predict"))
          .map(r -> r.headers().get("Authorization")).toList();
    }
  }

  static ModelwireClientBuilder client(Idp idp, VirtualScheduler s, Auth auth) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(idp.transport).scheduler(s)
        .cache(CacheOptions.disabled()).retry(RetryOptions.defaults().withBackoff(1, 2, 5, false)).auth(auth);
  }

  static ModelwireClient client(Idp idp, VirtualScheduler s) {
    return client(idp, s, Auth.oidc(TOKEN_URL, "svc", "s3cret", null)).build();
  }

  static ModelwireException failure(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return assertInstanceOf(ModelwireException.class, e.getCause());
  }

  @Test
  void aShortTokenIsDueAtHalfItsLifetimeNotOnEveryCall() {
    VirtualScheduler s = new VirtualScheduler(true);
    Idp idp = new Idp().token("tok-1", 10).token("tok-2", 10);
    ModelwireClient c = client(idp, s);
    c.predict("m", DATA);
    s.advance(4_999);
    c.predict("m", DATA);
    assertEquals(1, idp.tokenRequests(), "min(30 s, 10 s / 2) = 5 s before expiry: not yet due");
    s.advance(1);
    c.predict("m", DATA);
    assertEquals(2, idp.tokenRequests());
    assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-2"), idp.bearers());
  }

  @Test
  void aFailedRefreshKeepsTheStillValidTokenUntilItExpires() {
    VirtualScheduler s = new VirtualScheduler(true);
    Idp idp = new Idp().token("tok-1", 4)
        .status(503, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"maintenance\"}");
    ModelwireClient c = client(idp, s);
    c.predict("m", DATA);
    s.advance(2_100); // due (after 2 s), valid until 4 s
    c.predict("m", DATA);
    assertEquals(2, idp.tokenRequests(), "the refresh was tried");
    c.predict("m", DATA);
    assertEquals(2, idp.tokenRequests(), "within the 1 s pause: no token request, the valid token is used");
    assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-1"), idp.bearers());
    s.advance(2_000); // expired, and past the pause
    AuthException e = assertThrows(AuthException.class, () -> c.predict("m", DATA));
    assertEquals("TOKEN_UNAVAILABLE", e.code());
    assertNull(e.httpStatus());
    assertEquals(503, e.idpStatus());
    assertEquals("temporarily_unavailable", e.oauthError());
    assertEquals("maintenance", e.oauthErrorDescription());
    assertEquals(0, e.attempts());
    assertEquals(3, idp.bearers().size(), "no model request without a token");
  }

  @Test
  void failuresPauseTokenRequestsForEveryCallerAndAreNotRetriedNorCountedByTheBreaker() {
    VirtualScheduler s = new VirtualScheduler(true);
    Idp idp = new Idp().status(401, "{\"error\":\"invalid_client\"}");
    ModelwireClient c = client(idp, s);
    AuthException first = assertThrows(AuthException.class, () -> c.predict("m", DATA));
    assertEquals(1, idp.tokenRequests(), "a token failure is not retried");
    assertEquals(401, first.idpStatus());

    AuthException paused = assertThrows(AuthException.class, () -> c.predict("m", DATA));
    assertEquals(first.getMessage() + " (token requests paused for another 1000 ms after 1 failure)", paused.getMessage());
    assertEquals(401, paused.idpStatus());
    assertEquals("invalid_client", paused.oauthError());
    assertEquals(1, idp.tokenRequests(), "paused: failed at once");

    s.advance(1_000);
    assertThrows(AuthException.class, () -> c.predict("m", DATA));
    assertEquals(2, idp.tokenRequests());
    s.advance(1_999);
    assertTrue(assertThrows(AuthException.class, () -> c.predict("m", DATA)).getMessage()
        .endsWith("(token requests paused for another 1 ms after 2 failures)"));
    s.advance(1);
    for (int i = 0; i < 6; i++) {
      assertThrows(AuthException.class, () -> c.predict("m", DATA));
      s.advance(30_000);
    }
    assertEquals(BreakerState.CLOSED, c.breakerState("m"), "a token failure never opens a breaker");
    assertTrue(idp.bearers().isEmpty());
  }

  @Test
  void aHangingTokenEndpointIsCutAtTheClientTimeout() {
    VirtualScheduler s = new VirtualScheduler(true);
    CompletableFuture<TransportResponse> hanging = new CompletableFuture<>();
    Idp idp = new Idp().answer(() -> hanging);
    ModelwireClient c = client(idp, s, Auth.oidc(TOKEN_URL, "svc", "s3cret", null)).timeout(Duration.ofMillis(300))
        .deadline(Duration.ofSeconds(5)).build();
    CompletableFuture<Prediction> call = c.predictAsync("m", DATA);
    assertFalse(call.isDone());
    assertEquals(Duration.ofMillis(300), idp.transport.requests.get(0).timeout(), "the request carries the timeout too");
    s.advance(300);
    AuthException e = assertInstanceOf(AuthException.class, failure(call));
    assertEquals("the token endpoint http://127.0.0.1:9/oauth/token did not answer within 300 ms", e.getMessage());
    assertNull(e.idpStatus());
    assertTrue(hanging.isCancelled(), "the exchange is stopped");
  }

  @Test
  void aCallerLeavesAtItsDeadlineWhileTheSharedRefreshGoesOnForOthers() {
    VirtualScheduler s = new VirtualScheduler(true);
    CompletableFuture<TransportResponse> slow = new CompletableFuture<>();
    Idp idp = new Idp().answer(() -> slow);
    ModelwireClient c = client(idp, s);
    CompletableFuture<Prediction> hurried = c.predictAsync("m", DATA,
        CallOptions.builder().deadline(Duration.ofMillis(600)).build());
    CompletableFuture<Prediction> patient = c.predictAsync("m", DATA);
    assertEquals(1, idp.tokenRequests(), "one token request for both callers");
    s.advance(600);
    assertInstanceOf(DeadlineExceededException.class, failure(hurried));
    assertFalse(slow.isCancelled(), "the leaving caller did not cancel the shared request");
    slow.complete(AuthTest.tokenResponse("tok-late", 60).join());
    assertEquals(1, patient.join().attempts());
    assertEquals(List.of("Bearer tok-late"), idp.bearers());
  }

  @Test
  void aRejectedTokenIsNeverSentAgainEvenWhileStillValid() {
    VirtualScheduler s = new VirtualScheduler(true);
    Idp idp = new Idp().token("tok-1", 60).token("tok-2", 60);
    ModelwireClient c = client(idp, s);
    c.predict("m", DATA);
    Function<TransportRequest, CompletableFuture<TransportResponse>> ok = idp.gateway;
    idp.gateway = req -> "Bearer tok-1".equals(req.headers().get("Authorization"))
        ? FakeTransport.response(401, "{}", Map.of()) : ok.apply(req);
    c.predict("m", DATA);
    c.predict("m", DATA);
    assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-2"), idp.bearers());
  }

  @Test
  void theAssertionIsSignedWithTheWallClockOfTheClient() throws Exception {
    VirtualScheduler s = new VirtualScheduler(true);
    Idp idp = new Idp().token("tok-1", 60);
    String pem = TestKeys.pem(TestKeys.ec("secp256r1"));
    client(idp, s, Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc-jwt", pem, "k1")).build().predict("m", DATA);
    String form = new String(idp.transport.requests.get(0).body(), StandardCharsets.UTF_8);
    String assertion = null;
    for (String pair : form.split("&")) {
      if (pair.startsWith("client_assertion=")) assertion = URLDecoder.decode(pair.substring(17), StandardCharsets.UTF_8);
    }
    assertFalse(form.contains("client_secret"), form);
    assertEquals(s.nowMillis() / 1000, SignedJWT.parse(assertion).getJWTClaimsSet().getIssueTime().getTime() / 1000);
  }

  @Test
  void clientSecretBasicSendsNoSecretInTheForm() {
    VirtualScheduler s = new VirtualScheduler(true);
    Idp idp = new Idp().token("tok-1", 60);
    client(idp, s, Auth.oidc(TOKEN_URL, "svc", "s3cret", "a b").withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC)).build()
        .predict("m", DATA);
    TransportRequest token = idp.transport.requests.get(0);
    assertEquals("grant_type=client_credentials&scope=a+b", new String(token.body(), StandardCharsets.UTF_8));
    assertTrue(token.headers().get("Authorization").startsWith("Basic "));
  }

  @Test
  void aTokenProviderThatFailsOrGivesNoTokenIsTokenUnavailable() {
    FakeTransport t = new FakeTransport().ok("{}");
    IllegalStateException down = new IllegalStateException("vault down");
    for (Supplier<CompletableFuture<String>> provider : List.<Supplier<CompletableFuture<String>>>of(
        () -> CompletableFuture.failedFuture(down), () -> { throw down; }, () -> CompletableFuture.completedFuture(""),
        () -> CompletableFuture.completedFuture(null), () -> null)) {
      ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
          .scheduler(new VirtualScheduler(true)).auth(Auth.provider(provider)).build();
      AuthException e = assertThrows(AuthException.class, () -> c.predict("m", DATA));
      assertEquals("TOKEN_UNAVAILABLE", e.code());
      assertNull(e.httpStatus());
      if (e.getCause() != null) assertEquals(down, e.getCause());
    }
    assertEquals(0, t.count(), "nothing was sent");
  }
}
