// Micro-profile of the cache-hit path and its parts (node bench/hit-profile.mjs).
import { cacheKey, canonicalJson, createClient, sha256Hex } from '@modelwire/client';
import { memoryTransport, NOWHERE } from './fixtures.mjs';

const client = createClient({ baseUrl: NOWHERE, transport: memoryTransport() });
const data = { amount: 129.5, country: 'FR', card_present: false, hour: 13, note: 'x'.repeat(900) };
await client.predict('fraud-score', data);
const N = 300_000;
const time = async (label, fn) => {
  for (let i = 0; i < 10_000; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn();
  console.log(`${label}: ${(((performance.now() - t) * 1000) / N).toFixed(2)} µs`);
};
await time('predict (hit)', () => client.predict('fraud-score', data));
await time('canonicalJson 1KB', () => canonicalJson(data));
const text = canonicalJson(data);
await time('sha256 1KB', () => sha256Hex(text));
await time('cacheKey 1KB', () => cacheKey({ model: 'm', version: null, scope: 's', data }));
await time('randomUUID', () => crypto.randomUUID());
