// The TypeScript driver of the one benchmark (bench/compare.mjs): raw undici.request and the TS SDK (full pipeline,
// cache misses) against the shared server. Prints one JSON line (protocol: bench/compare.mjs).
// Usage: node bench/ts-driver.mjs --url http://127.0.0.1:<port>/v1 [--seconds 10] [--rounds 5] [--concurrency 32]
import { createClient } from '@modelwire/client';
import { Agent, request } from 'undici';
import { measureAll } from './measure.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const baseUrl = arg('url');
if (!baseUrl) throw new Error('usage: ts-driver.mjs --url <base url ending in /v1>');
const seconds = Number(arg('seconds', 10));
const rounds = Number(arg('rounds', 5));
const concurrency = Number(arg('concurrency', 32));

// A ~1 KB input; `seq` makes every call a cache miss.
const padding = 'x'.repeat(900);
let seq = 0;
const input = () => ({ amount: 129.5, country: 'FR', card_present: false, hour: 13, seq: seq++, note: padding });
const url = `${baseUrl}/models/fraud-score/predict`;
const headers = { 'content-type': 'application/json' };
const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
const sdk = createClient({ baseUrl, telemetry: false });

const results = await measureAll(
  [
    [
      'raw undici.request',
      async () => {
        const r = await request(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ request_id: crypto.randomUUID(), data: input(), meta: {} }),
          dispatcher: agent,
        });
        await r.body.json();
      },
    ],
    ['@modelwire/client', () => sdk.predict('fraud-score', input())],
  ],
  { seconds, rounds, concurrency },
);
const row = (name, kind) => ({
  name,
  kind,
  mode: 'async',
  rps: results[name].rps,
  p50_ms: results[name].p50,
  p99_ms: results[name].p99,
  cpu_us_per_req: results[name].cpuUs,
});
console.log(
  JSON.stringify({
    lang: 'typescript',
    runtime: `Node ${process.version}`,
    results: [row('raw undici.request', 'raw'), row('@modelwire/client', 'sdk')],
  }),
);
await sdk.close();
await agent.close();
