package io.modelwire.client.internal.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The call span (INTERNAL) with the attributes of docs/semantics.md ("Telemetry", Spans), set when
 * the call settles. Every OpenTelemetry call is guarded: a failing SDK or exporter never reaches
 * the call.
 *
 * <pre>{@code callSpan.end(facts); }</pre>
 */
final class OtelCallSpan implements CallSpan {
  private final Span span;
  private final Context context;
  private final Tracer tracer;
  private final SpanContext parent;
  private final AtomicBoolean ended = new AtomicBoolean();

  OtelCallSpan(Span span, Context context, Tracer tracer, SpanContext parent) {
    this.span = span;
    this.context = context;
    this.tracer = tracer;
    this.parent = parent;
  }

  /** A span of our own: valid and not merely the parent's context handed back by a no-op tracer. */
  private boolean own(SpanContext sc, SpanContext of) {
    return sc.isValid() && !(of.isValid() && sc.getSpanId().equals(of.getSpanId()));
  }

  @Override
  public String traceId() {
    SpanContext sc = span.getSpanContext();
    return sc.isValid() ? sc.getTraceId() : null;
  }

  @Override
  public String traceFlags() {
    SpanContext sc = span.getSpanContext();
    return sc.isValid() ? (sc.isSampled() ? "01" : "00") : null;
  }

  @Override
  public AttemptSpan startAttempt(String method, URI url, int attempt) {
    try {
      if (!own(span.getSpanContext(), parent)) return AttemptSpan.NONE; // a no-op tracer: nothing records
      var b = tracer.spanBuilder(method).setParent(context).setSpanKind(SpanKind.CLIENT)
          .setAttribute("http.request.method", method)
          .setAttribute("modelwire.attempt", attempt);
      if (url.getHost() != null) b.setAttribute("server.address", url.getHost());
      int port = UrlFull.port(url);
      if (port >= 0) b.setAttribute("server.port", port);
      String full = UrlFull.of(url);
      if (full != null) b.setAttribute("url.full", full);
      if (attempt > 1) b.setAttribute("http.request.resend_count", attempt - 1);
      Span s = b.startSpan();
      if (!own(s.getSpanContext(), span.getSpanContext())) return AttemptSpan.NONE;
      return new OtelAttemptSpan(s, context.with(s));
    } catch (RuntimeException | LinkageError e) {
      return AttemptSpan.NONE;
    }
  }

  @Override
  public <T> T runWithin(Supplier<T> work) {
    Scope scope;
    try {
      scope = context.makeCurrent();
    } catch (RuntimeException | LinkageError e) {
      return work.get();
    }
    try (Scope s = scope) {
      return work.get();
    }
  }

  @Override
  public void end(CallFacts f) {
    if (!ended.compareAndSet(false, true)) return;
    try {
      if (f.model() != null) span.setAttribute("modelwire.model", f.model());
      if (f.version() != null) span.setAttribute("modelwire.model.version", f.version());
      if (f.servedVersion() != null) span.setAttribute("modelwire.model.served_version", f.servedVersion());
      if (f.requestId() != null) span.setAttribute("modelwire.request_id", f.requestId());
      if (f.cacheFlags()) {
        span.setAttribute("modelwire.cached", f.cached());
        span.setAttribute("modelwire.stale", f.stale());
        span.setAttribute("modelwire.coalesced", f.coalesced());
      }
      span.setAttribute("modelwire.attempts", f.attempts());
      if (f.fallbackTo() != null) {
        span.setAttribute("modelwire.fallback.from", f.model());
        span.setAttribute("modelwire.fallback.to", f.fallbackTo());
        span.setAttribute("modelwire.fallback.reason", f.fallbackReason());
      }
      if (f.breakerState() != null) span.setAttribute("modelwire.breaker.state", f.breakerState());
      if (f.errorCode() != null) {
        span.setAttribute("error.type", f.errorCode());
        span.setStatus(StatusCode.ERROR, f.errorCode()); // the code, never the message
      }
    } catch (RuntimeException | LinkageError ignored) {
      // attributes are best effort; the span still ends below
    }
    try {
      span.end();
    } catch (RuntimeException | LinkageError ignored) {
      // a failing processor or exporter never changes a call's outcome
    }
  }
}
