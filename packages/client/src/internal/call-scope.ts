import type { Clock } from '../clock.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import type { BreakerState, ModelwireEvent } from '../events.js';
import type { CallSpan } from '../telemetry/call-span.js';
import type { OtelAttributes } from '../telemetry/otel-api.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { startTrace } from '../trace.js';
import type { Answer, CallProgress } from './call-context.js';

/** The operation's name in spans, metrics and `call_end` events: `submitJob` → `submit_job`. */
export function operationName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** What a scope needs from its client. */
export interface ScopeDeps {
  telemetry: Telemetry | undefined;
  clock: Clock;
  emit: (event: ModelwireEvent) => void;
  /** False when nobody listens to events (no hook, no metrics): `call_end` is then not built. */
  observed: boolean;
}

/**
 * One logical call from its start to its settlement (docs/semantics.md "Events", "Telemetry"): its
 * request id, its trace (the call span's when OpenTelemetry records, else the classic rule), the
 * progress its stages report, and at the end the `call_end` event and the call span's end.
 *
 * @example const scope = new CallScope(deps, 'predict', 'fraud-score', undefined, options); … scope.settle(answer, undefined);
 */
export class CallScope {
  readonly requestId: string;
  readonly traceId: string;
  readonly traceFlags: string;
  /** The call span, when one is recording (attempt spans are made only then). */
  readonly span: CallSpan | undefined;
  readonly progress: CallProgress = { attempts: 0, coalesced: false, fallback: undefined };
  private readonly startedAt: number;
  private readonly anySpan: CallSpan | undefined;

  constructor(
    private readonly deps: ScopeDeps,
    private readonly operation: string,
    private readonly model: string | undefined,
    private readonly version: string | undefined,
    requestId: string,
    traceparent: string | undefined,
  ) {
    this.requestId = requestId;
    this.startedAt = deps.clock.now();
    const { telemetry } = deps;
    this.anySpan = telemetry?.startCall(operation, model, callAttributes(operation, model, version, requestId), traceparent);
    this.span = this.anySpan?.recording ? this.anySpan : undefined;
    // A recording span's trace wins; a non-recording one still carries the active (or explicit) trace.
    const trace = this.anySpan?.traceOf() ?? startTrace(traceparent);
    this.traceId = trace.traceId;
    this.traceFlags = trace.flags;
  }

  /** Ends the call: `call_end` (when observed) and the call span. Never throws. */
  settle(answer: Answer | undefined, error: unknown, breakerState: BreakerState | undefined): void {
    const { progress } = this;
    const errorCode = error === undefined ? undefined : error instanceof ModelwireError ? error.code : 'INTERNAL_ERROR';
    const predict = this.operation === 'predict';
    const cached = answer?.cached ?? false;
    const fallback = answer?.fallback ?? progress.fallback;
    if (this.deps.observed) {
      this.deps.emit({
        type: 'call_end',
        model: this.model ?? null,
        version: this.version ?? null,
        requestId: this.requestId,
        operation: this.operation,
        outcome: errorCode ?? 'ok',
        latencyMs: this.deps.clock.now() - this.startedAt,
        attempts: progress.attempts,
        cached,
        coalesced: progress.coalesced,
        fallback: fallback?.to ?? null,
      });
    }
    if (this.anySpan === undefined) return;
    try {
      this.anySpan.end({
        attempts: progress.attempts,
        cached: predict ? cached : undefined,
        stale: predict ? (answer?.stale ?? false) : undefined,
        coalesced: predict ? progress.coalesced : undefined,
        fallback,
        servedVersion: answer?.servedVersion,
        breakerState,
        errorCode,
      });
    } catch {
      // A failing span processor must never change a call's outcome.
    }
  }
}

function callAttributes(operation: string, model: string | undefined, version: string | undefined, requestId: string): OtelAttributes {
  const attributes: OtelAttributes = { 'modelwire.operation': operation, 'modelwire.request_id': requestId };
  if (model !== undefined) attributes['modelwire.model'] = model;
  if (version !== undefined) attributes['modelwire.model.version'] = version;
  return attributes;
}
