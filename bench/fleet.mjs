// Fleet mode's cost (issue 15; not a test): a cache hit from memory vs from Redis, a cache miss without and with
// fleet mode (one GET, one SET NX, one SET, one DEL per miss), and a miss while Redis is down (bounded by the op
// timeout, then the pause). One bench server process and one redis-server (Debian) on free ports.
// The model answers after --model-ms (default 20: a small model's real inference time; 0 = as fast as loopback).
//   node bench/fleet.mjs [--calls 5000] [--concurrency 32] [--model-ms 20]
import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClient } from '@modelwire/client';
import { createClient as createRedis } from 'redis';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 5000);
const MODEL_MS = arg('model-ms', 20);
const CONCURRENCY = arg('concurrency', 32);
const here = fileURLToPath(new URL('.', import.meta.url));

const server = fork(`${here}server.mjs`, { stdio: 'inherit', env: { ...process.env, BENCH_MODEL_MS: String(MODEL_MS) } });
const { port } = await new Promise((resolve) => server.once('message', resolve));
const baseUrl = `http://127.0.0.1:${port}/v1`;
const redisPort = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
});
const redis = createRedis({ url: `redis://127.0.0.1:${redisPort}`, socket: { reconnectStrategy: false } });
redis.on('error', () => {});
for (let i = 0; ; i++) {
  try {
    await redis.connect();
    break;
  } catch {
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const padding = 'x'.repeat(900);
let seq = 0;
const input = (n = seq++) => ({ amount: 129.5, country: 'FR', card_present: false, hour: 13, seq: n, note: padding });

/** Latency percentiles and throughput of `calls` calls, `concurrency` in flight. */
async function measure(fn, calls = CALLS) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < calls) {
      const i = next++;
      const t = performance.now();
      await fn(i);
      latencies.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: calls / ((performance.now() - started) / 1000), p50: pct(50), p99: pct(99) };
}

const local = createClient({ baseUrl, telemetry: false });
const fleetA = createClient({ baseUrl, telemetry: false, fleet: { redis } });
const fleetB = createClient({ baseUrl, telemetry: false, fleet: { redis } });
const rows = [];
const row = (name, r) => rows.push(`| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);

// Hits: the same 1,000 inputs again and again.
const HOT = 1000;
for (let i = 0; i < HOT; i++) await local.predict('fraud-score', input(-i - 1));
row('cache hit, memory (first level)', await measure((i) => local.predict('fraud-score', input(-(i % HOT) - 1))));
for (let i = 0; i < HOT; i++) await fleetA.predict('fraud-score', input(-i - 1));
await new Promise((r) => setTimeout(r, 200));
// Fresh instances have never seen these inputs: each one's first call per input is a Redis hit.
const clients = Array.from({ length: 5 }, () => createClient({ baseUrl, telemetry: false, fleet: { redis } }));
let fromRedis = 0;
const redisHits = await measure(async (i) => {
  const p = await clients[Math.floor(i / HOT)].predict('fraud-score', input(-(i % HOT) - 1));
  if (p.cached) fromRedis++;
}, HOT * clients.length);
if (fromRedis !== HOT * clients.length)
  console.error(`fleet bench: only ${fromRedis} of ${HOT * clients.length} Redis-tier calls were hits`);
row('cache hit, Redis (second level)', redisHits);
row('cache miss, no fleet mode', await measure(() => local.predict('fraud-score', input())));
row('cache miss, fleet mode (Redis up)', await measure(() => fleetB.predict('fraud-score', input())));
redisServer.kill('SIGKILL');
await new Promise((r) => setTimeout(r, 100));
row('cache miss, fleet mode, Redis down', await measure(() => fleetB.predict('fraud-score', input())));

console.log(
  `# fleet mode — Node ${process.version}, loopback, ${CONCURRENCY} in flight, ~1 KB input, model answers in ${MODEL_MS} ms, redis-server 7 on loopback\n`,
);
console.log('| path | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|');
for (const r of rows) console.log(r);
server.kill();
process.exit(0);
