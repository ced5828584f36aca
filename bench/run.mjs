// Benchmarks (not tests): every client against the same loopback server in one run, reported as
// req/s, p50/p99 and ratios to raw undici.request. Usage: node bench/run.mjs [--seconds 5]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cacheKey, createClient } from '@modelwire/client';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { build } from 'esbuild';
import ky from 'ky';
import createFetchClient from 'openapi-fetch';
import { Agent, request } from 'undici';
import { memoryTransport } from './fixtures.mjs';
import { measureAll } from './measure.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--http-only');
const SECONDS = arg('seconds', 10); // per contender, split into ROUNDS interleaved slices
const CONCURRENCY = arg('concurrency', 32);
const MEMORY_CALLS = arg('memory-calls', 1_000_000);

const here = fileURLToPath(new URL('.', import.meta.url));
const child = fork(`${here}server.mjs`, { stdio: 'inherit' });
const { port } = await new Promise((resolve) => child.once('message', resolve));
const baseUrl = `http://127.0.0.1:${port}/v1`;
const url = `${baseUrl}/models/fraud-score/predict`;

// A ~1 KB input; `seq` makes every call a cache miss.
const padding = 'x'.repeat(900);
let seq = 0;
const input = () => ({ amount: 129.5, country: 'FR', card_present: false, hour: 13, seq: seq++, note: padding });
const envelope = (data) => JSON.stringify({ request_id: crypto.randomUUID(), data, meta: {} });

const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
const kyClient = ky.create({ retry: 0, timeout: false });
const openapi = createFetchClient({ baseUrl });
const modelwire = createClient({ baseUrl });
// OpenTelemetry cost (docs/semantics.md "Telemetry"): off (as without @opentelemetry/api), the API with no SDK
// (what `modelwire` above gets: the API is installed here, no provider registered), and a recording SDK whose
// exporter drops spans and whose metrics are aggregated but never exported.
const modelwireTelemetryOff = createClient({ baseUrl, telemetry: false });
const dropSpans = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}
const modelwireOtelSdk = createClient({
  baseUrl,
  telemetry: {
    tracerProvider: new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: dropSpans })] }),
    meterProvider: new MeterProvider({ readers: [new IdleReader()] }),
  },
});
const headers = { 'content-type': 'application/json' };

const contenders = {
  'undici.request (raw)': async () => {
    const r = await request(url, { method: 'POST', headers, body: envelope(input()), dispatcher: agent });
    await r.body.json();
  },
  'fetch (global)': async () => {
    const r = await fetch(url, { method: 'POST', headers, body: envelope(input()) });
    await r.json();
  },
  'ky (plain)': async () => {
    await kyClient.post(url, { body: envelope(input()), headers }).json();
  },
  'openapi-fetch': async () => {
    await openapi.POST('/models/{model}/predict', { params: { path: { model: 'fraud-score' } }, body: JSON.parse(envelope(input())) });
  },
  '@modelwire/client (full pipeline, miss)': async () => {
    await modelwire.predict('fraud-score', input());
  },
  '@modelwire/client (miss, telemetry: false)': async () => {
    await modelwireTelemetryOff.predict('fraud-score', input());
  },
  '@modelwire/client (miss, OTel SDK recording)': async () => {
    await modelwireOtelSdk.predict('fraud-score', input());
  },
};

const ROUNDS = arg('rounds', 5);

const measure = (entries) => measureAll(entries, { seconds: SECONDS, rounds: ROUNDS, concurrency: CONCURRENCY });

console.log(
  `# modelwire benchmark — Node ${process.version}, loopback, ${CONCURRENCY} concurrent, ~1 KB input, ${SECONDS}s each in ${ROUNDS} interleaved rounds (req/s = median round)\n`,
);
// Cache hit path: the same 1 KB input again and again.
const hitInput = input();
await modelwire.predict('fraud-score', hitInput);
const HITS = 500_000;
for (let i = 0; i < 50_000; i++) await modelwire.predict('fraud-score', hitInput); // warm-up
globalThis.gc?.();
let t = performance.now();
for (let i = 0; i < HITS; i++) await modelwire.predict('fraud-score', hitInput);
const hitUs = ((performance.now() - t) * 1000) / HITS;

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const results = await measure(
  Object.entries(contenders).filter(([name]) => !only || name.includes('raw') || only.some((o) => name.startsWith(o))),
);
const raw = results['undici.request (raw)'].rps;
const rawCpu = results['undici.request (raw)'].cpuUs;
console.log('| client | req/s | p50 ms | p99 ms | × raw undici (req/s) | client CPU µs/req | × raw undici (CPU) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) {
  console.log(
    `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / raw).toFixed(2)} | ${r.cpuUs.toFixed(1)} | ${(rawCpu / r.cpuUs).toFixed(2)} |`,
  );
}

if (quick) {
  child.kill();
  process.exit(0);
}

// Cache key cost by input size.
const keyRows = [];
for (const [label, size] of [
  ['1 KB', 1_000],
  ['100 KB', 100_000],
  ['1 MB', 1_000_000],
]) {
  const data = { text: 'a'.repeat(size / 2), values: Array.from({ length: size / 20 }, (_, i) => i * 1.5) };
  const bytes = JSON.stringify(data).length;
  const n = Math.max(5, Math.round(50_000_000 / bytes));
  t = performance.now();
  for (let i = 0; i < n; i++) cacheKey({ model: 'm', version: null, scope: 's', data });
  const s = (performance.now() - t) / 1000;
  keyRows.push(`| ${label} | ${((s / n) * 1e6).toFixed(1)} µs | ${((bytes * n) / s / 1e6).toFixed(0)} MB/s |`);
}

// Coalescing: 1,000 concurrent identical calls.
let upstream = 0;
const counting = createClient({ baseUrl, transport: memoryTransport({ delayMs: 20, onRequest: () => upstream++ }) });
await Promise.all(Array.from({ length: 1000 }, () => counting.predict('fraud-score', { same: true })));

// Memory: many calls through the full pipeline on an in-memory transport (misses, bounded cache).
const memClient = createClient({ baseUrl, transport: memoryTransport() });
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 0; i < MEMORY_CALLS; i++) await memClient.predict('fraud-score', { i, note: 'y'.repeat(100) });
globalThis.gc?.();
const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;

// Browser bundle of the core.
const bundle = await build({
  entryPoints: [fileURLToPath(new URL('../packages/client/dist/browser.js', import.meta.url))],
  bundle: true,
  minify: true,
  write: false,
  format: 'esm',
  platform: 'browser',
});
const min = bundle.outputFiles[0].contents;

console.log(`\n| measure | value | target |\n|---|---:|---|`);
console.log(`| cache hit, 1 KB input | ${hitUs.toFixed(2)} µs/call | ≤ 5 µs |`);
console.log(`| 1,000 concurrent identical calls | ${upstream} upstream request(s) | 1 |`);
console.log(
  `| heap growth over ${MEMORY_CALLS.toLocaleString('en')} calls${globalThis.gc ? '' : ' (run with --expose-gc for precision)'} | ${heapGrowthMb.toFixed(1)} MB | < 10 MB |`,
);
console.log(
  `| browser bundle (min / min+gzip) | ${(min.length / 1024).toFixed(1)} KB / ${(gzipSync(min).length / 1024).toFixed(1)} KB | small |`,
);
console.log(`\n| cache key input | per key | throughput |\n|---|---:|---:|`);
for (const row of keyRows) console.log(row);

child.kill();
await agent.close();
process.exit(0);
