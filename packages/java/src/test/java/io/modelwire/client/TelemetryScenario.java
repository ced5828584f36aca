package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The runner's side of the telemetry scenarios (test/conformance/README.md, "Telemetry scenarios"):
 * a real OpenTelemetry SDK per scenario (in-memory span exporter behind a simple processor, always-on
 * sampler, in-memory metric reader, W3C propagation) handed to the client with {@code .openTelemetry},
 * a step span around each call, and the checks of {@code expect.spans}, {@code expect.wire} and the
 * scenario-level {@code metrics}.
 */
final class TelemetryScenario implements AutoCloseable {
  private static final Pattern TRACEPARENT = Pattern.compile("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$");

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
          .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private final Tracer tracer = sdk.getTracer("conformance");

  static boolean applies(JsonNode scenario) {
    return scenario.path("name").asText().startsWith("telemetry-");
  }

  /** A call's own active step span (INTERNAL, scope {@code conformance}); ended by the runner after the call settles. */
  Span stepSpan(String label) {
    return tracer.spanBuilder("step " + label).setSpanKind(SpanKind.INTERNAL).startSpan();
  }

  /**
   * {@code expect.spans} and {@code expect.wire} of one call.
   *
   * @param where label
   * @param expect the call's expect (placeholders substituted)
   * @param step the call's step span
   * @param traceparentOption the call's traceparent option or null
   * @param requests the requests the server logged while the call ran (for wire), or null
   */
  List<String> check(String where, JsonNode expect, Span step, String traceparentOption, List<JsonNode> requests) {
    List<String> p = new ArrayList<>();
    if (!expect.has("spans")) return p;
    List<SpanData> all = spans.getFinishedSpanItems();
    String parentTrace;
    String parentSpan;
    if ("traceparent_option".equals(expect.path("spans_parent").asText("step"))) {
      String[] parts = traceparentOption == null ? new String[0] : traceparentOption.split("-");
      if (parts.length != 4) {
        p.add(where + ": spans_parent traceparent_option without a traceparent option");
        return p;
      }
      parentTrace = parts[1];
      parentSpan = parts[2];
    } else {
      SpanContext sc = step.getSpanContext();
      parentTrace = sc.getTraceId();
      parentSpan = sc.getSpanId();
    }
    List<SpanData> roots = children(all, parentTrace, parentSpan);
    compareList(where + " spans", expect.get("spans"), roots, all, p);
    if ("attempt_spans".equals(expect.path("wire").asText(null)) && requests != null) {
      List<SpanData> clients = new ArrayList<>();
      collectClients(roots, all, clients);
      clients.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
      if (clients.size() != requests.size()) {
        p.add(where + " wire: " + requests.size() + " requests logged, " + clients.size() + " CLIENT spans");
      } else {
        for (int i = 0; i < clients.size(); i++) {
          String tp = traceparent(requests.get(i));
          String want = "00-" + clients.get(i).getTraceId() + "-" + clients.get(i).getSpanId() + "-";
          if (tp == null || !TRACEPARENT.matcher(tp).matches()) {
            p.add(where + " wire: request " + (i + 1) + " traceparent is not exactly one header: " + tp);
          } else if (!tp.startsWith(want)) {
            p.add(where + " wire: request " + (i + 1) + " traceparent " + tp + " is not its CLIENT span's " + want + "..");
          }
        }
      }
    }
    return p;
  }

