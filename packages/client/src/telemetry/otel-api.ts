/**
 * The part of `@opentelemetry/api` the SDK uses, typed structurally so that neither our code nor our
 * published types import the package: it is an optional peer dependency (docs/semantics.md "Telemetry").
 */
export type OtelAttributes = Record<string, string | number | boolean>;

export interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}

export interface OtelSpan {
  spanContext(): OtelSpanContext;
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  isRecording(): boolean;
  end(): void;
}

export interface OtelContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): OtelContext;
}

export interface OtelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: OtelAttributes }, context?: OtelContext): OtelSpan;
}

export interface OtelMeter {
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: OtelAttributes): void };
  createCounter(name: string, options?: { description?: string; unit?: string }): { add(value: number, attributes?: OtelAttributes): void };
}

/** A tracer provider, e.g. the OpenTelemetry SDK's `NodeTracerProvider`. */
export interface OtelTracerProvider {
  getTracer(name: string, version?: string): unknown;
}

/** A meter provider, e.g. the OpenTelemetry SDK's `MeterProvider`. */
export interface OtelMeterProvider {
  getMeter(name: string, version?: string): unknown;
}

/** The module `@opentelemetry/api` (1.x), as far as the SDK uses it. */
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    setSpanContext(context: OtelContext, spanContext: OtelSpanContext): OtelContext;
    isSpanContextValid(spanContext: OtelSpanContext): boolean;
  };
  context: {
    active(): OtelContext;
    with<T>(context: OtelContext, fn: () => T): T;
  };
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  ROOT_CONTEXT: OtelContext;
  createContextKey(description: string): symbol;
}

/** Where the client's spans and metrics go (docs/semantics.md "Telemetry"); `false` turns both off. */
export interface TelemetryOptions {
  /** Default: the global tracer provider of `@opentelemetry/api`. */
  tracerProvider?: OtelTracerProvider;
  /** Default: the global meter provider of `@opentelemetry/api`. */
  meterProvider?: OtelMeterProvider;
}

/** OpenTelemetry's `SpanKind` and `SpanStatusCode` values (stable since API 1.0). */
export const SPAN_KIND_INTERNAL = 0;
export const SPAN_KIND_CLIENT = 2;
export const SPAN_STATUS_ERROR = 2;
