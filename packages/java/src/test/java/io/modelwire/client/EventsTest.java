package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.ModelwireEvent.Type;
import io.modelwire.client.errors.AbortedException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The events of docs/semantics.md with a fake transport and virtual time: types, order and fields. */
class EventsTest {
  private static List<Type> types(List<ModelwireEvent> events) {
    return events.stream().map(ModelwireEvent::type).toList();
  }

  @Test
  void aTimeoutIsARequestErrorAndTheRetryCarriesItsDelayAsANumber() {
    FakeTransport t = new FakeTransport().fail(new HttpTimeoutException("t")).ok("{\"score\":0.1}");
    List<ModelwireEvent> events = new ArrayList<>();
    RetryTest.client(t, new VirtualScheduler(true)).onEvent(events::add).build().predict("fraud-score", RetryTest.DATA);
    assertEquals(List.of(Type.REQUEST, Type.REQUEST_ERROR, Type.RETRY, Type.REQUEST, Type.RESPONSE, Type.CALL_END),
        types(events));
    ModelwireEvent error = events.get(1);
    assertEquals("TIMEOUT", error.errorCode());
    assertEquals(1, error.attempt());
    assertNull(error.status());
    ModelwireEvent retry = events.get(2);
    assertEquals(100L, retry.delayMs());
    assertEquals("TIMEOUT", retry.errorCode());
    assertEquals(1, retry.attempt());
    ModelwireEvent request = events.get(3);
    assertEquals("POST", request.method());
    assertEquals("/models/fraud-score/predict", request.path());
    assertEquals(2, request.attempt());
    assertEquals(200, events.get(4).status());
  }

  @Test
  void theBackupsAttemptsContinueTheCallsNumberingAfterTheFallbackEvent() {
    FakeTransport t = new FakeTransport().then(503, "{}").ok("{\"score\":0.2}");
    List<ModelwireEvent> events = new ArrayList<>();
    Prediction p = RetryTest.client(t, new VirtualScheduler(true)).retry(RetryOptions.defaults().withMaxRetries(0))
        .fallback("fraud-score", "fraud-score-backup").onEvent(events::add).build().predict("fraud-score", RetryTest.DATA);
    assertEquals(2, p.attempts());
    assertEquals(List.of(Type.REQUEST, Type.RESPONSE, Type.FALLBACK, Type.REQUEST, Type.RESPONSE, Type.CALL_END),
        types(events));
    ModelwireEvent end = events.get(5);
    assertEquals("fraud-score", end.model());
    assertEquals("predict", end.operation());
    assertEquals("ok", end.outcome());
    assertEquals(2, end.attempts());
    assertEquals("fraud-score-backup", end.fallback());
    assertFalse(end.cached());
    assertFalse(end.coalesced());
    ModelwireEvent fallback = events.get(2);
    assertEquals("fraud-score", fallback.model());
    assertEquals("fraud-score-backup", fallback.to());
    assertEquals("retries_exhausted", fallback.reason());
    assertEquals("fraud-score-backup", events.get(3).model());
    assertEquals(2, events.get(3).attempt());
  }

  @Test
  void aThrowingListenerNeverChangesTheOutcome() {
    FakeTransport t = new FakeTransport().ok("{\"score\":0.1}");
    Prediction p = RetryTest.client(t, new VirtualScheduler(true)).onEvent(e -> {
      throw new IllegalStateException("listener bug");
    }).build().predict("fraud-score", RetryTest.DATA);
    assertEquals(1, p.attempts());
  }

  @Test
  void theCallersAbortDuringAnAttemptIsARequestErrorAborted() {
    FakeTransport t = new FakeTransport().then(req -> new CompletableFuture<>());
    List<ModelwireEvent> events = new ArrayList<>();
    AbortSignal signal = new AbortSignal();
    CompletableFuture<Prediction> f = RetryTest.client(t, new VirtualScheduler(true)).onEvent(events::add).build()
        .predictAsync("fraud-score", RetryTest.DATA, CallOptions.builder().signal(signal).build());
    signal.abort();
    assertEquals("ABORTED", assertThrows(AbortedException.class, () -> ModelwireClientAccess.join(f)).code());
    assertEquals(List.of(Type.REQUEST, Type.REQUEST_ERROR, Type.CALL_END), types(events));
    assertEquals("ABORTED", events.get(1).errorCode());
    assertEquals("ABORTED", events.get(2).outcome());
  }

  @Test
  void anAttemptEndedByTheDeadlineIsARequestErrorTimeoutAndTheCallEndsDeadlineExceeded() {
    FakeTransport t = new FakeTransport().then(req -> new CompletableFuture<>());
    List<ModelwireEvent> events = new ArrayList<>();
    VirtualScheduler clock = new VirtualScheduler(true);
    CompletableFuture<Prediction> f = RetryTest.client(t, clock).timeout(java.time.Duration.ofSeconds(10))
        .deadline(java.time.Duration.ofMillis(300)).onEvent(events::add).build()
        .predictAsync("fraud-score", RetryTest.DATA, CallOptions.NONE);
    clock.advance(300);
    assertEquals("DEADLINE_EXCEEDED", assertThrows(io.modelwire.client.errors.ModelwireException.class,
        () -> ModelwireClientAccess.join(f)).code());
    assertEquals(List.of(Type.REQUEST, Type.REQUEST_ERROR, Type.CALL_END), types(events));
    assertEquals("TIMEOUT", events.get(1).errorCode(), "a timer of ours ended the attempt");
    assertEquals("DEADLINE_EXCEEDED", events.get(2).outcome());
    assertEquals(1, events.get(2).attempts());
  }

  @Test
  void aCallRejectedByTheChecksEmitsNothing() {
    List<ModelwireEvent> events = new ArrayList<>();
    ModelwireClient c = RetryTest.client(new FakeTransport(), new VirtualScheduler(true)).onEvent(events::add).build();
    assertThrows(io.modelwire.client.errors.InvalidInputException.class, () -> c.predict("Not A Model!", RetryTest.DATA));
    assertTrue(events.isEmpty(), "no call_end for a call the checks rejected: " + events);
  }
}