  private static String traceparent(JsonNode request) {
    JsonNode v = request.path("headers").get("traceparent");
    if (v == null) return null;
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      return String.join(", ", parts);
    }
    return v.asText();
  }

  private static void collectClients(List<SpanData> nodes, List<SpanData> all, List<SpanData> out) {
    for (SpanData s : nodes) {
      if (s.getKind() == SpanKind.CLIENT) out.add(s);
      collectClients(children(all, s.getTraceId(), s.getSpanId()), all, out);
    }
  }

  private static List<SpanData> children(List<SpanData> all, String traceId, String spanId) {
    List<SpanData> out = new ArrayList<>();
    for (SpanData s : all) {
      if (s.getTraceId().equals(traceId) && s.getParentSpanId().equals(spanId)) out.add(s);
    }
    out.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    return out;
  }

  private static void compareList(String where, JsonNode expected, List<SpanData> got, List<SpanData> all, List<String> p) {
    if (expected.size() != got.size()) {
      p.add(where + ": expected " + expected.size() + " spans, got " + got.size() + " " + got.stream()
          .map(s -> s.getName() + "(" + s.getKind() + ")").toList());
      return;
    }
    for (int i = 0; i < expected.size(); i++) compareSpan(where + "[" + i + "]", expected.get(i), got.get(i), all, p);
  }

  private static void compareSpan(String where, JsonNode e, SpanData s, List<SpanData> all, List<String> p) {
    where = where + " " + s.getName();
    if (!e.path("name").asText().equals(s.getName())) p.add(where + ": name expected " + e.path("name").asText());
    if (!e.path("kind").asText().equals(s.getKind().name())) p.add(where + ": kind expected " + e.path("kind").asText() + ", got " + s.getKind());
    if (e.has("status") && !e.get("status").asText().equals(s.getStatus().getStatusCode().name())) {
      p.add(where + ": status expected " + e.get("status").asText() + ", got " + s.getStatus().getStatusCode());
    }
    if (!s.hasEnded()) p.add(where + ": not ended");
    Map<String, Object> attrs = attributes(s.getAttributes().asMap());
    p.addAll(compareAttributes(where, e.path("attributes"), e.path("absent"), attrs));
    if (e.has("children")) compareList(where + " children", e.get("children"), children(all, s.getTraceId(), s.getSpanId()), all, p);
  }

  static Map<String, Object> attributes(Map<AttributeKey<?>, Object> raw) {
    Map<String, Object> out = new HashMap<>();
    raw.forEach((k, v) -> out.put(k.getKey(), v));
    return out;
  }

  /** Listed attributes equal (strings exactly, numbers numerically, booleans strictly); absent ones unset. */
  static List<String> compareAttributes(String where, JsonNode expected, JsonNode absent, Map<String, Object> got) {
    List<String> p = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> en = it.next();
      Object actual = got.get(en.getKey());
      if (!equal(en.getValue(), actual)) p.add(where + ": attribute " + en.getKey() + " expected " + en.getValue() + ", got " + actual);
    }
    for (JsonNode a : absent) {
      if (got.containsKey(a.asText())) p.add(where + ": attribute " + a.asText() + " must be absent, is " + got.get(a.asText()));
    }
    return p;
  }

  static boolean equal(JsonNode expected, Object actual) {
    if (actual == null) return false;
    if (expected.isTextual()) return actual instanceof String s && s.equals(expected.asText());
    if (expected.isBoolean()) return actual instanceof Boolean b && b == expected.asBoolean();
    if (expected.isNumber()) return actual instanceof Number n && n.doubleValue() == expected.asDouble();
    return false;
  }

  /** The scenario-level {@code metrics}, after one collection. */
  List<String> checkMetrics(JsonNode expected) {
    List<String> p = new ArrayList<>();
    if (expected == null || expected.isMissingNode()) return p;
    List<MetricData> collected = new ArrayList<>(metrics.collectAllMetrics());
    for (JsonNode m : expected) {
      String name = m.path("name").asText();
      double sum = 0;
      long count = 0;
      int matched = 0;
      for (MetricData d : collected) {
        if (!d.getName().equals(name)) continue;
        for (PointData point : d.getData().getPoints()) {
          Map<String, Object> attrs = attributes(point.getAttributes().asMap());
          if (!compareAttributes("", m.path("attributes"), m.path("absent"), attrs).isEmpty()) continue;
          matched++;
          if (point instanceof io.opentelemetry.sdk.metrics.data.LongPointData l) sum += l.getValue();
          else if (point instanceof io.opentelemetry.sdk.metrics.data.DoublePointData dp) sum += dp.getValue();
          else if (point instanceof io.opentelemetry.sdk.metrics.data.HistogramPointData h) count += h.getCount();
        }
      }
      boolean isCount = m.has("count");
      double want = isCount ? m.get("count").asDouble() : m.path("value").asDouble();
      double got = isCount ? count : sum;
      if (matched == 0 && want != 0) {
        p.add("metrics: no data point of " + name + " matches " + m.path("attributes") + " absent " + m.path("absent"));
      } else if (got != want) {
        p.add("metrics: " + name + " " + m.path("attributes") + (isCount ? " count" : " value") + " expected " + (isCount ? (long) want : want)
            + ", got " + (isCount ? (long) got : got));
      }
    }
    return p;
  }

  @Override
  public void close() {
    sdk.close();
  }
}
