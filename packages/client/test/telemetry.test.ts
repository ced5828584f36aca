// docs/semantics.md "Telemetry": the client's spans with the real OpenTelemetry SDK, and the one-traceparent
// rule with @opentelemetry/instrumentation-undici (which instruments undici and fetch) turned on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientWith } from '../src/client.js';
import { createClient, undiciTransport } from '../src/index.js';
import { urlFull } from '../src/telemetry/url-full.js';
import { TRANSPORTS } from './support/transports.js';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
let instrumentation: UndiciInstrumentation;

/** traceparent values each request carried, one entry per header line (two headers → two values). */
const wire: string[][] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  instrumentation = new UndiciInstrumentation();
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  server = createServer((req, res) => {
    wire.push(req.headersDistinct.traceparent ?? []);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'success',
          code: 'OK',
          message: 'ok',
          request_id: req.headers['x-request-id'],
          trace_id: String(req.headers.traceparent).split('-')[1],
          model: { name: 'fraud-score', version: '2' },
          result: { label: 'legit', score: 0.1, confidence: 0.9 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  instrumentation.disable();
  await new Promise((resolve) => server.close(resolve));
  trace.disable();
  context.disable();
  propagation.disable();
});

beforeEach(() => {
  exporter.reset();
  wire.length = 0;
});

const ours = (spans: ReadableSpan[]) => spans.filter((s) => s.instrumentationScope.name === 'modelwire');
const undiciSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.instrumentationScope.name.includes('undici'));

describe('the instrumentation is really on (so the tests below can fail)', () => {
  it('a plain undici request gets its CLIENT span and its traceparent from instrumentation-undici', async () => {
    await trace.getTracer('test').startActiveSpan('parent', async (parent) => {
      const res = await undiciRequest(`${baseUrl}/health/ready`);
      await res.body.text();
      parent.end();
    });
    expect(undiciSpans(exporter.getFinishedSpans())).toHaveLength(1);
    expect(wire).toEqual([[expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)]]);
  });
});

describe.each(TRANSPORTS)('with instrumentation-undici on, %s transport', (_name, makeTransport) => {
  it('a predict inside an active span: one call span, one attempt span, exactly one traceparent (the attempt span)', async () => {
    const client = createClient({ baseUrl, transport: makeTransport(), cache: false });
    const parent = trace.getTracer('test').startSpan('handler');
    await context.with(trace.setSpan(context.active(), parent), () => client.predict('fraud-score', { amount: 1 }));
    parent.end();
    const spans = exporter.getFinishedSpans();
    expect(undiciSpans(spans)).toEqual([]);
    const [attempt, call] = ours(spans);
    expect(call?.name).toBe('predict fraud-score');
    expect(call?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(attempt?.kind).toBe(SpanKind.CLIENT);
    expect(attempt?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    const { traceId, spanId } = attempt?.spanContext() ?? {};
    expect(wire).toEqual([[`00-${traceId}-${spanId}-01`]]);
    await client.close();
  });

  it('an explicit traceparent still wins: the call span continues that trace', async () => {
    const client = createClient({ baseUrl, transport: makeTransport(), cache: false });
    await client.predict('fraud-score', { amount: 1 }, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const [attempt, call] = ours(exporter.getFinishedSpans());
    expect(call?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(call?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(wire).toEqual([[`00-0af7651916cd43dd8448eb211c80319c-${attempt?.spanContext().spanId}-01`]]);
    await client.close();
  });
});

describe('telemetry off or absent', () => {
  it('telemetry: false makes no span and no suppression (instrumentation-undici then adds its own header, as for any request)', async () => {
    const client = createClient({ baseUrl, cache: false, telemetry: false });
    await client.predict('fraud-score', { amount: 1 });
    expect(ours(exporter.getFinishedSpans())).toEqual([]);
    // instrumentation-undici is suppressed only for our attempts: with telemetry off it behaves as for any request.
    expect(wire[0]).toHaveLength(2);
    await client.close();
  });

  it('without @opentelemetry/api (the loader finds nothing): no span, one traceparent of our own per attempt', async () => {
    instrumentation.disable();
    try {
      const noApi = () => undefined;
      const client = createClientWith({ baseUrl, cache: false }, () => undiciTransport(), noApi);
      const p = await client.predict('fraud-score', { amount: 1 });
      expect(ours(exporter.getFinishedSpans())).toEqual([]);
      expect(wire).toEqual([[expect.stringMatching(new RegExp(`^00-${p.traceId}-[0-9a-f]{16}-01$`))]]);
      await client.close();
    } finally {
      instrumentation.enable();
    }
  });
});

describe('a failing exporter never changes a call', () => {
  it('the span processor throws on every span: the call still answers', async () => {
    const throwing: SpanExporter = {
      export: () => {
        throw new Error('exporter down');
      },
      shutdown: async () => {},
    };
    const broken = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: throwing })] });
    const client = createClient({ baseUrl, cache: false, telemetry: { tracerProvider: broken } });
    const p = await client.predict('fraud-score', { amount: 1 });
    expect(p.result.label).toBe('legit');
    await client.close();
  });
});

describe('url.full (semconv: no credentials, no query secrets)', () => {
  it.each([
    ['http://svc:s3cret@10.0.0.5:8080/v1/models/m/predict', 'http://REDACTED:REDACTED@10.0.0.5:8080/v1/models/m/predict'],
    ['https://gw.example/v1/models?api_key=abc&page=2', 'https://gw.example/v1/models?api_key=REDACTED&page=REDACTED'],
    ['http://127.0.0.1:4010/v1/health/ready', 'http://127.0.0.1:4010/v1/health/ready'],
  ])('%s → %s', (url, expected) => {
    expect(urlFull(url)).toBe(expected);
  });
});
