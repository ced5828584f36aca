package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * test/vectors/options.json: what the SDK checks before sending. Each case builds a client over a
 * fake transport (options mapped as the conformance runner maps them), calls predict, and expects
 * either one request sent or a typed error with nothing sent and no event. {@code dynamic_only}
 * cases (a string for a number, 1.5 for an int) cannot be written against the typed builders: they
 * are counted as not expressible. Prints {@code options vectors: N passed, N failed, N not expressible}.
 */
class OptionsVectorsTest {
  private static final String BASE_URL = "http://127.0.0.1:4010/v1";
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static final AtomicInteger NOT_EXPRESSIBLE = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> options() {
    JsonNode root = TestFiles.readJson(TestFiles.repoRoot().resolve("test/vectors/options.json"));
    List<JsonNode> cases = new ArrayList<>();
    for (JsonNode c : root.path("cases")) {
      // the typed builders take an int/Duration: a string or a fraction cannot be passed at all
      if (c.path("dynamic_only").asBoolean()) NOT_EXPRESSIBLE.incrementAndGet();
      else cases.add(c);
    }
    assertFalse(cases.isEmpty());
    return cases.stream().map(c -> dynamicTest(c.path("name").asText(), () -> {
      boolean ok = false;
      try {
        check(c);
        ok = true;
      } finally {
        (ok ? PASSED : FAILED).incrementAndGet();
      }
    }));
  }

  private static void check(JsonNode c) {
    FakeTransport transport = new FakeTransport().ok("{\"score\":0.1}");
    List<ModelwireEvent> events = new ArrayList<>();
    JsonNode expected = c.path("expected");
    ModelwireException error = predict(c, transport, events);
    if (expected.path("sent").asBoolean()) {
      assertEquals(null, error, "expected the request to be sent");
      assertEquals(1, transport.count(), "requests sent");
      return;
    }
    assertTrue(error != null, "expected " + expected.path("error_kind").asText() + ", the call succeeded");
    assertEquals(expected.path("error_kind").asText() + "Exception", error.getClass().getSimpleName(), error.getMessage());
    assertEquals(expected.path("error_code").asText(), error.code(), error.getMessage());
    String mentions = expected.path("mentions").asText().toLowerCase(Locale.ROOT);
    assertTrue(error.getMessage().toLowerCase(Locale.ROOT).contains(mentions),
        "message lacks '" + mentions + "': " + error.getMessage());
    assertEquals(0, transport.count(), "requests sent");
    assertEquals(List.of(), events, "events emitted");
  }

  /** Builds the client and predicts; the error, or null when the call succeeded. */
  private static ModelwireException predict(JsonNode c, FakeTransport transport, List<ModelwireEvent> events) {
    try {
      ModelwireClientBuilder b = ModelwireClient.builder().baseUrl(BASE_URL).transport(transport)
          .scheduler(new VirtualScheduler(true)).onEvent(events::add);
      OptionsJson.client(b, c.path("client"));
      try (ModelwireClient client = b.build()) {
        client.predict(c.path("model").asText(), data(c), OptionsJson.call(c.path("call"), true).build());
      }
      return null;
    } catch (ModelwireException e) {
      return e;
    }
  }

  /** The case's data as plain Java values (maps, lists, strings, numbers), or the nested depth probe. */
  private static Object data(JsonNode c) {
    if (c.has("data_depth")) {
      Map<String, Object> inner = Map.of("a", 1);
      for (int level = 1; level < c.get("data_depth").asInt(); level++) {
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("a", inner);
        inner = outer;
      }
      return inner;
    }
    return Json.MAPPER.convertValue(c.get("data"), Object.class);
  }

  @AfterAll
  static void summary() {
    System.out.println("options vectors: " + PASSED.get() + " passed, " + FAILED.get() + " failed, "
        + NOT_EXPRESSIBLE.get() + " not expressible");
  }
}
