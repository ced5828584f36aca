package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.AbortedException;
import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.RateLimitException;
import io.modelwire.client.errors.ServerException;
import io.modelwire.client.errors.TimeoutException;
import io.modelwire.client.errors.UnavailableException;
import io.modelwire.client.errors.ValidationException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** retry → breaker → timeout → transport on virtual time (no sleeps). */
class RetryTest {
  static final Map<String, Object> DATA = Map.of("amount", 129.5);

  static ModelwireClientBuilder client(FakeTransport t, VirtualScheduler s) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s)
        .cache(CacheOptions.disabled())
        .retry(RetryOptions.defaults().withBackoff(100, 2, 2000, false));
  }

  @Test
  void retriesRetryableStatusesWithOneIdentityAndExactBackoff() {
    FakeTransport t = new FakeTransport().then(503, "{}").then(500, "{}").ok("{\"score\":0.1,\"confidence\":0.9}");
    VirtualScheduler s = new VirtualScheduler(true);
    Prediction p = client(t, s).build().predict("fraud-score", DATA, CallOptions.builder().requestId("req-1").build());
    assertEquals(3, p.attempts());
    assertEquals(List.of(100L, 200L), s.sleeps());
    assertEquals(1, new HashSet<>(t.header("Idempotency-Key")).size(), "same Idempotency-Key on every retry");
    assertEquals(List.of("req-1", "req-1", "req-1"), t.header("X-Request-Id"));
    List<String> tps = t.header("traceparent");
    assertEquals(1, tps.stream().map(x -> x.split("-")[1]).distinct().count(), "one trace id");
    assertEquals(3, tps.stream().map(x -> x.split("-")[2]).distinct().count(), "new span per attempt");
    assertEquals(0.9, p.confidence());
  }

  @Test
  void fullJitterStaysWithinTheExponentialBound() {
    FakeTransport t = new FakeTransport().then(503, "{}").then(503, "{}").ok("{}");
    VirtualScheduler s = new VirtualScheduler(true);
    client(t, s).retry(RetryOptions.defaults().withBackoff(100, 2, 2000, true)).random(() -> 0.5).build()
        .predict("fraud-score", DATA);
    assertEquals(List.of(50L, 100L), s.sleeps());
  }

  @Test
  void neverRetries4xxAndKeepsFieldErrors() {
    FakeTransport t = new FakeTransport().then(422,
        "{\"status\":\"error\",\"code\":\"VALIDATION_FAILED\",\"message\":\"bad\",\"request_id\":\"r\",\"trace_id\":\"t\","
            + "\"errors\":[{\"field\":\"/amount\",\"message\":\"must be number\"}]}");
    ValidationException e = assertThrows(ValidationException.class,
        () -> client(t, new VirtualScheduler(true)).build().predict("fraud-score", DATA));
    assertEquals(1, e.attempts());
    assertEquals(422, e.httpStatus());
    assertEquals("/amount", e.errors().get(0).field());
    assertEquals(1, t.count());
  }

  @Test
  void retryAfterReplacesBackoffAndAboveTheCapGivesUpAtOnce() {
    VirtualScheduler s = new VirtualScheduler(true);
    FakeTransport t = new FakeTransport().then(429, "{}", Map.of("Retry-After", "2")).ok("{}");
    assertEquals(2, client(t, s).build().predict("fraud-score", DATA).attempts());
    assertEquals(List.of(2000L), s.sleeps());

    FakeTransport t2 = new FakeTransport().then(429, "{}", Map.of("Retry-After", "31"));
    RateLimitException e = assertThrows(RateLimitException.class,
        () -> client(t2, s).build().predict("fraud-score", DATA));
    assertEquals(31_000L, e.retryAfterMs());
    assertEquals(1, e.attempts());
    assertEquals("RATE_LIMITED", e.code());
  }

  @Test
  void retryAfterBeyondTheDeadlineGivesUpWithTheResponsesError() {
    FakeTransport t = new FakeTransport().then(503, "{}", Map.of("Retry-After", "20"));
    UnavailableException e = assertThrows(UnavailableException.class, () -> client(t, new VirtualScheduler(true))
        .deadline(Duration.ofSeconds(5)).build().predict("fraud-score", DATA));
    assertEquals(20_000L, e.retryAfterMs());
    assertEquals(1, t.count());
  }

  @Test
  void deadlineBoundsBackoffAndCarriesTheLastError() {
    FakeTransport t = new FakeTransport().then(503, "{}");
    VirtualScheduler s = new VirtualScheduler(true);
    DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> client(t, s)
        .retry(RetryOptions.defaults().withBackoff(1000, 2, 5000, false).withMaxRetries(5))
        .deadline(Duration.ofMillis(2500)).build().predict("fraud-score", DATA));
    assertInstanceOf(UnavailableException.class, e.getCause());
    assertEquals("DEADLINE_EXCEEDED", e.code());
    assertEquals(2, t.count(), "attempt, 1000 ms, attempt, then 2000 ms would pass the deadline");
  }

  @Test
  void timeoutsAndConnectionErrorsAreRetriedAndTyped() {
    FakeTransport t = new FakeTransport().fail(new HttpTimeoutException("t")).fail(new IOException("reset")).ok("{}");
    assertEquals(3, client(t, new VirtualScheduler(true)).build().predict("fraud-score", DATA).attempts());

    FakeTransport t2 = new FakeTransport().fail(new HttpTimeoutException("t"));
    TimeoutException te = assertThrows(TimeoutException.class, () -> client(t2, new VirtualScheduler(true))
        .retry(RetryOptions.defaults().withMaxRetries(0)).build().predict("fraud-score", DATA));
    assertEquals("TIMEOUT", te.code());
    FakeTransport t3 = new FakeTransport().fail(new java.net.ConnectException("refused"));
    assertThrows(ConnectionException.class, () -> client(t3, new VirtualScheduler(true))
        .retry(RetryOptions.defaults().withMaxRetries(0)).build().predict("fraud-score", DATA));
  }

  @Test
  void perAttemptTimeoutIsHandedToTheTransport() {
    FakeTransport t = new FakeTransport().ok("{}");
    client(t, new VirtualScheduler(true)).timeout(Duration.ofMillis(1234)).build().predict("fraud-score", DATA);
    assertEquals(Duration.ofMillis(1234), t.requests.get(0).timeout());
  }

  @Test
  void malformedBodiesAndHtml502() {
    FakeTransport t = new FakeTransport().then(200, "<html>");
    MalformedResponseException m = assertThrows(MalformedResponseException.class,
        () -> client(t, new VirtualScheduler(true)).build().predict("fraud-score", DATA));
    assertEquals(1, m.attempts(), "malformed 2xx is not retried");

    FakeTransport t2 = new FakeTransport().then(502, "<html>bad gateway</html>");
    ServerException se = assertThrows(ServerException.class, () -> client(t2, new VirtualScheduler(true))
        .retry(RetryOptions.defaults().withBackoff(1, 1, 1, false)).build().predict("fraud-score", DATA));
    assertEquals("HTTP_502", se.code());
    assertEquals(3, se.attempts());
  }

  @Test
  void retryBudgetStopsRetryStorms() {
    FakeTransport t = new FakeTransport().then(503, "{}");
    ModelwireClient c = client(t, new VirtualScheduler(true))
        .retry(RetryOptions.defaults().withBackoff(1, 1, 1, false).withBudget(true, 3, 1, 0.1))
        .breaker(new BreakerOptions(false, 5, 30_000)).build();
    assertEquals(3, assertThrows(UnavailableException.class, () -> c.predict("fraud-score", DATA)).attempts());
    // 1 token left: one retry, then the bucket is empty
    assertEquals(2, assertThrows(UnavailableException.class, () -> c.predict("fraud-score", DATA)).attempts());
    assertEquals(1, assertThrows(UnavailableException.class, () -> c.predict("fraud-score", DATA)).attempts());
  }

  @Test
  void abortDuringBackoffRejectsAtOnce() {
    VirtualScheduler s = new VirtualScheduler(false); // timers wait: the call sits in its backoff
    FakeTransport t = new FakeTransport().then(503, "{}");
    AbortSignal signal = new AbortSignal();
    CompletableFuture<Prediction> f = client(t, s).build()
        .predictAsync("fraud-score", DATA, CallOptions.builder().signal(signal).build());
    assertEquals(1, t.count());
    assertTrue(!f.isDone(), "waiting in backoff");
    signal.abort();
    AbortedException e = assertThrows(AbortedException.class, () -> ModelwireClientAccess.join(f));
    assertEquals("ABORTED", e.code());
    s.advance(10_000);
    assertEquals(1, t.count(), "no attempt after the abort");
  }

  @Test
  void cancellingTheFutureIsAnAbort() {
    CompletableFuture<TransportResponse> pending = new CompletableFuture<>();
    FakeTransport t = new FakeTransport().then(req -> pending);
    CompletableFuture<Prediction> f = client(t, new VirtualScheduler(true)).build().predictAsync("fraud-score", DATA);
    f.cancel(true);
    assertTrue(pending.isCancelled(), "the in-flight HTTP exchange is cancelled");
  }

  @Test
  void distinctRequestIdsPerCall() {
    FakeTransport t = new FakeTransport().ok("{}");
    ModelwireClient c = client(t, new VirtualScheduler(true)).build();
    c.predict("fraud-score", DATA);
    c.predict("fraud-score", DATA);
    assertNotEquals(t.header("X-Request-Id").get(0), t.header("X-Request-Id").get(1));
  }
}
