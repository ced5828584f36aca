package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.internal.telemetry.UrlFull;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry in the Java SDK beyond the conformance scenarios (docs/semantics.md, "Telemetry"):
 * a failing exporter or processor never changes a call, {@code telemetry(false)} records nothing,
 * url.full is redacted, no secret reaches a span or a metric, GlobalOpenTelemetry is used without
 * a builder option, and the active context is the trace without a recording tracer. Real SDK,
 * real HTTP on loopback, no sleeps.
 */
class TelemetryTest {
  private static final Map<String, Object> INPUT = Map.of("amount", 1);

  private static OpenTelemetrySdk sdk(SpanProcessor processor, InMemoryMetricReader reader) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(processor).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
        .build();
  }

  private static ModelwireClientBuilder client(LoopbackGateway gw) {
    return ModelwireClient.builder().baseUrl(gw.baseUrl()).cache(CacheOptions.disabled())
        .retry(RetryOptions.defaults().withMaxRetries(0));
  }

  @Test
  void aThrowingExporterOrProcessorNeverBreaksACall() throws Exception {
    SpanExporter throwing = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        throw new IllegalStateException("exporter down");
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    SpanProcessor brokenProcessor = new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {
        throw new IllegalStateException("processor down (start)");
      }

      @Override
      public boolean isStartRequired() {
        return true;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        throw new IllegalStateException("processor down (end)");
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
    // the SDK logs the exporter's exception; keep the test log short
    java.util.logging.Logger.getLogger("io.opentelemetry.sdk.trace.export.SimpleSpanProcessor")
        .setLevel(java.util.logging.Level.OFF);
    List<ModelwireEvent> events = new ArrayList<>();
    for (SpanProcessor p : List.of(SimpleSpanProcessor.create(throwing), brokenProcessor)) {
      events.clear();
      try (LoopbackGateway gw = new LoopbackGateway();
          OpenTelemetrySdk sdk = sdk(p, InMemoryMetricReader.create());
          ModelwireClient c = client(gw).openTelemetry(sdk).onEvent(events::add).build()) {
        Prediction pr = c.predict("fraud-score", INPUT);
        assertEquals("legit", pr.result().path("label").asText());
        assertEquals(1, gw.traceparents.size());
        assertEquals(1, gw.traceparents.get(0).size(), "exactly one traceparent");
        assertEquals(ModelwireEvent.Type.CALL_END, events.get(events.size() - 1).type());
        assertEquals("ok", events.get(events.size() - 1).outcome());
      }
    }
  }

  @Test
  void telemetryFalseRecordsNoSpanAndNoMetric() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (LoopbackGateway gw = new LoopbackGateway();
        OpenTelemetrySdk sdk = sdk(SimpleSpanProcessor.create(spans), metrics);
        ModelwireClient c = client(gw).openTelemetry(sdk).telemetry(false).build()) {
      c.predict("fraud-score", INPUT);
      assertTrue(spans.getFinishedSpanItems().isEmpty(), "no span with telemetry(false)");
      assertTrue(metrics.collectAllMetrics().isEmpty(), "no metric with telemetry(false)");
      assertEquals(1, gw.traceparents.get(0).size(), "the traceparent of Identity is still sent");
      assertTrue(gw.traceparents.get(0).get(0).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    }
  }

  @Test
  void urlFullIsRedacted() {
    assertEquals("http://REDACTED:REDACTED@127.0.0.1:9/v1/models/m/predict",
        UrlFull.of(URI.create("http://svc-user:s3cret-pw@127.0.0.1:9/v1/models/m/predict")));
    assertEquals("https://REDACTED:REDACTED@gw.example/v1/x?key=REDACTED&token=REDACTED&flag",
        UrlFull.of(URI.create("https://only-user@gw.example/v1/x?key=abc&token=t%20x&flag#frag")));
    assertEquals("http://[::1]:8080/v1/health/ready", UrlFull.of(URI.create("http://[::1]:8080/v1/health/ready")));
    assertEquals(443, UrlFull.port(URI.create("https://gw.example/v1")));
    assertEquals(80, UrlFull.port(URI.create("http://gw.example/v1")));
  }

  @Test
  void noSecretReachesASpanOrAMetric() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    String token = "tok-" + "9f8e7d6c5b4a";
    try (LoopbackGateway gw = new LoopbackGateway();
        OpenTelemetrySdk sdk = sdk(SimpleSpanProcessor.create(spans), metrics);
        ModelwireClient c = ModelwireClient.builder()
            .baseUrl(gw.baseUrl().replace("http://", "http://svc:pw-" + "s3cret@"))
            .auth(Auth.token(token)).cache(CacheOptions.disabled()).openTelemetry(sdk).build()) {
      c.predict("fraud-score", Map.of("secret_input", "in-" + "put-value"));
      assertEquals(2, spans.getFinishedSpanItems().size(), "a call span and an attempt span");
      StringBuilder all = new StringBuilder();
      for (SpanData sd : spans.getFinishedSpanItems()) all.append(sd.getName()).append(sd.getAttributes()).append('\n');
      for (MetricData m : metrics.collectAllMetrics()) all.append(m).append('\n');
      for (String secret : List.of(token, "pw-s3cret", "in-put-value", "Bearer")) {
        assertFalse(all.toString().contains(secret), secret + " leaked into telemetry: " + all);
      }
      assertTrue(all.toString().contains("REDACTED:REDACTED@"), "url.full is recorded, redacted");
    }
  }

  @Test
  void globalOpenTelemetryIsUsedWithoutABuilderOption() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    GlobalOpenTelemetry.resetForTest();
    try (LoopbackGateway gw = new LoopbackGateway();
        OpenTelemetrySdk sdk = sdk(SimpleSpanProcessor.create(spans), metrics);
        ModelwireClient c = client(gw).build()) {
      // the client is built before the global is installed: it must not freeze the global to a no-op
      GlobalOpenTelemetry.set(sdk);
      c.predict("fraud-score", INPUT);
      List<SpanData> got = spans.getFinishedSpanItems();
      SpanData attempt = got.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
      SpanData call = got.stream().filter(s -> s.getName().equals("predict fraud-score")).findFirst().orElseThrow();
      assertEquals(call.getSpanId(), attempt.getParentSpanId());
      assertEquals("modelwire", call.getInstrumentationScopeInfo().getName());
      assertEquals("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-01", gw.traceparents.get(0).get(0));
      assertTrue(metrics.collectAllMetrics().stream().anyMatch(m -> m.getName().equals("modelwire.client.calls")));
    } finally {
      GlobalOpenTelemetry.resetForTest();
    }
  }

  @Test
  void theActiveContextGivesTheTraceWithoutARecordingTracer() throws Exception {
    GlobalOpenTelemetry.resetForTest();
    InMemorySpanExporter callerSpans = InMemorySpanExporter.create();
    try (LoopbackGateway gw = new LoopbackGateway();
        OpenTelemetrySdk callers = sdk(SimpleSpanProcessor.create(callerSpans), InMemoryMetricReader.create());
        ModelwireClient c = client(gw).build()) { // no global, no builder option: nothing records
      Span active = callers.getTracer("caller").spanBuilder("handler").startSpan();
      try (Scope s = active.makeCurrent()) {
        c.predict("fraud-score", INPUT);
      } finally {
        active.end();
      }
      String tp = gw.traceparents.get(0).get(0);
      assertEquals(active.getSpanContext().getTraceId(), tp.split("-")[1], "the active span's trace");
      assertNotEquals(active.getSpanContext().getSpanId(), tp.split("-")[2], "a new span id per attempt");
      assertEquals(1, callerSpans.getFinishedSpanItems().size(), "the client made no span of its own");
    } finally {
      GlobalOpenTelemetry.resetForTest();
    }
  }
}
