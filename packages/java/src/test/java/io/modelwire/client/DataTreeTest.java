package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.CanonicalJson;
import io.modelwire.client.internal.DataTree;
import io.modelwire.client.internal.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The input value domain of docs/semantics.md ("What the SDKs check before sending"), with Java's own types. */
class DataTreeTest {
  private static final int DEPTH = DefaultPolicy.get().maxJsonDepth();

  private static InvalidInputException refused(Object data) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> DataTree.of(data, DEPTH));
    assertEquals("INVALID_INPUT", e.code());
    return e;
  }

  private static void refusedMentioning(Object data, String... words) {
    String message = refused(data).getMessage();
    for (String w : words) {
      assertTrue(message.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)), "'" + w + "' not in: " + message);
    }
  }

  private static Map<String, Object> items(Object third) {
    List<Object> items = new ArrayList<>(List.of(1, "two"));
    items.add(third);
    return Map.of("items", items);
  }

  record Order(int amount) {}

  static final class Bean {
    public int getAmount() {
      return 1;
    }
  }

  @Test
  void plainValuesConvertAsJacksonDoes() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("s", "é");
    data.put("i", 1);
    data.put("l", 1L << 40);
    data.put("d", 12.5);
    data.put("f", 1.5f);
    data.put("b", true);
    data.put("n", null);
    data.put("big", new BigDecimal("1.25"));
    data.put("bigint", BigInteger.TEN);
    data.put("short", (short) 3);
    data.put("list", List.of(1, List.of("x"), Map.of("k", false)));
    data.put("objects", new Object[] {1, "a"});
    data.put("ints", new int[] {1, 2});
    data.put("doubles", new double[] {0.5});
    data.put("bools", new boolean[] {true});
    ObjectNode tree = DataTree.of(data, DEPTH);
    assertEquals(CanonicalJson.write(Json.MAPPER.valueToTree(data)), CanonicalJson.write(tree));
  }

  @Test
  void jsonNodesAreWalkedLikeMaps() throws Exception {
    JsonNode node = Json.MAPPER.readTree("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}");
    assertEquals(node, DataTree.of(node, DEPTH));
    assertEquals(node, DataTree.of(Map.of("a", node.get("a"), "c", "x"), DEPTH));
    ObjectNode nan = JsonNodeFactory.instance.objectNode();
    nan.putArray("xs").add(Double.NaN);
    refusedMentioning(nan, "data.xs[0]", "NaN");
    ObjectNode pojo = JsonNodeFactory.instance.objectNode();
    pojo.putPOJO("p", new Bean());
    refusedMentioning(pojo, "data.p", "POJO");
    ObjectNode binary = JsonNodeFactory.instance.objectNode();
    binary.put("bytes", new byte[] {1});
    refusedMentioning(binary, "data.bytes", "base64");
  }

  @Test
  void dataMustBeAnObject() {
    refusedMentioning(null, "data must be a JSON object", "null");
    refusedMentioning("amount=1", "data must be a JSON object", "String");
    refusedMentioning(List.of(1, 2), "data must be a JSON object");
    refusedMentioning(5, "data must be a JSON object");
    refusedMentioning(new Order(1), "data must be a JSON object");
    refusedMentioning(JsonNodeFactory.instance.arrayNode(), "data must be a JSON object", "array");
  }

  @Test
  void datesAreRefusedWithTheirPath() {
    refusedMentioning(items(Instant.EPOCH), "data.items[2]", "date", "Instant", "ISO");
    refusedMentioning(items(LocalDate.EPOCH), "data.items[2]", "LocalDate", "ISO");
    refusedMentioning(items(OffsetDateTime.now()), "data.items[2]", "ISO");
    refusedMentioning(items(new Date()), "data.items[2]", "date", "ISO");
    refusedMentioning(items(new java.sql.Timestamp(0)), "data.items[2]", "ISO");
    refusedMentioning(items(Calendar.getInstance()), "data.items[2]", "ISO");
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    refusedMentioning(Map.of("x", Double.NaN), "data.x", "NaN");
    refusedMentioning(Map.of("x", Double.POSITIVE_INFINITY), "data.x", "Infinity");
    refusedMentioning(Map.of("x", Float.NEGATIVE_INFINITY), "data.x", "Infinity");
    refusedMentioning(Map.of("xs", new double[] {1, Double.NaN}), "data.xs[1]", "NaN");
    refusedMentioning(Map.of("xs", new float[] {Float.NaN}), "data.xs[0]", "NaN");
  }

  @Test
  void otherJavaValuesAreRefused() {
    refusedMentioning(Map.of("tags", Set.of("a")), "data.tags", "Set", "List");
    refusedMentioning(Map.of("raw", new byte[] {1}), "data.raw", "bytes", "base64");
    Function<Integer, Integer> f = x -> x;
    refusedMentioning(Map.of("fn", f), "data.fn", "function");
    Runnable r = () -> {};
    refusedMentioning(Map.of("fn", r), "data.fn", "function");
    refusedMentioning(Map.of("fn", (Function<String, Integer>) String::length), "data.fn", "function");
    refusedMentioning(Map.of("o", Optional.of(1)), "data.o", "Optional");
    refusedMentioning(Map.of("order", new Order(1)), "data.order", "record", "Order", "Map");
    refusedMentioning(Map.of("bean", new Bean()), "data.bean", "Bean", "Map");
    refusedMentioning(Map.of("n", new java.util.concurrent.atomic.AtomicInteger(1)), "data.n", "AtomicInteger");
    refusedMentioning(Map.of("q", new java.util.ArrayDeque<>(List.of(1))), "data.q", "ArrayDeque", "List");
    refusedMentioning(Map.of("c", 'x'), "data.c", "Character");
    refusedMentioning(Map.of("e", Locale.Category.FORMAT), "data.e", "Category");
  }

  @Test
  void mapKeysMustBeStrings() {
    Map<Object, Object> inner = new HashMap<>();
    inner.put(7, "x");
    refusedMentioning(Map.of("m", inner), "data.m", "key", "Integer", "String keys");
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    refusedMentioning(nullKey, "data", "key", "null");
  }

  @Test
  void pathsQuoteKeysThatAreNotIdentifiers() {
    refusedMentioning(Map.of("a b", List.of(Map.of("x", Instant.EPOCH))), "data[\"a b\"][0].x");
  }

  @Test
  void depthIsCountedFromTheOuterObject() {
    assertEquals(DEPTH, depth(DataTree.of(nested(DEPTH), DEPTH)));
    refusedMentioning(nested(DEPTH + 1), "deep", String.valueOf(DEPTH));
    // a primitive array opens a level too
    Map<String, Object> arrays = new LinkedHashMap<>();
    arrays.put("a", new int[] {1});
    assertEquals(2, depth(DataTree.of(arrays, 2)));
    assertThrows(InvalidInputException.class, () -> DataTree.of(arrays, 1));
  }

  @Test
  void deepAndCircularInputsAreTooDeepNeverAStackOverflow() {
    List<Object> deep = new ArrayList<>();
    List<Object> cur = deep;
    for (int i = 0; i < 200_000; i++) {
      List<Object> next = new ArrayList<>();
      cur.add(next);
      cur = next;
    }
    refusedMentioning(Map.of("deep", deep), "deep");
    Map<String, Object> loop = new HashMap<>();
    loop.put("self", loop);
    refusedMentioning(loop, "deep", "circular");
    List<Object> ring = new ArrayList<>();
    ring.add(ring);
    refusedMentioning(Map.of("ring", ring), "deep", "circular");
  }

  @Test
  void refusedDataSendsNothing() {
    FakeTransport t = new FakeTransport().ok("{\"score\":0.1}");
    List<ModelwireEvent> events = new ArrayList<>();
    try (ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).onEvent(events::add).build()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> c.predict("fraud-score", items(Instant.EPOCH)));
      assertTrue(e.getMessage().startsWith("data.items[2]: "), e.getMessage());
      assertEquals(0, e.attempts());
      assertEquals(0, t.count());
      assertEquals(List.of(), events);
      assertSame(BreakerState.CLOSED, c.breakerState("fraud-score", null));
      c.predict("fraud-score", Map.of("at", "1970-01-01T00:00:00Z"));
      assertEquals(1, t.count());
    }
  }

  private static Map<String, Object> nested(int levels) {
    Map<String, Object> m = Map.of("a", 1);
    for (int i = 1; i < levels; i++) m = Map.of("a", m);
    return m;
  }

  private static int depth(JsonNode n) {
    int d = 0;
    while (n != null && n.isContainerNode()) {
      d++;
      n = n.elements().hasNext() ? n.elements().next() : null;
    }
    return d;
  }
}
