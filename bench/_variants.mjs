import { fork } from 'node:child_process';
import { Agent, request } from 'undici';
import { createClient } from '@modelwire/client';
const child = fork('/work/main/bench/server.mjs', { stdio: 'inherit' });
const { port } = await new Promise((r) => child.once('message', r));
const url = `http://127.0.0.1:${port}/v1/models/fraud-score/predict`;
const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
const body = JSON.stringify({ request_id: 'x', data: { note: 'x'.repeat(900) }, meta: {} });
const mw = createClient({ baseUrl: `http://127.0.0.1:${port}/v1` });
const mwNoCache = createClient({ baseUrl: `http://127.0.0.1:${port}/v1`, cache: false, breaker: false });
let seq = 0;
const variants = {
  plain: async () => { const r = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent }); await r.body.text(); },
  signalTimer: async () => { const c = new AbortController(); const t = setTimeout(() => c.abort(), 10000); const r = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent, signal: c.signal }); await r.body.text(); clearTimeout(t); },
  headers: async () => { const r = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': crypto.randomUUID(), 'idempotency-key': crypto.randomUUID(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, body, dispatcher: agent }); await r.body.text(); },
  modelwire: () => mw.predict('fraud-score', { note: 'x'.repeat(900), seq: seq++ }),
  modelwireNoCacheNoBreaker: () => mwNoCache.predict('fraud-score', { note: 'x'.repeat(900), seq: seq++ }),
};
for (let round = 0; round < 2; round++) for (const [name, fn] of Object.entries(variants)) {
  for (let i = 0; i < 300; i++) await fn();
  const end = performance.now() + 2000; let n = 0; const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 32 }, async () => { while (performance.now() < end) { await fn(); n++; } }));
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(28), `${(n / 2).toFixed(0)} req/s`.padEnd(14), `${((c.user + c.system) / n).toFixed(1)} µs CPU/req`);
}
child.kill(); process.exit(0);
