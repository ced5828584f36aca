package io.modelwire.client;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Run by {@link OptionalOpenTelemetryTest} under {@code -javaagent:opentelemetry-javaagent.jar} with the
 * agent's OTLP-JSON logging span exporter ({@code otel.traces.exporter=logging-otlp}: every ended span
 * as OTLP JSON on the log, with trace id, span id, parent span id, kind and instrumentation scope). The client uses the agent's
 * GlobalOpenTelemetry (no builder option), as an application under the agent does; the test reads
 * the exported spans from this JVM's output.
 *
 * <ol>
 *   <li>control: a plain java.net.http request under an application span: the agent makes its own
 *       CLIENT span (scope io.opentelemetry.java-http-client) and injects that span's traceparent;
 *   <li>a predict under a step span: the gateway receives exactly one traceparent.
 * </ol>
 * Prints {@code control=<span ids> wire=<headers>} and {@code call=<step ids> wire=<headers>} lines;
 * the checks against the exported spans are in the test.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    try (LoopbackGateway gw = new LoopbackGateway();
        ModelwireClient c = ModelwireClient.builder().baseUrl(gw.baseUrl())
            .cache(CacheOptions.disabled()).retry(RetryOptions.defaults().withMaxRetries(0)).build()) {
      Tracer tracer = GlobalOpenTelemetry.getTracer("agent-test");
      Span control = tracer.spanBuilder("control").startSpan();
      try (Scope s = control.makeCurrent()) {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/control")).build(),
            HttpResponse.BodyHandlers.discarding());
      } finally {
        control.end();
      }
      System.out.println("CONTROL span=" + control.getSpanContext().getTraceId() + "-" + control.getSpanContext().getSpanId()
          + " wire=" + String.join(",", gw.traceparents.get(0)) + " n=" + gw.traceparents.get(0).size());
      Span step = tracer.spanBuilder("step").startSpan();
      try (Scope s = step.makeCurrent()) {
        c.predict("fraud-score", Map.of("amount", 1));
      } finally {
        step.end();
      }
      System.out.println("CALL span=" + step.getSpanContext().getTraceId() + "-" + step.getSpanContext().getSpanId()
          + " wire=" + String.join(",", gw.traceparents.get(1)) + " n=" + gw.traceparents.get(1).size());
    }
    System.out.println("RESULT ok");
    System.exit(0);
  }
}
