package io.modelwire.client.internal.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One attempt span (CLIENT). Its context is the wire traceparent; the transport is started inside
 * its context, marked as the HTTP client span ({@link HttpClientSuppression}) so the HTTP library's
 * own instrumentation (the Java agent's java.net.http one) makes no second span and keeps this
 * traceparent.
 *
 * <pre>{@code attempt.end(503, "503"); }</pre>
 */
final class OtelAttemptSpan implements AttemptSpan {
  private final Span span;
  private final Context context;
  private final AtomicBoolean ended = new AtomicBoolean();

  OtelAttemptSpan(Span span, Context context) {
    this.span = span;
    this.context = context;
  }

  @Override
  public String traceparent() {
    SpanContext sc = span.getSpanContext();
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + (sc.isSampled() ? "01" : "00");
  }

  @Override
  public <T> T runWithin(Supplier<T> send) {
    Scope scope;
    try {
      scope = HttpClientSuppression.mark(context, span).makeCurrent();
    } catch (RuntimeException | LinkageError e) {
      return send.get();
    }
    try (Scope s = scope) {
      return send.get();
    }
  }

  @Override
  public void end(Integer status, String errorType) {
    if (!ended.compareAndSet(false, true)) return;
    try {
      if (status != null) span.setAttribute("http.response.status_code", status.longValue());
      if (errorType != null) {
        span.setAttribute("error.type", errorType);
        span.setStatus(StatusCode.ERROR, errorType);
      }
    } catch (RuntimeException | LinkageError ignored) {
      // best effort; the span still ends
    }
    try {
      span.end();
    } catch (RuntimeException | LinkageError ignored) {
      // a failing processor or exporter never changes a call's outcome
    }
  }
}
