package io.modelwire.example.otel;

import io.modelwire.client.ModelwireClient;
import io.modelwire.client.Prediction;
import io.modelwire.client.errors.ModelwireException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingMetricExporter;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Map;

/**
 * OpenTelemetry with the modelwire Java SDK: the application installs its OpenTelemetry as the
 * global one; the client picks it up with no option (or takes one with {@code .openTelemetry(otel)};
 * {@code .telemetry(false)} turns it off). Spans and metrics are printed by the logging exporters.
 *
 * <pre>{@code MODELWIRE_URL=http://127.0.0.1:4010/v1 examples/java-otel/run.sh }</pre>
 */
public final class Main {
  private Main() {}

  /**
   * Runs two predictions inside an application span.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    String url = System.getenv().getOrDefault("MODELWIRE_URL", "http://127.0.0.1:4010/v1");
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create())).build())
        .setMeterProvider(SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(LoggingMetricExporter.create())
                .setInterval(Duration.ofMinutes(1)).build()).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .buildAndRegisterGlobal();
    Tracer tracer = otel.getTracer("checkout-service");
    try (ModelwireClient client = ModelwireClient.builder().baseUrl(url)
        .fallback("fraud-score", "fraud-score-backup").build()) {
      Span handler = tracer.spanBuilder("POST /checkout").startSpan();
      try (Scope s = handler.makeCurrent()) {
        // a call span "predict fraud-score" (child of the handler span) with one CLIENT attempt span;
        // the traceparent header the gateway receives is the attempt span's context
        Prediction p = client.predict("fraud-score", Map.of("amount", 129.5, "country", "FR"));
        System.out.println("fraud-score -> " + p.result().path("label").asText() + " (trace " + p.traceId() + ")");
        Prediction again = client.predict("fraud-score", Map.of("amount", 129.5, "country", "FR"));
        System.out.println("again: cached=" + again.cached() + " (a call span, no attempt span)");
      } finally {
        handler.end();
      }
    } catch (ModelwireException e) {
      System.err.println(e.code() + " (HTTP " + e.httpStatus() + "): " + e.getMessage());
      System.exit(1);
    } finally {
      otel.close(); // flushes the metrics: modelwire.client.calls, http.client.request.duration, …
    }
  }
}
