package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    assertEquals(List.of(Type.REQUEST, Type.REQUEST_ERROR, Type.RETRY, Type.REQUEST, Type.RESPONSE), types(events));
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
    assertEquals(List.of(Type.REQUEST, Type.RESPONSE, Type.FALLBACK, Type.REQUEST, Type.RESPONSE), types(events));
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
    assertEquals(List.of(Type.REQUEST, Type.REQUEST_ERROR), types(events));
    assertEquals("ABORTED", events.get(1).errorCode());
  }
}
