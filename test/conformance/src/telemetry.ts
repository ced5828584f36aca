// Telemetry scenarios (README "Telemetry scenarios"): a real OpenTelemetry SDK in the runner, each call in
// its own active step span, and the checks of `expect.spans`, `expect.wire` and the scenario's `metrics`.
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOnSampler, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { LoggedRequest } from './mock-admin.js';

/** An expected span (scenario.schema.json `#/definitions/span`). */
export interface ExpectedSpan {
  name: string;
  kind: 'INTERNAL' | 'CLIENT';
  status?: 'UNSET' | 'ERROR';
  attributes?: Record<string, string | number | boolean>;
  absent?: string[];
  children?: ExpectedSpan[];
}

/** An expected metric data point (scenario.schema.json `metrics`). */
export interface ExpectedMetric {
  name: string;
  attributes: Record<string, string | number | boolean>;
  absent?: string[];
  value?: number;
  count?: number;
}

/** Collects on demand only (cumulative), like a Prometheus scrape. */
class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const exporter = new InMemorySpanExporter();
let installed = false;

/** Registers the global tracer provider, context manager and W3C propagator once per process. */
export function installOtel(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new TracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
}

/** A telemetry scenario's run: a fresh meter provider (passed to the client) and a clean span exporter. */
export class TelemetryRun {
  readonly reader = new ManualReader();
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  constructor() {
    installOtel();
    exporter.reset();
  }

  /** Runs `fn` inside a new active step span; returns the span with fn's outcome. */
  async inStepSpan<T>(fn: () => Promise<T>): Promise<{ span: Span; outcome: Promise<T> }> {
    const tracer = trace.getTracer('conformance');
    return tracer.startActiveSpan('conformance step', async (span) => {
      const outcome = fn();
      try {
        await outcome;
      } catch {
        // The caller reads the outcome.
      } finally {
        span.end();
      }
      return { span, outcome };
    });
  }

  /** Problems between the spans under `parentSpanId` and the expected trees; also returns the CLIENT spans in order. */
  checkSpans(where: string, expected: ExpectedSpan[], parentSpanId: string): { problems: string[]; clientSpans: ReadableSpan[] } {
    const all = exporter.getFinishedSpans();
    const problems: string[] = [];
    const clientSpans: ReadableSpan[] = [];
    const childrenOf = (id: string) =>
      all.filter((s) => s.parentSpanContext?.spanId === id).sort((a, b) => compareTime(a.startTime, b.startTime));
    const walk = (label: string, want: ExpectedSpan[], got: ReadableSpan[]) => {
      if (want.length !== got.length) {
        problems.push(
          `${label}: expected ${want.length} span(s) [${want.map((s) => s.name).join(', ')}], got ${got.length} [${got.map((s) => s.name).join(', ')}]`,
        );
        return;
      }
      want.forEach((w, i) => {
        const g = got[i] as ReadableSpan;
        const at = `${label} > ${w.name}#${i + 1}`;
        if (g.name !== w.name) problems.push(`${at}: name ${JSON.stringify(g.name)}`);
        const kind = SpanKind[g.kind];
        if (kind !== w.kind) problems.push(`${at}: kind ${kind}, expected ${w.kind}`);
        if (w.status !== undefined) {
          const status = SpanStatusCode[g.status.code];
          if (status !== w.status) problems.push(`${at}: status ${status}, expected ${w.status}`);
        }
        for (const [key, value] of Object.entries(w.attributes ?? {})) {
          if (g.attributes[key] !== value)
            problems.push(`${at}: attribute ${key} = ${JSON.stringify(g.attributes[key])}, expected ${JSON.stringify(value)}`);
        }
        for (const key of w.absent ?? []) {
          if (key in g.attributes) problems.push(`${at}: attribute ${key} should be absent, got ${JSON.stringify(g.attributes[key])}`);
        }
        if (g.kind === SpanKind.CLIENT) clientSpans.push(g);
        if (w.children !== undefined) walk(at, w.children, childrenOf(g.spanContext().spanId));
      });
    };
    walk(where, expected, childrenOf(parentSpanId));
    return { problems, clientSpans };
  }

  /** Problems between the requests a call sent and its CLIENT spans (one traceparent each, the span's own context). */
  static checkWire(where: string, requests: LoggedRequest[], clientSpans: ReadableSpan[]): string[] {
    if (requests.length !== clientSpans.length) {
      return [`${where}: wire: ${requests.length} request(s) for ${clientSpans.length} CLIENT span(s)`];
    }
    const problems: string[] = [];
    requests.forEach((r, i) => {
      const header = r.headers.traceparent;
      const match = typeof header === 'string' ? /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(header) : null;
      const span = (clientSpans[i] as ReadableSpan).spanContext();
      if (!match) problems.push(`${where}: wire: request ${i + 1} traceparent ${JSON.stringify(header)} is not exactly one valid header`);
      else if (match[1] !== span.traceId || match[2] !== span.spanId)
        problems.push(`${where}: wire: request ${i + 1} traceparent ${header} is not CLIENT span ${span.traceId}/${span.spanId}`);
    });
    return problems;
  }

  /** Problems between the collected metrics and the expected data points. */
  async checkMetrics(expected: ExpectedMetric[]): Promise<string[]> {
    const { resourceMetrics } = await this.reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const problems: string[] = [];
    for (const want of expected) {
      const points = metrics
        .filter((m) => m.descriptor.name === want.name)
        .flatMap((m) => m.dataPoints as { attributes: Record<string, unknown>; value: unknown }[])
        .filter(
          (p) =>
            Object.entries(want.attributes).every(([k, v]) => p.attributes[k] === v) && !(want.absent ?? []).some((k) => k in p.attributes),
        );
      const got = points.reduce(
        (sum, p) => sum + (want.count !== undefined ? (p.value as { count: number }).count : (p.value as number)),
        0,
      );
      const wanted = want.count ?? want.value ?? 0;
      if (got !== wanted || (points.length === 0 && wanted !== 0)) {
        problems.push(
          `metrics: ${want.name} ${JSON.stringify(want.attributes)}: expected ${want.count !== undefined ? 'count' : 'value'} ${wanted}, got ${got} (${points.length} point(s))`,
        );
      }
    }
    await this.meterProvider.shutdown();
    return problems;
  }
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
