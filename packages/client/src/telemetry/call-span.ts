import type { BreakerState } from '../events.js';
import type { FallbackInfo } from '../internal/call-context.js';
import { AttemptSpan } from './attempt-span.js';
import {
  type OtelApi,
  type OtelAttributes,
  type OtelContext,
  type OtelSpan,
  type OtelTracer,
  SPAN_KIND_CLIENT,
  SPAN_STATUS_ERROR,
} from './otel-api.js';
import { serverOf, urlFull } from './url-full.js';

/** What the call span records when the call settles. */
export interface CallSummary {
  attempts?: number;
  /** Set on `predict` only (the cache-aware operation). */
  cached?: boolean;
  stale?: boolean;
  coalesced?: boolean;
  fallback?: FallbackInfo | undefined;
  servedVersion?: string | undefined;
  /** The primary's breaker state at the end, when the operation has a breaker. */
  breakerState?: BreakerState | undefined;
  /** The error's code, when the call failed. */
  errorCode?: string | undefined;
}

/**
 * A logical call's INTERNAL span (`predict fraud-score`); its attempts are CLIENT children. Only a
 * recording span gets attempt spans: otherwise the wire keeps the classic trace rule (see `Telemetry`).
 *
 * @example const call = telemetry.startCall('predict', 'fraud-score', attrs, parent); … call.end({ attempts: 1 });
 */
export class CallSpan {
  readonly recording: boolean;
  private readonly context: OtelContext;

  constructor(
    private readonly api: OtelApi,
    private readonly tracer: OtelTracer,
    private readonly span: OtelSpan,
    parent: OtelContext,
    private readonly suppressKey: symbol,
  ) {
    this.recording = span.isRecording();
    this.context = api.trace.setSpan(parent, span);
  }

  /** The call span's trace id and flags (valid ones only). */
  traceOf(): { traceId: string; flags: string } | undefined {
    const spanContext = this.span.spanContext();
    if (!this.api.trace.isSpanContextValid(spanContext)) return undefined;
    return { traceId: spanContext.traceId, flags: spanContext.traceFlags & 1 ? '01' : '00' };
  }

  /** Runs `fn` with this call span active (so calls made inside become its children). */
  activate<T>(fn: () => T): T {
    return this.api.context.with(this.context, fn);
  }

  /** Starts the CLIENT span of attempt `attempt` (1-based over the whole call). */
  startAttempt(method: string, url: string, attempt: number): AttemptSpan {
    const server = serverOf(url);
    const attributes: OtelAttributes = {
      'http.request.method': method,
      'server.address': server.address,
      'server.port': server.port,
      'url.full': urlFull(url),
      'modelwire.attempt': attempt,
    };
    if (attempt > 1) attributes['http.request.resend_count'] = attempt - 1;
    const span = this.tracer.startSpan(method, { kind: SPAN_KIND_CLIENT, attributes }, this.context);
    const attemptContext = this.api.trace.setSpan(this.context, span);
    return new AttemptSpan(this.api, span, attemptContext.setValue(this.suppressKey, true));
  }

  end(summary: CallSummary): void {
    const { span } = this;
    if (summary.attempts !== undefined) span.setAttribute('modelwire.attempts', summary.attempts);
    if (summary.cached !== undefined) span.setAttribute('modelwire.cached', summary.cached);
    if (summary.stale !== undefined) span.setAttribute('modelwire.stale', summary.stale);
    if (summary.coalesced !== undefined) span.setAttribute('modelwire.coalesced', summary.coalesced);
    if (summary.servedVersion !== undefined) span.setAttribute('modelwire.model.served_version', summary.servedVersion);
    if (summary.fallback) {
      span.setAttribute('modelwire.fallback.from', summary.fallback.from);
      span.setAttribute('modelwire.fallback.to', summary.fallback.to);
      span.setAttribute('modelwire.fallback.reason', summary.fallback.reason);
    }
    if (summary.breakerState !== undefined) span.setAttribute('modelwire.breaker.state', summary.breakerState);
    if (summary.errorCode !== undefined) {
      span.setAttribute('error.type', summary.errorCode);
      span.setStatus({ code: SPAN_STATUS_ERROR, message: summary.errorCode });
    }
    span.end();
  }
}
