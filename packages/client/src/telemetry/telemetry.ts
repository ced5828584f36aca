import { CLIENT_VERSION } from '../internal/client-id.js';
import { CallSpan } from './call-span.js';
import { metricsFromEvents } from './metrics-from-events.js';
import type { OtelApi, OtelAttributes, OtelMeter, OtelTracer, TelemetryOptions } from './otel-api.js';
import { SPAN_KIND_INTERNAL } from './otel-api.js';

const SCOPE = 'modelwire';
/** `@opentelemetry/core`'s suppressTracing() key; `createContextKey` is `Symbol.for`, so this is the same key. */
const SUPPRESS_TRACING = 'OpenTelemetry SDK Context Key SUPPRESS_TRACING';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The client's OpenTelemetry side (docs/semantics.md "Telemetry"): a tracer for call and attempt spans
 * and the metrics listener. Absent (undefined) when the API is not installed or `telemetry: false`.
 *
 * @example const telemetry = Telemetry.create(loadOtelApi(), options.telemetry, baseUrl);
 */
export class Telemetry {
  private readonly suppressKey: symbol;

  private constructor(
    private readonly api: OtelApi,
    private readonly tracer: OtelTracer,
    /** Records one event into the metrics. */
    readonly recordEvent: (event: Parameters<ReturnType<typeof metricsFromEvents>>[0]) => void,
  ) {
    this.suppressKey = api.createContextKey(SUPPRESS_TRACING);
  }

  static create(api: OtelApi | undefined, options: TelemetryOptions | false | undefined, baseUrl: string): Telemetry | undefined {
    if (api === undefined || options === false) return undefined;
    const tracer = (options?.tracerProvider?.getTracer(SCOPE, CLIENT_VERSION) ?? api.trace.getTracer(SCOPE, CLIENT_VERSION)) as OtelTracer;
    const meter = (options?.meterProvider?.getMeter(SCOPE, CLIENT_VERSION) ?? api.metrics.getMeter(SCOPE, CLIENT_VERSION)) as OtelMeter;
    const record = metricsFromEvents(meter, baseUrl);
    return new Telemetry(api, tracer, (event) => {
      try {
        record(event);
      } catch {
        // A failing metrics pipeline must never change a call's outcome.
      }
    });
  }

  /**
   * Starts a call span named `<operation> <model>` under the explicit `traceparent` (a remote parent)
   * or else the active context.
   */
  startCall(operation: string, model: string | undefined, attributes: OtelAttributes, traceparent: string | undefined): CallSpan {
    const { api } = this;
    const parent = remoteParent(api, traceparent) ?? api.context.active();
    const name = model === undefined ? operation : `${operation} ${model}`;
    const span = this.tracer.startSpan(name, { kind: SPAN_KIND_INTERNAL, attributes }, parent);
    return new CallSpan(api, this.tracer, span, parent, this.suppressKey);
  }

  /** Runs `fn` with `span` as the active span (wait_for_job's polls become its children). */
  withActive<T>(span: CallSpan, fn: () => T): T {
    return span.activate(fn);
  }
}

function remoteParent(api: OtelApi, traceparent: string | undefined) {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (match === null || /^0+$/.test(match[1] as string) || /^0+$/.test(match[2] as string)) return undefined;
  return api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId: match[1] as string,
    spanId: match[2] as string,
    traceFlags: Number.parseInt(match[3] as string, 16),
    isRemote: true,
  });
}
