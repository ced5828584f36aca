package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.TimeoutException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default java.net.http transport against a real socket (docs/semantics.md, "Response limits",
 * "Attempt boundaries"): a chunked body is counted while it is read and stopped past the limit, a
 * Content-Length above it fails before reading, and a trickled body ends at the attempt timeout
 * counted from the attempt's start; the OIDC token answer is read with its own 1 MiB limit.
 */
class HttpLimitsTest {
  static final Map<String, Object> DATA = Map.of("amount", 1);
  static final byte[] ENVELOPE = FakeTransport.envelope("fraud-score", "2", "{\"label\":\"legit\"}")
      .getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private volatile String mode = "ok";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    x.getRequestBody().readAllBytes();
    x.getResponseHeaders().add("Content-Type", "application/json");
    try (OutputStream out = x.getResponseBody()) {
      switch (mode) {
        case "chunked-huge" -> {
          x.sendResponseHeaders(200, 0); // chunked: no Content-Length
          byte[] part = new byte[1024];
          java.util.Arrays.fill(part, (byte) 'x');
          for (int i = 0; i < 64; i++) out.write(part);
        }
        case "token-2mib" -> {
          x.sendResponseHeaders(200, 0); // chunked, 2 MiB: above the token limit, below the client's
          byte[] part = new byte[64 * 1024];
          java.util.Arrays.fill(part, (byte) ' ');
          for (int i = 0; i < 32; i++) out.write(part);
        }
        case "announced-huge" -> {
          x.sendResponseHeaders(200, 1_000_000);
          out.write(ENVELOPE);
          out.flush(); // some JDKs' servers drop a short fixed-length body on close
          sleep(100);
        }
        case "trickle" -> {
          x.sendResponseHeaders(200, ENVELOPE.length);
          for (byte b : ENVELOPE) {
            out.write(b);
            out.flush();
            sleep(20);
          }
        }
        default -> {
          x.sendResponseHeaders(200, ENVELOPE.length);
          out.write(ENVELOPE);
        }
      }
    } catch (IOException e) {
      // the client hung up on purpose
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ModelwireClient client() {
    return client(Duration.ofMillis(300));
  }

  private ModelwireClient client(Duration timeout) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
        .cache(CacheOptions.disabled()).breaker(new BreakerOptions(false, 5, 30_000))
        .retry(RetryOptions.defaults().withMaxRetries(0)).timeout(timeout)
        .maxResponseBytes(16 * 1024).build();
  }

  @Test
  void aChunkedBodyIsCountedAndStoppedPastTheLimit() {
    ModelwireClient c = client();
    mode = "chunked-huge";
    MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> c.predict("fraud-score", DATA));
    assertEquals("RESPONSE_TOO_LARGE", e.code());
    mode = "ok";
    assertEquals("legit", c.predict("fraud-score", DATA).result().path("label").asText());
    c.close();
  }

  @Test
  void aContentLengthAboveTheLimitFailsBeforeReading() {
    // a long timeout: a loaded machine must not turn this into a Timeout, and a client that read
    // the (short) body would end with a Connection error instead
    ModelwireClient c = client(Duration.ofSeconds(5));
    mode = "announced-huge";
    MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> c.predict("fraud-score", DATA));
    assertEquals("RESPONSE_TOO_LARGE", e.code());
    c.close();
  }

  @Test
  void anOidcTokenAnswerIsReadWithAOneMebibyteLimit() {
    String origin = "http://127.0.0.1:" + server.getAddress().getPort();
    ModelwireClient c = ModelwireClient.builder().baseUrl(origin + "/v1").cache(CacheOptions.disabled())
        .timeout(Duration.ofSeconds(5)).auth(Auth.oidc(origin + "/oauth/token", "svc", "s3cret", null)).build();
    mode = "token-2mib";
    AuthException e = assertThrows(AuthException.class, () -> c.predict("fraud-score", DATA));
    assertTrue(e.getMessage().contains("above 1048576 bytes"), e.getMessage());
    c.close();
  }

  @Test
  void closeStopsTheThreadsOfTheClientsOwnHttpClient() throws InterruptedException {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    ModelwireClient c = client(Duration.ofSeconds(5)); // about close(), not the timeout: load-proof
    c.predict("fraud-score", DATA);
    c.close();
    java.util.List<Thread> left = java.util.List.of();
    for (int i = 0; i < 100; i++) {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !before.contains(t) && t.getName().startsWith("modelwire-http-")).toList();
      if (left.isEmpty()) break;
      Thread.sleep(20);
    }
    assertTrue(left.isEmpty(), "threads left after close(): " + left);
  }

  @Test
  void aTrickledBodyEndsAtTheAttemptTimeoutFromTheAttemptsStart() {
    ModelwireClient c = client();
    mode = "trickle";
    long t0 = System.nanoTime();
    assertThrows(TimeoutException.class, () -> c.predict("fraud-score", DATA));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 250 && ms < 1_000, "settled after " + ms + " ms, timeout 300 ms");
    c.close();
  }
}
