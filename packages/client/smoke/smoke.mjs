// Imports the BUILT package (ESM) by its own name and makes one real call on loopback.
import { canonicalJson, createClient, ValidationError } from '@modelwire/client';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import smoke from './server.cjs';

// The optional @opentelemetry/api is found by the built ESM code: the call makes a call span and an attempt span.
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
const server = await smoke.startSmokeServer(0.9);
const p = await createClient({ baseUrl: server.url }).predict('m', { b: 1, a: 2 });
server.close();
const spans = exporter.getFinishedSpans().map((s) => s.name);
if (
  canonicalJson({ b: 1.0, a: [] }) !== '{"a":[],"b":1}' ||
  p.confidence !== 0.9 ||
  typeof ValidationError !== 'function' ||
  spans.join() !== 'POST,predict m'
) {
  console.error('ESM smoke failed', p, spans);
  process.exit(1);
}
console.log(`ESM smoke ok on Node ${process.version}`);
