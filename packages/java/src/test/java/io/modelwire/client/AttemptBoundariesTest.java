package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.TimeoutException;
import io.modelwire.client.internal.stages.Errors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md, "Attempt boundaries": the per-attempt timeout covers the whole exchange (a
 * transport future that never settles is cut at the bound and cancelled, so the exchange stops) and
 * a half-open trial that stalls still gives its permission back; the deadline bounds the wait for a
 * token. Virtual time, no sleeps.
 */
class AttemptBoundariesTest {
  static final Map<String, Object> DATA = Map.of("amount", 1);

  static ModelwireClient client(FakeTransport t, VirtualScheduler s, BreakerOptions breaker) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s)
        .cache(CacheOptions.disabled()).retry(RetryOptions.defaults().withMaxRetries(0)).breaker(breaker)
        .timeout(Duration.ofMillis(1_000)).build();
  }

  static ModelwireException failure(CompletableFuture<?> f) {
    assertTrue(f.isDone(), "the call should have settled");
    return Errors.asModelwire(f.handle((v, e) -> e).join());
  }

  @Test
  void aStalledExchangeEndsAtTheAttemptTimeoutAndIsCancelled() {
    CompletableFuture<TransportResponse> stalled = new CompletableFuture<>();
    VirtualScheduler s = new VirtualScheduler(false);
    ModelwireClient c = client(new FakeTransport().then(req -> stalled), s, BreakerOptions.defaults());
    CompletableFuture<Prediction> call = c.predictAsync("fraud-score", DATA);
    s.advance(999);
    assertFalse(call.isDone(), "still within the attempt's bound");
    s.advance(1);
    ModelwireException e = failure(call);
    assertTrue(e instanceof TimeoutException, "got " + e);
    assertEquals("TIMEOUT", e.code());
    assertTrue(stalled.isCancelled(), "the transport's exchange is cancelled (its socket released)");
  }

  @Test
  void aStalledHalfOpenTrialReopensTheBreakerAndTheNextTrialCloses() {
    CompletableFuture<TransportResponse> stalled = new CompletableFuture<>();
    FakeTransport t = new FakeTransport().then(503, "{}").then(req -> stalled).ok("{}");
    VirtualScheduler s = new VirtualScheduler(false);
    ModelwireClient c = client(t, s, new BreakerOptions(true, 1, 5_000));
    failure(c.predictAsync("fraud-score", DATA));
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score"));
    s.advance(5_000);
    CompletableFuture<Prediction> trial = c.predictAsync("fraud-score", DATA);
    s.advance(1_000);
    assertTrue(failure(trial) instanceof TimeoutException);
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score"), "the trial's permission was given back");
    s.advance(5_000);
    assertEquals(1, c.predictAsync("fraud-score", DATA).join().attempts());
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"));
  }

  @Test
  void theDeadlineBoundsTheWaitForAToken() {
    VirtualScheduler s = new VirtualScheduler(false);
    FakeTransport t = new FakeTransport().ok("{}");
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s)
        .auth(Auth.provider(() -> new CompletableFuture<>())).deadline(Duration.ofMillis(2_000)).build();
    CompletableFuture<Prediction> call = c.predictAsync("fraud-score", DATA);
    s.advance(1_999);
    assertFalse(call.isDone());
    s.advance(1);
    assertEquals("DEADLINE_EXCEEDED", failure(call).code());
    assertEquals(0, t.count(), "no attempt without a token");
  }

  @Test
  void aBodyAboveTheLimitFromAnyTransportIsResponseTooLarge() {
    FakeTransport t = new FakeTransport().ok("{\"pad\":\"" + "x".repeat(2_000) + "\"}");
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).cache(CacheOptions.disabled()).maxResponseBytes(1_000).build();
    MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> c.predict("fraud-score", DATA));
    assertEquals("RESPONSE_TOO_LARGE", e.code());
    assertEquals(1, t.count(), "not retried");
    assertEquals("identity", t.requests.get(0).headers().get("Accept-Encoding"));
  }
}
