package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The events a scenario's client emitted, in order, as the scenarios spell them (snake_case keys,
 * lower-case types): {@code expect.events} of a call and the {@code event_counts} step.
 */
final class EventLog {
  private final List<ModelwireEvent> events = new ArrayList<>();
  private int countMark;

  synchronized void add(ModelwireEvent e) {
    events.add(e);
  }

  synchronized int size() {
    return events.size();
  }

  synchronized List<ObjectNode> since(int mark) {
    List<ObjectNode> out = new ArrayList<>();
    for (ModelwireEvent e : events.subList(mark, events.size())) out.add(json(e));
    return out;
  }

  static ObjectNode json(ModelwireEvent e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", e.type().name().toLowerCase(Locale.ROOT));
    o.put("model", e.model());
    o.put("version", e.version());
    o.put("request_id", e.requestId());
    o.put("attempt", e.attempt());
    o.put("method", e.method());
    o.put("path", e.path());
    o.put("status", e.status());
    o.put("latency_ms", e.latencyMs());
    o.put("error_code", e.errorCode());
    o.put("delay_ms", e.delayMs());
    o.put("to", e.to());
    o.put("reason", e.reason());
    if (e.type() == ModelwireEvent.Type.CALL_END) {
      o.put("operation", e.operation());
      o.put("outcome", e.outcome());
      o.put("attempts", e.attempts());
      o.put("cached", e.cached());
      o.put("coalesced", e.coalesced());
      o.put("fallback", e.fallback());
    }
    return o;
  }

  /** {@code expect.events}: exactly these events, in order; listed keys compared. */
  static List<String> check(String where, JsonNode expected, List<ObjectNode> got) {
    List<String> p = new ArrayList<>();
    List<String> types = got.stream().map(e -> e.path("type").asText()).toList();
    if (expected.size() != got.size()) {
      p.add(where + ": expected " + expected.size() + " events, got " + got.size() + " " + types);
      return p;
    }
    for (int i = 0; i < expected.size(); i++) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.get(i).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        JsonNode actual = got.get(i).get(en.getKey());
        if (!ScenarioRunner.same(en.getValue(), actual)) {
          p.add(where + ": event " + (i + 1) + " " + en.getKey() + " expected " + en.getValue() + ", got " + actual
              + " (events " + types + ")");
        }
      }
    }
    return p;
  }

  /** The {@code event_counts} step: counts of each listed type since the previous step. */
  synchronized List<String> checkCounts(String where, JsonNode expected) {
    List<ObjectNode> window = since(countMark);
    countMark = events.size();
    List<String> p = new ArrayList<>();
    expected.fields().forEachRemaining(en -> {
      long n = window.stream().filter(e -> e.path("type").asText().equals(en.getKey())).count();
      if (n != en.getValue().asLong()) p.add(where + ": expected " + en.getValue() + " " + en.getKey() + " events, got " + n);
    });
    return p;
  }
}
