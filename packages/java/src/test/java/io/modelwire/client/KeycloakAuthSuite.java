package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.ModelwireException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Keycloak auth suite (test/keycloak/SUITE.md, K1–K9) for the Java SDK: a real Keycloak, a mock
 * gateway in issuer mode that checks its tokens, the SDK used as a user would (public API only).
 * Mirrors packages/client/test-keycloak/keycloak.test.ts check by check.
 *
 * <p>Its name matches none of surefire's default includes, so {@code mvn verify} does not run it;
 * scripts/test-keycloak.sh runs it with the environment it needs:
 *
 * <pre>{@code
 * MODELWIRE_KEYCLOAK=/tmp/…/keycloak.json MODELWIRE_KEYCLOAK_GATEWAY=http://127.0.0.1:PORT/v1 \
 *   mvn -q -o -B surefire:test -Dtest=KeycloakAuthSuite -Dsurefire.failIfNoSpecifiedTests=true
 * }</pre>
 *
 * <p>Every check fails (never skips) when either variable is missing. The gateway is shared with the
 * other SDKs' suites, so nothing resets it: each check sends its own request ids
 * ({@code kc-java-<check>-<n>}) and reads only its own requests from {@code /__admin/requests}, and
 * only those logged after this suite started (so a re-run reads only its own requests too). No
 * secret or token is ever printed: {@code Authorization} headers are compared by SHA-256
 * fingerprint, and the K4 messages are checked, never shown.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeycloakAuthSuite {
  private static final String MODEL = "fraud-score";
  private static final Map<String, Object> TX = Map.of("amount", 12.5, "country", "FR", "card_present", true);
  private static final String SCOPE = "models:predict";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient ADMIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static Env env;

  /** The running Keycloak (its description) and the issuer-mode gateway in front of it. */
  private record Env(String tokenUrl, String gateway, URI origin, JsonNode clients, long since) {}

  /** Reads {@code MODELWIRE_KEYCLOAK} and {@code MODELWIRE_KEYCLOAK_GATEWAY}; fails (never skips) without. */
  private static synchronized Env env() throws IOException, InterruptedException {
    if (env != null) return env;
    String path = System.getenv("MODELWIRE_KEYCLOAK");
    String gateway = System.getenv("MODELWIRE_KEYCLOAK_GATEWAY");
    if (path == null || path.isBlank() || gateway == null || gateway.isBlank()) {
      fail("MODELWIRE_KEYCLOAK and MODELWIRE_KEYCLOAK_GATEWAY must be set "
          + "(run scripts/test-keycloak.sh under scripts/keycloak/keycloak.mjs run)");
    }
    if (!Files.isRegularFile(Path.of(path))) fail("MODELWIRE_KEYCLOAK=" + path + " is not a file");
    JsonNode description = JSON.readTree(Files.readString(Path.of(path), StandardCharsets.UTF_8));
    String base = gateway.replaceAll("/+$", "");
    URI u = URI.create(base);
    URI origin = URI.create(u.getScheme() + "://" + u.getRawAuthority());
    long since = 0;
    for (JsonNode r : requests(origin)) since = Math.max(since, r.path("seq").asLong());
    env = new Env(description.path("token_url").asText(), base, origin, description.path("clients"), since);
    return env;
  }

  /** The OIDC options for Keycloak client {@code name}, asking for the scope the gateway requires for predict. */
  private static Auth.Oidc oidc(String name) throws IOException, InterruptedException {
    Env e = env();
    JsonNode c = e.clients().path(name);
    if (c.isMissingNode()) fail("the Keycloak description has no client " + name);
    String clientId = c.path("client_id").asText();
    if (c.hasNonNull("private_key_pem")) {
      return Auth.oidcPrivateKeyJwt(e.tokenUrl(), clientId, c.path("private_key_pem").asText(),
              c.hasNonNull("kid") ? c.path("kid").asText() : null)
          .withAlgorithm(SigningAlgorithm.valueOf(c.path("alg").asText()))
          .withScope(SCOPE);
    }
    return Auth.oidc(e.tokenUrl(), clientId, c.path("client_secret").asText(), SCOPE);
  }

  private static Auth.Oidc oidc(String name, UnaryOperator<Auth.Oidc> change) throws IOException, InterruptedException {
    return change.apply(oidc(name));
  }

  /** A client of the gateway with these credentials: no retries, no cache. */
  private static ModelwireClient client(Auth auth) throws IOException, InterruptedException {
    return ModelwireClient.builder()
        .baseUrl(env().gateway())
        .auth(auth)
        .retry(RetryOptions.defaults().withMaxRetries(0))
        .cache(CacheOptions.disabled())
        .build();
  }

  private static CallOptions id(String requestId) {
    return CallOptions.builder().requestId(requestId).build();
  }

  private static void predictAll(ModelwireClient c, String prefix, int n) {
    for (int i = 0; i < n; i++) c.predict(MODEL, TX, id(prefix + "-" + i));
  }

  /** The error {@code call} throws; fails when it succeeds. */
  private static Throwable failure(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
    return fail("the prediction succeeded; an error was expected");
  }

  /** {@code t} as an AuthException; the failure names only its type and code (never its message). */
  private static AuthException authError(Throwable t) {
    if (t instanceof AuthException a) return a;
    String code = t instanceof ModelwireException m ? m.code() : null;
    return fail("expected an AuthException, got " + t.getClass().getName() + (code == null ? "" : " " + code));
  }

  private static List<JsonNode> requests(URI origin) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(origin.resolve("/__admin/requests"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response = ADMIN.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), "GET /__admin/requests");
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(response.body()).path("requests").forEach(out::add);
    return out;
  }

  /**
   * Fingerprints of the {@code Authorization} headers the gateway saw on this suite's requests whose
   * id starts with {@code prefix}, in the gateway's order.
   */
  private static List<String> authorizationsSeen(String prefix) throws IOException, InterruptedException {
    Env e = env();
    List<String> seen = new ArrayList<>();
    for (JsonNode r : requests(e.origin())) {
      if (r.path("seq").asLong() <= e.since()) continue;
      if (!r.path("headers").path("x-request-id").asText("").startsWith(prefix)) continue;
      seen.add(fingerprint(r.path("headers").path("authorization").asText("")));
    }
    return seen;
  }

  /** A short digest of an {@code Authorization} header: comparable, and no token in any output. */
  private static String fingerprint(String authorization) {
    if (authorization.isEmpty()) return "<none>";
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(authorization.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void assertOneAuthorization(List<String> seen, int expected, String what) {
    assertEquals(expected, seen.size(), what + ": requests the gateway saw " + seen);
    assertFalse(seen.contains("<none>"), what + ": a request without Authorization " + seen);
    assertEquals(1, new LinkedHashSet<>(seen).size(), what + ": one and the same Authorization " + seen);
  }

  @Test
  @DisplayName("K1 client_secret_post: one token for many calls")
  void k1ClientSecretPost() throws Exception {
    try (ModelwireClient c = client(oidc("svc-post"))) {
      predictAll(c, "kc-java-k1", 3);
      assertOneAuthorization(authorizationsSeen("kc-java-k1-"), 3, "K1");
    }
  }

  @Test
  @DisplayName("K2 client_secret_basic")
  void k2ClientSecretBasic() throws Exception {
    try (ModelwireClient c = client(oidc("svc-basic", o -> o.withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC)))) {
      predictAll(c, "kc-java-k2", 1);
    }
  }

  @Test
  @DisplayName("K3 private_key_jwt with RS256 and ES256")
  void k3PrivateKeyJwt() throws Exception {
    for (String name : List.of("svc-jwt-rs256", "svc-jwt-es256")) {
      try (ModelwireClient c = client(oidc(name))) {
        predictAll(c, "kc-java-k3-" + name, 1);
      }
    }
  }

  @Test
  @DisplayName("K4 a wrong secret: TOKEN_UNAVAILABLE with the IdP status and OAuth error, no secret in the message")
  void k4WrongSecret() throws Exception {
    String wrong = "wrong-secret-k4";
    String real = env().clients().path("svc-post").path("client_secret").asText();
    Auth.Oidc base = oidc("svc-post");
    Auth.Oidc bad = new Auth.Oidc(base.tokenUrl(), base.clientId(), wrong, base.scope());
    try (ModelwireClient c = client(bad)) {
      AuthException e = authError(failure(() -> c.predict(MODEL, TX, id("kc-java-k4-0"))));
      assertEquals("TOKEN_UNAVAILABLE", e.code());
      assertNull(e.httpStatus(), "no gateway answered: no HTTP status");
      assertEquals(Integer.valueOf(401), e.idpStatus(), "the IdP's status");
      assertEquals("unauthorized_client", e.oauthError(), "the IdP's OAuth error");
      String message = String.valueOf(e.getMessage());
      // never show the message here: it is what is checked for secrets
      assertFalse(message.contains(wrong), "the message holds the wrong secret");
      assertFalse(!real.isEmpty() && message.contains(real), "the message holds the real secret");
      assertEquals(0, authorizationsSeen("kc-java-k4-").size(), "the gateway saw nothing");
    }
  }

  @Test
  @DisplayName("K5 an unknown scope: invalid_scope")
  void k5UnknownScope() throws Exception {
    try (ModelwireClient c = client(oidc("svc-post", o -> o.withScope(SCOPE + " no-such-scope")))) {
      AuthException e = authError(failure(() -> c.predict(MODEL, TX, id("kc-java-k5-0"))));
      assertEquals("TOKEN_UNAVAILABLE", e.code());
      assertEquals(Integer.valueOf(400), e.idpStatus(), "the IdP's status");
      assertEquals("invalid_scope", e.oauthError(), "the IdP's OAuth error");
      assertTrue(String.valueOf(e.getMessage()).contains("scope"), "the message mentions the scope: " + e.getMessage());
    }
  }

  @Test
  @DisplayName("K6 a client without the model role: the gateway's 403")
  void k6NoRole() throws Exception {
    try (ModelwireClient c = client(oidc("svc-norole"))) {
      AuthException e = authError(failure(() -> c.predict(MODEL, TX, id("kc-java-k6-0"))));
      assertEquals("FORBIDDEN", e.code(), e.getMessage());
      assertEquals(Integer.valueOf(403), e.httpStatus(), "the gateway's answer");
    }
  }

  @Test
  @DisplayName("K7 a 10-second token is not fetched per call")
  void k7ShortToken() throws Exception {
    try (ModelwireClient c = client(oidc("svc-short"))) {
      long start = System.nanoTime();
      predictAll(c, "kc-java-k7", 3);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 2_000, "3 predictions within 2 s, took " + ms + " ms");
      assertOneAuthorization(authorizationsSeen("kc-java-k7-"), 3, "K7");
    }
  }

  @Test
  @DisplayName("K8 the IdP goes away: the due but still valid token keeps working")
  void k8IdpGoesAway() throws Exception {
    URI token = URI.create(env().tokenUrl());
    int targetPort = token.getPort() != -1 ? token.getPort() : "https".equals(token.getScheme()) ? 443 : 80;
    try (KeycloakTcpForwarder forwarder = new KeycloakTcpForwarder(token.getHost(), targetPort)) {
      String through = new URI(token.getScheme(), token.getUserInfo(), "127.0.0.1", forwarder.port(),
          token.getPath(), token.getQuery(), null).toString();
      Auth.Oidc direct = oidc("svc-short");
      try (ModelwireClient c = client(Auth.oidc(through, direct.clientId(), direct.clientSecret(), direct.scope()))) {
        predictAll(c, "kc-java-k8-a", 1);
        forwarder.cut();
        Thread.sleep(5_500);
        predictAll(c, "kc-java-k8-b", 1);
        List<String> seen = new ArrayList<>(authorizationsSeen("kc-java-k8-a-"));
        seen.addAll(authorizationsSeen("kc-java-k8-b-"));
        assertOneAuthorization(seen, 2, "K8");
      }
    }
  }

  @Test
  @DisplayName("K9 20 concurrent cold calls share one token request")
  void k9ConcurrentColdCalls() throws Exception {
    try (ModelwireClient c = client(oidc("svc-post"))) {
      List<CompletableFuture<Prediction>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) calls.add(c.predictAsync(MODEL, TX, id("kc-java-k9-" + i)));
      try {
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        fail("a concurrent prediction failed: " + cause.getClass().getName()
            + (cause instanceof ModelwireException m ? " " + m.code() + ": " + m.getMessage() : ""));
      }
      assertOneAuthorization(authorizationsSeen("kc-java-k9-"), 20, "K9");
    }
  }
}
