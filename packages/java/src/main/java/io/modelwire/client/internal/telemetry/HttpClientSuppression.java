package io.modelwire.client.internal.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * Suppresses the HTTP library's own OpenTelemetry instrumentation for our attempts (docs/semantics.md,
 * "one traceparent"): the OpenTelemetry Java agent skips its java.net.http CLIENT span when the
 * context already holds an HTTP client span under the instrumentation API's span keys, and the agent
 * bridges the application's keys to its own. So, when {@code opentelemetry-instrumentation-api} is on
 * the classpath (an optional dependency), the attempt span is stored under {@code HTTP_CLIENT} and
 * {@code KIND_CLIENT}; then the agent makes no nested span and its header injection writes the
 * attempt span's own traceparent (one header). Without that library the context is left as it is
 * (the agent then adds its CLIENT span as a child of the attempt span and its traceparent replaces
 * ours — still one header; see packages/java notes).
 *
 * <pre>{@code Context ctx = HttpClientSuppression.mark(context, attemptSpan); }</pre>
 */
final class HttpClientSuppression {
  private static final boolean AVAILABLE =
      TelemetryLoader.present("io.opentelemetry.instrumentation.api.internal.SpanKey");

  private HttpClientSuppression() {}

  static Context mark(Context context, Span span) {
    if (!AVAILABLE) return context;
    try {
      return Keys.mark(context, span);
    } catch (RuntimeException | LinkageError e) {
      return context;
    }
  }

  /** The only place naming the instrumentation API (loaded only when it is present). */
  private static final class Keys {
    static Context mark(Context context, Span span) {
      Context c = io.opentelemetry.instrumentation.api.internal.SpanKey.HTTP_CLIENT.storeInContext(context, span);
      return io.opentelemetry.instrumentation.api.internal.SpanKey.KIND_CLIENT.storeInContext(c, span);
    }
  }
}
