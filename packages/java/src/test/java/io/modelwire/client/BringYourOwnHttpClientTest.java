package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.TimeoutException;
import io.modelwire.client.internal.stages.SendStage;
import java.lang.reflect.Method;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bring your own java.net.http client (issue 14): a real HTTPS server on 127.0.0.1 that requires a
 * client certificate signed by a test CA (certificates made by the openssl CLI, {@link TestTls}),
 * and a real forward proxy. The SDK sends every request — token requests too — through the
 * caller's client, maps a refused handshake to the typed ConnectionError with exactly the policy's
 * attempts, keeps its own timeout and deadline, and never closes the caller's client.
 */
class BringYourOwnHttpClientTest {
  static final Map<String, Object> DATA = Map.of("amount", 42, "country", "FR");
  static final String PREDICT = "/v1/models/fraud-score/predict";
  static ExecutorService executor;

  @BeforeAll
  static void start() {
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "callers-http-executor");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    executor.shutdownNow();
  }

  /** The caller's client: trusts the test CA, presents the client certificate when {@code withCert}. */
  static HttpClient.Builder callersClient(boolean withCert) {
    return HttpClient.newBuilder().sslContext(TestTls.get().clientContext(withCert)).executor(executor);
  }

  @Test
  void predictsThroughTheCallersMtlsClient() throws Exception {
    try (TinyHttpServer server = TinyHttpServer.mtls()) {
      HttpClient http = callersClient(true).build();
      ModelwireClient client = ModelwireClient.builder().baseUrl(server.url("/v1")).httpClient(http).build();
      Prediction p = client.predict("fraud-score", DATA);
      assertEquals("legit", p.result().path("label").asText());
      assertEquals(1, p.attempts());
      TinyHttpServer.Request seen = only(server.requests);
      assertEquals("POST " + PREDICT + " HTTP/1.1", seen.line());
      assertEquals("CN=modelwire-test-client", seen.clientCertificate());
      assertEquals(p.requestId(), seen.headers().get("x-request-id"));
      client.close();
    }
  }

  @Test
  void withoutTheClientCertificateTheCallIsAConnectionErrorRetriedAsThePolicySays() throws Exception {
    try (TinyHttpServer server = TinyHttpServer.mtls()) {
      HttpClient http = callersClient(false).build();
      ModelwireClient client = ModelwireClient.builder().baseUrl(server.url("/v1")).httpClient(http)
          .retry(RetryOptions.defaults().withMaxRetries(2).withBackoff(1, 1.0, 1, false)).build();
      ConnectionException e = assertThrows(ConnectionException.class, () -> client.predict("fraud-score", DATA));
      assertEquals("CONNECTION_ERROR", e.code());
      assertEquals(3, e.attempts(), "1 attempt + maxRetries 2");
      assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
      // the server refused exactly one handshake per attempt: neither the SDK nor the client tried more
      assertTrue(eventually(() -> server.handshakesFailed.get() >= 3), "refused: " + server.handshakesFailed);
      assertEquals(3, server.handshakesFailed.get());
      // refused for the missing client certificate (not, say, a client that distrusts the server)
      assertTrue(server.handshakeFailures.stream().allMatch(m -> m.contains("Empty client certificate chain")),
          "handshakes refused for: " + server.handshakeFailures);
      assertEquals(0, server.handshakesOk.get());
      assertTrue(server.requests.isEmpty());
      client.close();
    }
  }

  @Test
  void closeNeverClosesTheCallersClient() throws Exception {
    try (TinyHttpServer server = TinyHttpServer.mtls()) {
      HttpClient http = callersClient(true).build();
      ModelwireClient client = ModelwireClient.builder().baseUrl(server.url("/v1")).httpClient(http).build();
      client.predict("fraud-score", DATA);
      client.close();

      assertThrows(InvalidInputException.class, () -> client.predict("fraud-score", DATA), "the SDK client is closed");
      assertFalse(executor.isShutdown(), "the SDK shut down the caller's executor");
      assertFalse(terminated(http), "the SDK shut down the caller's HttpClient");
      // the caller's client still works, on its own and under a new SDK client
      HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create(server.url(PREDICT)))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, direct.statusCode());
      ModelwireClient again = ModelwireClient.builder().baseUrl(server.url("/v1")).httpClient(http).build();
      assertEquals(1, again.predict("fraud-score", DATA).attempts());
      again.close();
      assertEquals(3, server.requests.size());
    }
  }

  @Test
  void tokenRequestsGoThroughTheCallersClientToo() throws Exception {
    try (TinyHttpServer server = TinyHttpServer.mtls()) {
      // only the caller's client trusts the test CA and has the certificate: a token fetched any other
      // way would fail the handshake (TOKEN_UNAVAILABLE)
      ModelwireClient client = ModelwireClient.builder().baseUrl(server.url("/v1")).httpClient(callersClient(true).build())
          .auth(Auth.oidc(server.url("/oauth/token"), "svc", "secret", "models:predict")).build();
      client.predict("fraud-score", DATA);
      List<String> lines = server.requests.stream().map(TinyHttpServer.Request::line).collect(Collectors.toList());
      assertEquals(List.of("POST /oauth/token HTTP/1.1", "POST " + PREDICT + " HTTP/1.1"), lines);
      assertEquals("Bearer tok-1", server.requests.get(1).headers().get("authorization"));
      client.close();
    }
  }

  @Test
  void theSdksTimeoutAndDeadlineBoundTheCallersClient() throws Exception {
    try (TinyHttpServer server = TinyHttpServer.mtls()) {
      HttpClient http = callersClient(true).build(); // no timeouts of its own
      ModelwireClient timeout = ModelwireClient.builder().baseUrl(server.url("/hang/v1")).httpClient(http)
          .timeout(Duration.ofMillis(200)).retry(RetryOptions.defaults().withMaxRetries(0)).build();
      long start = System.nanoTime();
      ModelwireException e = assertThrows(TimeoutException.class, () -> timeout.predict("fraud-score", DATA));
      assertEquals("TIMEOUT", e.code());
      ModelwireClient deadline = ModelwireClient.builder().baseUrl(server.url("/hang/v1")).httpClient(http)
          .timeout(Duration.ofSeconds(30)).deadline(Duration.ofMillis(300)).build();
      ModelwireException d = assertThrows(ModelwireException.class, () -> deadline.predict("fraud-score", DATA));
      assertEquals("DEADLINE_EXCEEDED", d.code());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded by the SDK, not the client");
      timeout.close();
      deadline.close();
    }
  }

  @Test
  void aForwardProxyInTheCallersClientSeesTheSdksRequest() throws Exception {
    try (TinyHttpServer origin = TinyHttpServer.plain(); ForwardProxy proxy = ForwardProxy.start()) {
      HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
      ModelwireClient client = ModelwireClient.builder().baseUrl(origin.url("/v1")).httpClient(http).build();
      Prediction p = client.predict("fraud-score", DATA);
      // absolute-form for an http:// target, with the SDK's headers
      ForwardProxy.Seen seen = only(proxy.seen);
      assertEquals("POST " + origin.url(PREDICT) + " HTTP/1.1", seen.line());
      assertEquals(SendStage.CLIENT, seen.headers().get("user-agent"));
      assertEquals(p.requestId(), seen.headers().get("x-request-id"));
      assertEquals("POST " + PREDICT + " HTTP/1.1", only(origin.requests).line());
      client.close();
    }
  }

  @Test
  void aProxyTunnelsTheSdksMtlsRequest() throws Exception {
    try (TinyHttpServer server = TinyHttpServer.mtls(); ForwardProxy proxy = ForwardProxy.start()) {
      HttpClient http = callersClient(true).proxy(ProxySelector.of(proxy.address())).build();
      ModelwireClient client = ModelwireClient.builder().baseUrl(server.url("/v1")).httpClient(http).build();
      client.predict("fraud-score", DATA);
      assertEquals("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1", only(proxy.seen).line());
      assertEquals("CN=modelwire-test-client", only(server.requests).clientCertificate());
      client.close();
    }
  }

  @Test
  void anHttpClientAndATransportTogetherAreRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelwireClient.builder()
        .baseUrl("http://127.0.0.1:9/v1").httpClient(HttpClient.newHttpClient()).transport(new FakeTransport()).build());
    assertEquals("INVALID_OPTIONS", e.code());
    assertTrue(e.getMessage().startsWith("httpClient must be"), e.getMessage());
  }

  private static <T> T only(List<T> items) {
    assertEquals(1, items.size(), "expected exactly one: " + items);
    assertNotNull(items.get(0));
    return items.get(0);
  }

  // Java 21+: HttpClient.isTerminated() (the SDK targets 17); on 17-20 a client cannot be shut down
  private static boolean terminated(HttpClient http) throws Exception {
    try {
      Method m = HttpClient.class.getMethod("isTerminated");
      return (Boolean) m.invoke(http);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  // the server counts a refused handshake on its own thread, a moment after the client saw it
  private static boolean eventually(BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) return false;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return true;
  }
}
