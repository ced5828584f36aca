package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.errors.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Options refused before anything is sent, and the /v1 hint on a 404 (docs/semantics.md). */
class ClientChecksTest {
  private static ModelwireClientBuilder builder(FakeTransport t) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").transport(t).scheduler(new VirtualScheduler(true));
  }

  private static String refusedOption(UnaryOperator<ModelwireClientBuilder> change) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> change.apply(builder(new FakeTransport())).build());
    assertEquals("INVALID_OPTIONS", e.code());
    return e.getMessage();
  }

  @Test
  void builderOptionsAreCheckedWithOneMessageShape() {
    assertEquals("baseUrl must be an absolute http(s) URL such as http://127.0.0.1:4010/v1, got null",
        refusedOption(b -> b.baseUrl(null)));
    assertTrue(refusedOption(b -> b.baseUrl("not a url")).endsWith("got \"not a url\""));
    assertTrue(refusedOption(b -> b.baseUrl("http:opaque")).startsWith("baseUrl must be"));
    assertTrue(refusedOption(b -> b.baseUrl("/v1")).startsWith("baseUrl must be"));
    assertEquals("timeout must be a duration > 0, got null", refusedOption(b -> b.timeout(null)));
    assertEquals("timeout must be a duration > 0, got 0 ms", refusedOption(b -> b.timeout(Duration.ZERO)));
    assertEquals("deadline must be a duration > 0, got -5 ms", refusedOption(b -> b.deadline(Duration.ofMillis(-5))));
    assertEquals("maxInputBytes must be an integer >= 1, got 0", refusedOption(b -> b.maxInputBytes(0)));
    assertEquals("retry.maxRetries must be an integer >= 0, got -1",
        refusedOption(b -> b.retry(RetryOptions.defaults().withMaxRetries(-1))));
    assertEquals("breaker.consecutiveFailures must be an integer >= 1, got 0",
        refusedOption(b -> b.breaker(new BreakerOptions(true, 0, 1000))));
    assertTrue(refusedOption(b -> b.auth(null)).startsWith("auth must be an Auth"));
    assertTrue(refusedOption(b -> b.retry(RetryOptions.defaults().withBackoff(1, Double.NaN, 5, false)))
        .startsWith("retry.backoffMultiplier must be a finite number"));
    // a disabled breaker's numbers are not used, so not checked
    builder(new FakeTransport()).breaker(new BreakerOptions(false, 0, 0)).build().close();
  }

  @Test
  void callOptionsAreCheckedBeforeAnythingIsSent() {
    FakeTransport t = new FakeTransport().ok("{\"score\":0.1}");
    List<ModelwireEvent> events = new java.util.ArrayList<>();
    try (ModelwireClient c = builder(t).onEvent(events::add).build()) {
      for (CallOptions o : List.of(CallOptions.builder().requestId("日1").build(),
          CallOptions.builder().requestId("a\tb").build(), CallOptions.builder().requestId("").build(),
          CallOptions.builder().timeout(Duration.ZERO).build(),
          CallOptions.builder().deadline(Duration.ofMillis(-1)).build())) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> c.predict("fraud-score", Map.of("amount", 1), o));
        assertEquals("INVALID_OPTIONS", e.code());
        assertTrue(e.getMessage().contains(" must be "), e.getMessage());
        assertThrows(InvalidInputException.class, () -> c.submitJob("fraud-score", Map.of("amount", 1), o));
      }
      assertEquals("requestId must be 1 to 128 visible ASCII characters (U+0021 to U+007E), got \"a\\tb\" (3 characters)",
          assertThrows(InvalidInputException.class,
              () -> c.predict("fraud-score", Map.of(), CallOptions.builder().requestId("a\tb").build())).getMessage());
      assertEquals(0, t.count());
      assertEquals(List.of(), events);
      c.predict("fraud-score", Map.of("amount", 1), CallOptions.builder().requestId("req-~!ok").build());
      assertEquals(List.of("req-~!ok"), t.header("X-Request-Id"));
    }
  }

  @Test
  void aNotFoundFromABaseUrlWithoutV1SaysWhatToFix() {
    FakeTransport t = new FakeTransport().then(404, "{\"code\":\"NOT_FOUND\",\"message\":\"no route\"}");
    try (ModelwireClient c = builder(t).baseUrl("http://127.0.0.1:4010/").build()) {
      NotFoundException e = assertThrows(NotFoundException.class, () -> c.predict("fraud-score", Map.of("amount", 1)));
      assertTrue(e.getMessage().contains("/v1"), e.getMessage());
      assertTrue(e.getMessage().contains("http://127.0.0.1:4010/v1"), e.getMessage());
      assertEquals("NOT_FOUND", e.code());
      assertEquals(404, e.httpStatus());
    }
    FakeTransport t2 = new FakeTransport().then(404, "{\"code\":\"NOT_FOUND\",\"message\":\"no model\"}");
    try (ModelwireClient c = builder(t2).build()) {
      NotFoundException e = assertThrows(NotFoundException.class, () -> c.predict("nope", Map.of("amount", 1)));
      assertFalse(e.getMessage().contains("/v1"), e.getMessage());
    }
  }
}
