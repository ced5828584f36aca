package io.modelwire.client.internal.telemetry;

import io.modelwire.client.ModelwireEvent;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telemetry through the OpenTelemetry API (loaded by {@link TelemetryLoader} only when the API is
 * present). The tracer and meter (scope {@code modelwire}, the SDK's version) come from the
 * {@code OpenTelemetry} given to the builder, else from {@link GlobalOpenTelemetry} once it is set:
 * the client never calls {@code GlobalOpenTelemetry.get()} before the application installed one
 * (that call would freeze the global to a no-op).
 *
 * <pre>{@code Telemetry t = OtelTelemetry.create(openTelemetry, baseUrl); }</pre>
 */
public final class OtelTelemetry implements Telemetry {
  /** Instrumentation scope name. */
  public static final String SCOPE = "modelwire";
  /** Instrumentation scope version: the SDK's. */
  public static final String VERSION = "0.1.0";
  private static final Pattern TRACEPARENT =
      Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");

  private final OpenTelemetry explicit;
  private final URI baseUrl;
  private volatile Handles handles;
  private final Consumer<ModelwireEvent> metrics;

  /** The tracer and the event → metrics listener of one resolved {@code OpenTelemetry}. */
  record Handles(Tracer tracer, EventMetrics metrics) {}

  private OtelTelemetry(OpenTelemetry explicit, URI baseUrl) {
    this.explicit = explicit;
    this.baseUrl = baseUrl;
    this.metrics = e -> {
      Handles h = handles();
      if (h != null) h.metrics().accept(e);
    };
    if (explicit != null) handles();
  }

  /**
   * Called by {@link TelemetryLoader} (reflection).
   *
   * @param openTelemetry an {@code OpenTelemetry} or null (the global one)
   * @param baseUrl the client's base URL
   * @return the telemetry
   */
  public static Telemetry create(Object openTelemetry, URI baseUrl) {
    return new OtelTelemetry((OpenTelemetry) openTelemetry, baseUrl);
  }

  private Handles handles() {
    Handles h = handles;
    if (h != null) return h;
    try {
      OpenTelemetry otel = explicit;
      if (otel == null) {
        if (!GlobalOpenTelemetry.isSet()) return null; // asked again on the next call
        otel = GlobalOpenTelemetry.get();
      }
      Tracer tracer = otel.getTracerProvider().tracerBuilder(SCOPE).setInstrumentationVersion(VERSION).build();
      h = new Handles(tracer, new EventMetrics(
          otel.getMeterProvider().meterBuilder(SCOPE).setInstrumentationVersion(VERSION).build(), baseUrl));
      handles = h;
      return h;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  @Override
  public CallSpan startCall(String operation, String model, String version, String requestId, String traceparent) {
    try {
      Context parent = parent(traceparent);
      Handles h = handles();
      if (h == null) {
        // nothing installed: the active context still gives the trace (docs/semantics.md, "Identity")
        SpanContext sc = Span.fromContext(parent).getSpanContext();
        return sc.isValid() ? new ActiveTrace(sc.getTraceId(), sc.isSampled() ? "01" : "00") : CallSpan.NONE;
      }
      String name = model == null ? operation : operation + " " + model;
      Span span = h.tracer().spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL)
          .setAttribute("modelwire.operation", operation).startSpan();
      return new OtelCallSpan(span, parent.with(span), h.tracer(), Span.fromContext(parent).getSpanContext());
    } catch (RuntimeException | LinkageError e) {
      return CallSpan.NONE;
    }
  }

  /** The explicit traceparent option as a remote parent (in the active context), else the active context. */
  private static Context parent(String traceparent) {
    Context current = Context.current();
    if (traceparent == null) return current;
    Matcher m = TRACEPARENT.matcher(traceparent.trim());
    if (!m.matches() || "ff".equals(m.group(1))) return current;
    SpanContext remote = SpanContext.createFromRemoteParent(m.group(2), m.group(3),
        TraceFlags.fromHex(m.group(4), 0), TraceState.getDefault());
    return remote.isValid() ? current.with(Span.wrap(remote)) : current;
  }

  @Override
  public Consumer<ModelwireEvent> metrics() {
    return metrics;
  }

  /** No recording tracer, but an active span context: its trace id and flags, no span. */
  private record ActiveTrace(String traceId, String traceFlags) implements CallSpan {}
}
