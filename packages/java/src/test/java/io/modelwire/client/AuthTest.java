package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.AuthException;
import io.modelwire.client.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Static tokens, providers and OIDC client credentials; redaction. */
class AuthTest {
  static final Map<String, Object> DATA = Map.of("amount", 1);

  static CompletableFuture<TransportResponse> tokenResponse(String token, int ttl) {
    return FakeTransport.response(200, "{\"access_token\":\"" + token + "\",\"expires_in\":" + ttl + "}", Map.of());
  }

  @Test
  void oidcTokenIsCachedUntilSkewBeforeExpiryAndRefreshedOnce() {
    VirtualScheduler s = new VirtualScheduler(true);
    AtomicInteger tokenCalls = new AtomicInteger();
    FakeTransport t = new FakeTransport().then(req -> {
      if (req.uri().getPath().equals("/oauth/token")) {
        String form = new String(req.body(), StandardCharsets.UTF_8);
        assertTrue(form.contains("grant_type=client_credentials") && form.contains("client_id=svc"));
        return tokenResponse("tok-" + tokenCalls.incrementAndGet(), 60);
      }
      return FakeTransport.response(200, FakeTransport.envelope("m", "1", "{}"), Map.of());
    });
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s)
        .cache(CacheOptions.disabled()).auth(Auth.oidc("http://127.0.0.1:9/oauth/token", "svc", "s3cret", null)).build();
    c.predict("m", DATA);
    c.predict("m", DATA);
    assertEquals(1, tokenCalls.get());
    s.advance(30_001); // 60 s token, 30 s skew
    c.predict("m", DATA);
    assertEquals(2, tokenCalls.get());
    assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-2"),
        t.requests.stream().filter(r -> r.uri().getPath().endsWith("/predict")).map(r -> r.headers().get("Authorization")).toList());
  }

  @Test
  void a401FetchesAFreshTokenAndRepeatsOnce() {
    AtomicInteger tokenCalls = new AtomicInteger();
    FakeTransport t = new FakeTransport().then(req -> {
      if (req.uri().getPath().equals("/oauth/token")) return tokenResponse("tok-" + tokenCalls.incrementAndGet(), 3600);
      boolean fresh = "Bearer tok-2".equals(req.headers().get("Authorization"));
      return fresh ? FakeTransport.response(200, FakeTransport.envelope("m", "1", "{}"), Map.of())
          : FakeTransport.response(401, "{}", Map.of());
    });
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).auth(Auth.oidc("http://127.0.0.1:9/oauth/token", "svc", "s3cret", "a b")).build();
    assertEquals(2, c.predict("m", DATA).attempts(), "the 401 repeat is an attempt, though max_retries is not used");
    assertEquals(2, tokenCalls.get());
  }

  @Test
  void badOidcCredentialsAreAnAuthErrorWithoutTheSecret() {
    FakeTransport t = new FakeTransport().then(401, "{\"error\":\"invalid_client\"}");
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).auth(Auth.oidc("http://127.0.0.1:9/oauth/token", "svc", "s3cret-XYZ", null)).build();
    AuthException e = assertThrows(AuthException.class, () -> c.predict("m", DATA));
    assertFalse(e.getMessage().contains("s3cret-XYZ"));
    assertEquals(1, t.count(), "a refused credential is not retried");
  }

  @Test
  void theTokenRequestAsksForAtMostOneMebibyteAndABiggerAnswerIsRefused() {
    FakeTransport t = new FakeTransport().then(200, "{\"access_token\":\"" + "x".repeat(1 << 20) + "\"}");
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).auth(Auth.oidc("http://127.0.0.1:9/oauth/token", "svc", "s", null)).build();
    AuthException e = assertThrows(AuthException.class, () -> c.predict("m", DATA));
    assertTrue(e.getMessage().contains("above 1048576 bytes"), e.getMessage());
    assertEquals(1L << 20, t.requests.get(0).maxResponseBytes());
  }

  @Test
  void aTokenAnswerWithNaNOrNestedTooDeepIsAnAuthError() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    for (String body : List.of("{\"access_token\":\"t\",\"expires_in\":NaN}",
        "{\"access_token\":\"t\",\"x\":" + deep + "}", "{\"access_token\":\"t\",\"x\":Infinity}")) {
      FakeTransport t = new FakeTransport().then(200, body);
      ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
          .scheduler(new VirtualScheduler(true)).auth(Auth.oidc("http://127.0.0.1:9/oauth/token", "svc", "s", null))
          .build();
      AuthException e = assertThrows(AuthException.class, () -> c.predict("m", DATA),
          body.substring(0, Math.min(40, body.length())));
      assertEquals("TOKEN_UNAVAILABLE", e.code());
      assertNull(e.httpStatus(), "no gateway answered");
      assertEquals(200, e.idpStatus());
      assertEquals(1, t.count(), "no model request without a token");
    }
  }

  @Test
  void staticTokenIsNeverRefreshedAndTokenProviderIsAskedAgainOn401() {
    FakeTransport t = new FakeTransport().then(401, "{}");
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).auth(Auth.token("t-alice")).build();
    assertEquals("UNAUTHENTICATED", assertThrows(AuthException.class, () -> c.predict("m", DATA)).code());
    assertEquals(1, t.count());

    AtomicInteger asked = new AtomicInteger();
    FakeTransport t2 = new FakeTransport().then(401, "{}").ok("{}");
    ModelwireClient c2 = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t2)
        .scheduler(new VirtualScheduler(true))
        .auth(Auth.provider(() -> CompletableFuture.completedFuture("p-" + asked.incrementAndGet()))).build();
    c2.predict("m", DATA);
    List<String> auths = t2.header("Authorization");
    assertEquals(2, auths.size(), "one 401, one repeat");
    int first = Integer.parseInt(auths.get(0).substring("Bearer p-".length()));
    int second = Integer.parseInt(auths.get(1).substring("Bearer p-".length()));
    assertTrue(second > first, "the provider was asked again after the 401: " + auths);
    assertEquals(List.of("Bearer p-1", "Bearer p-2"), auths, "the scope's token is the first attempt's token");
  }

  @Test
  void tokensAreRedactedEverywhere() {
    assertEquals("[REDACTED]", Redaction.headers(Map.of("Authorization", "Bearer secret-token")).get("authorization"));
    assertEquals("abc", Redaction.headers(Map.of("X-Request-Id", "abc")).get("x-request-id"));
    assertFalse(Auth.token("secret-token").toString().contains("secret-token"));
    assertFalse(Auth.oidc("u", "svc", "secret-pass", null).toString().contains("secret-pass"));
    TransportRequest r = new TransportRequest("GET", java.net.URI.create("http://h/v1/models"),
        Map.of("Authorization", "Bearer secret-token"), null, null);
    assertFalse(r.toString().contains("secret-token"));
    assertNull(Redaction.headers(null).get("x"));
  }
}
