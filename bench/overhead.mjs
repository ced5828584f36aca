// Per-call CPU cost of the pipeline itself (in-memory transport, cache misses): node bench/overhead.mjs
import { createClient } from '@modelwire/client';
import { memoryTransport, NOWHERE } from './fixtures.mjs';

const client = createClient({ baseUrl: NOWHERE, transport: memoryTransport() });
const padding = 'x'.repeat(900);
const N = Number(process.argv[2] ?? 200_000);
for (let i = 0; i < 20_000; i++) await client.predict('fraud-score', { i: -i, note: padding });
const t = performance.now();
for (let i = 0; i < N; i++) await client.predict('fraud-score', { i, note: padding });
console.log(`pipeline overhead (miss, in-memory transport): ${(((performance.now() - t) * 1000) / N).toFixed(2)} µs/call`);
