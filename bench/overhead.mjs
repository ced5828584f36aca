// Per-call CPU cost of the pipeline itself (in-memory transport, cache misses): node bench/overhead.mjs
import { createClient } from '@modelwire/client';

const okBody = JSON.stringify({
  status: 'success',
  code: 'OK',
  message: '',
  request_id: 'r',
  trace_id: 't',
  model: { name: 'm', version: '1' },
  result: { confidence: 0.9, label: 'legit', score: 0.08 },
});
const client = createClient({ baseUrl: 'http://127.0.0.1:9/v1', transport: async () => ({ status: 200, headers: {}, body: okBody }) });
const padding = 'x'.repeat(900);
const N = Number(process.argv[2] ?? 200_000);
for (let i = 0; i < 20_000; i++) await client.predict('fraud-score', { i: -i, note: padding });
const t = performance.now();
for (let i = 0; i < N; i++) await client.predict('fraud-score', { i, note: padding });
console.log(`pipeline overhead (miss, in-memory transport): ${(((performance.now() - t) * 1000) / N).toFixed(2)} µs/call`);
