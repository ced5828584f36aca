import type { OtelApi, OtelContext, OtelSpan } from './otel-api.js';
import { SPAN_STATUS_ERROR } from './otel-api.js';

/**
 * One HTTP attempt's CLIENT span (OpenTelemetry HTTP client semantic conventions). Its context is
 * what the attempt sends as `traceparent`, and the request runs with tracing suppressed, so the HTTP
 * library's own instrumentation (instrumentation-undici for undici and fetch) adds neither a second
 * span nor a second `traceparent`: its tracer sees the suppression flag, makes a non-recording span,
 * and the W3C propagator injects nothing for it.
 *
 * @example const span = call.startAttempt('POST', url, 1); await span.run(() => transport(request)); span.answered(200); span.end();
 */
export class AttemptSpan {
  readonly traceparent: string;

  constructor(
    private readonly api: OtelApi,
    private readonly span: OtelSpan,
    private readonly suppressed: OtelContext,
  ) {
    const { traceId, spanId, traceFlags } = span.spanContext();
    this.traceparent = `00-${traceId}-${spanId}-${traceFlags & 1 ? '01' : '00'}`;
  }

  /** Runs the request in the attempt's context with the HTTP library's instrumentation suppressed. */
  run<T>(send: () => Promise<T>): Promise<T> {
    return this.api.context.with(this.suppressed, send);
  }

  /** The attempt got an HTTP answer; 4xx/5xx are errors (`error.type` is the status). */
  answered(status: number): void {
    this.span.setAttribute('http.response.status_code', status);
    if (status >= 400) this.failed(String(status));
  }

  /** The attempt failed: no answer (`TIMEOUT`, `CONNECTION_ERROR`, `ABORTED`) or an unreadable 2xx. */
  failed(errorType: string): void {
    this.span.setAttribute('error.type', errorType);
    this.span.setStatus({ code: SPAN_STATUS_ERROR, message: errorType });
  }

  end(): void {
    this.span.end();
  }
}
