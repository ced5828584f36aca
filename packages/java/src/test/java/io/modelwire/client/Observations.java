package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Observations of a conformance scenario, checked against the mock's request log (GET /__admin/requests). */
final class Observations {
  private Observations() {}

  static JsonNode fieldOf(JsonNode request, String field) {
    if (field.startsWith("header:")) return header(request, field.substring(7));
    if (field.startsWith("body:")) {
      JsonNode v = request.path("body");
      for (String k : field.substring(5).split("\\.")) {
        if (!v.isObject()) return null;
        v = v.get(k);
        if (v == null) return null;
      }
      return v;
    }
    JsonNode tp = header(request, "traceparent");
    String[] parts = tp == null ? null : tp.asText().split("-");
    if (field.equals("trace_id")) return parts != null && parts.length > 1 ? TextNode.valueOf(parts[1]) : null;
    if (field.equals("span_id")) return parts != null && parts.length > 2 ? TextNode.valueOf(parts[2]) : null;
    throw new IllegalArgumentException("unknown observation field " + field);
  }

  private static JsonNode header(JsonNode request, String name) {
    JsonNode v = request.path("headers").get(name.toLowerCase(java.util.Locale.ROOT));
    if (v == null) return null;
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      return TextNode.valueOf(String.join(", ", parts));
    }
    return v;
  }

  static List<String> check(JsonNode o, List<JsonNode> log) {
    List<String> paths = new ArrayList<>();
    if (o.has("paths")) o.get("paths").forEach(p -> paths.add(p.asText()));
    else paths.add(o.path("path").asText());
    String method = o.has("method") ? o.get("method").asText() : null;
    List<JsonNode> selected = new ArrayList<>();
    for (JsonNode r : log) {
      if (paths.contains(r.path("path").asText()) && (method == null || method.equals(r.path("method").asText()))) selected.add(r);
    }
    String where = (method == null ? "*" : method) + " " + String.join(" + ", paths);
    List<String> p = new ArrayList<>();
    int n = selected.size();
    if (o.has("count") && n != o.get("count").asInt()) p.add(where + ": expected " + o.get("count") + " requests, saw " + n);
    if (o.has("count_min") && n < o.get("count_min").asInt()) p.add(where + ": expected ≥ " + o.get("count_min") + " requests, saw " + n);
    if (o.has("count_max") && n > o.get("count_max").asInt()) p.add(where + ": expected ≤ " + o.get("count_max") + " requests, saw " + n);
    boolean needs = o.has("same") || o.has("distinct") || o.has("distinct_between_paths") || o.has("present")
        || o.has("absent") || o.has("equals") || o.has("matches");
    if (needs && n == 0) {
      p.add(where + ": no request to check field expectations against");
      return p;
    }
    for (JsonNode f : o.path("same")) {
      List<String> values = values(selected, f.asText());
      if (values.contains(null)) p.add(where + ": " + f.asText() + " missing on some requests: " + values);
      else if (new HashSet<>(values).size() != 1) p.add(where + ": " + f.asText() + " differs between requests: " + values);
    }
    for (JsonNode f : o.path("distinct")) {
      List<String> values = values(selected, f.asText());
      if (values.contains(null)) p.add(where + ": " + f.asText() + " missing on some requests: " + values);
      else if (new HashSet<>(values).size() != values.size()) p.add(where + ": " + f.asText() + " repeats between requests: " + values);
    }
    for (JsonNode f : o.path("distinct_between_paths")) {
      List<String> group = new ArrayList<>();
      for (String path : paths) {
        List<JsonNode> per = selected.stream().filter(r -> r.path("path").asText().equals(path)).toList();
        List<String> values = values(per, f.asText());
        if (values.isEmpty() || new HashSet<>(values).size() != 1 || values.contains(null)) {
          p.add(where + ": " + f.asText() + " should be one value per path; " + path + " has " + values);
        } else {
          group.add(values.get(0));
        }
      }
      if (group.size() == paths.size() && new HashSet<>(group).size() != group.size()) {
        p.add(where + ": " + f.asText() + " should differ between paths, saw " + group);
      }
    }
    p.addAll(perRequest(o, selected, where));
    return p;
  }

  private static List<String> perRequest(JsonNode o, List<JsonNode> selected, String where) {
    List<String> p = new ArrayList<>();
    for (JsonNode r : selected) {
      String at = where + " #" + r.path("seq").asText();
      for (JsonNode f : o.path("present")) if (fieldOf(r, f.asText()) == null) p.add(at + ": " + f.asText() + " should be present");
      for (JsonNode f : o.path("absent")) {
        JsonNode v = fieldOf(r, f.asText());
        if (v != null) p.add(at + ": " + f.asText() + " should be absent, saw " + v);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.path("equals").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        JsonNode v = fieldOf(r, en.getKey());
        if (v == null || !ScenarioRunner.same(en.getValue(), v)) p.add(at + ": " + en.getKey() + " expected " + en.getValue() + ", saw " + v);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.path("matches").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        JsonNode v = fieldOf(r, en.getKey());
        if (v == null || !v.isTextual() || !Pattern.compile(en.getValue().asText()).matcher(v.asText()).find()) {
          p.add(at + ": " + en.getKey() + " should match /" + en.getValue().asText() + "/, saw " + v);
        }
      }
    }
    return p;
  }

  private static List<String> values(List<JsonNode> requests, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : requests) {
      JsonNode v = fieldOf(r, field);
      out.add(v == null ? null : v.toString());
    }
    return out;
  }
}
