/**
 * The service with the OpenTelemetry SDK (in-memory exporter and a manual metric reader instead of OTLP):
 * a scored transaction is one trace — the service's SERVER span, the client's `predict fraud-score` span
 * and its CLIENT attempt span — and the gateway received exactly that attempt span as its parent.
 */
import type { AddressInfo } from 'node:net';
import { type MockServer, startMockServer } from '@modelwire/mock-server';
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createScoringService } from '../src/service.ts';
import { startTelemetry } from '../src/telemetry.ts';

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const exporter = new InMemorySpanExporter();
const reader = new ManualReader();
let telemetry: ReturnType<typeof startTelemetry>;
let mock: MockServer;
let service: ReturnType<typeof createScoringService>;
let base: string;

beforeAll(async () => {
  telemetry = startTelemetry({ spanProcessor: new SimpleSpanProcessor({ exporter }), metricReader: reader });
  mock = await startMockServer({ port: 0 });
  service = createScoringService({ client: { baseUrl: mock.apiUrl, auth: { token: 't-service' } } });
  await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => service.server.close(resolve));
  await mock.close();
  await telemetry.shutdown();
});

it('POST /score continues the caller trace: SERVER → predict fraud-score → POST (CLIENT), and the gateway saw that CLIENT span', async () => {
  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const res = await fetch(`${base}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: incoming },
    body: JSON.stringify({ amount: 42, country: 'FR', card_present: true }),
  });
  expect(res.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 20)); // the SERVER span ends on the response's 'close'
  const spans = exporter.getFinishedSpans();
  const server = spans.find((s) => s.name === 'POST /score');
  const call = spans.find((s) => s.name === 'predict fraud-score');
  const attempt = spans.find((s) => s.instrumentationScope.name === 'modelwire' && s.name === 'POST');
  expect(server?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  expect(call?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
  expect(attempt?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
  const log = (await (await fetch(`${mock.url}/__admin/requests`)).json()) as {
    requests: { path: string; headers: Record<string, string> }[];
  };
  const sent = log.requests.filter((r) => r.path === '/v1/models/fraud-score/predict');
  expect(sent.map((r) => r.headers.traceparent)).toEqual([`00-4bf92f3577b34da6a3ce929d0e0e4736-${attempt?.spanContext().spanId}-01`]);

  const { resourceMetrics } = await reader.collect();
  const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
  expect(names).toEqual(
    expect.arrayContaining(['http.client.request.duration', 'modelwire.client.calls', 'modelwire.client.call.duration']),
  );
});
