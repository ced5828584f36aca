package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.NotFoundException;
import io.modelwire.client.errors.RateLimitException;
import io.modelwire.client.errors.ServerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The consecutive-failures breaker (5 failures open it), on virtual time. */
class BreakerTest {
  static final Map<String, Object> DATA = Map.of("amount", 1);

  static ModelwireClient client(FakeTransport t, VirtualScheduler s, List<ModelwireEvent> events) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s)
        .cache(CacheOptions.disabled()).retry(RetryOptions.defaults().withMaxRetries(0))
        .onEvent(events::add).build();
  }

  static void fail(ModelwireClient c, Class<? extends ModelwireException> type) {
    assertThrows(type, () -> c.predict("fraud-score", DATA));
  }

  @Test
  void opensAfterFiveConsecutiveFailuresAndFailsFast() {
    FakeTransport t = new FakeTransport().then(500, "{}");
    List<ModelwireEvent> events = new ArrayList<>();
    ModelwireClient c = client(t, new VirtualScheduler(true), events);
    for (int i = 0; i < 4; i++) fail(c, ServerException.class);
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"));
    fail(c, ServerException.class);
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score"));
    CircuitOpenException e = assertThrows(CircuitOpenException.class, () -> c.predict("fraud-score", DATA));
    assertEquals("CIRCUIT_OPEN", e.code());
    assertEquals(5, t.count(), "circuit open never touches the network");
    assertTrue(events.stream().anyMatch(ev -> ev.type() == ModelwireEvent.Type.BREAKER_OPEN));
  }

  @Test
  void aSuccessResetsTheStreak() {
    FakeTransport t = new FakeTransport();
    for (int i = 0; i < 4; i++) t.then(500, "{}");
    t.ok("{}");
    for (int i = 0; i < 4; i++) t.then(500, "{}");
    t.ok("{}");
    ModelwireClient c = client(t, new VirtualScheduler(true), new ArrayList<>());
    for (int i = 0; i < 4; i++) fail(c, ServerException.class);
    c.predict("fraud-score", DATA);
    for (int i = 0; i < 4; i++) fail(c, ServerException.class);
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"));
  }

  @Test
  void fourXxAnd429AreIgnoredNotSuccesses() {
    FakeTransport t = new FakeTransport();
    for (int i = 0; i < 4; i++) t.then(500, "{}");
    t.then(404, "{}").then(429, "{}").then(500, "{}");
    ModelwireClient c = client(t, new VirtualScheduler(true), new ArrayList<>());
    for (int i = 0; i < 4; i++) fail(c, ServerException.class);
    fail(c, NotFoundException.class);
    fail(c, RateLimitException.class);
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"), "ignored outcomes do not count");
    fail(c, ServerException.class);
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score"), "nor do they reset the streak");
  }

  @Test
  void halfOpenLetsOneTrialThroughAndATrialSuccessCloses() {
    VirtualScheduler s = new VirtualScheduler(true);
    CompletableFuture<TransportResponse> trial = new CompletableFuture<>();
    FakeTransport t = new FakeTransport();
    for (int i = 0; i < 5; i++) t.then(500, "{}");
    t.then(req -> trial);
    ModelwireClient c = client(t, s, new ArrayList<>());
    for (int i = 0; i < 5; i++) fail(c, ServerException.class);
    s.advance(29_999);
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score"));
    s.advance(1);
    assertEquals(BreakerState.HALF_OPEN, c.breakerState("fraud-score"));
    CompletableFuture<Prediction> first = c.predictAsync("fraud-score", DATA);
    assertThrows(CircuitOpenException.class, () -> c.predict("fraud-score", DATA), "only one trial");
    trial.complete(new TransportResponse(200, Map.of(),
        FakeTransport.envelope("fraud-score", "2", "{}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(1, first.join().attempts());
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"));
  }

  @Test
  void anErrorThrownDuringTheTrialFreesItsSlot() {
    VirtualScheduler s = new VirtualScheduler(true);
    FakeTransport t = new FakeTransport();
    for (int i = 0; i < 5; i++) t.then(500, "{}");
    t.then(req -> {
      throw new AssertionError("a transport that throws an Error, not an exception");
    });
    t.ok("{}");
    ModelwireClient c = client(t, s, new ArrayList<>());
    for (int i = 0; i < 5; i++) fail(c, ServerException.class);
    s.advance(30_000);
    assertThrows(RuntimeException.class, () -> c.predict("fraud-score", DATA));
    // the trial's slot was released: the next call is the trial, and its success closes the breaker
    assertEquals(1, c.predict("fraud-score", DATA).attempts());
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"));
  }

  @Test
  void aTrialFailureReopensAndAnIgnoredTrialStaysHalfOpen() {
    VirtualScheduler s = new VirtualScheduler(true);
    FakeTransport t = new FakeTransport();
    for (int i = 0; i < 5; i++) t.then(500, "{}");
    t.then(404, "{}").then(503, "{}");
    ModelwireClient c = client(t, s, new ArrayList<>());
    for (int i = 0; i < 5; i++) fail(c, ServerException.class);
    s.advance(30_000);
    fail(c, NotFoundException.class);
    assertEquals(BreakerState.HALF_OPEN, c.breakerState("fraud-score"));
    fail(c, io.modelwire.client.errors.UnavailableException.class);
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score"));
    s.advance(29_000);
    assertThrows(CircuitOpenException.class, () -> c.predict("fraud-score", DATA), "new reset timer");
  }

  @Test
  void onePerModelAndPinnedVersion() {
    FakeTransport t = new FakeTransport().then(500, "{}");
    ModelwireClient c = client(t, new VirtualScheduler(true), new ArrayList<>());
    CallOptions v1 = CallOptions.builder().version("1").build();
    for (int i = 0; i < 5; i++) assertThrows(ServerException.class, () -> c.predict("fraud-score", DATA, v1));
    assertEquals(BreakerState.OPEN, c.breakerState("fraud-score", "1"));
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score"));
    assertEquals(BreakerState.CLOSED, c.breakerState("fraud-score", "2"));
  }
}
