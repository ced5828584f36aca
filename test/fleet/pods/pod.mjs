// The TypeScript pod of the cross-language fleet suite (test/fleet/README.md): one @modelwire/client in fleet mode,
// driven by JSON lines on stdin, answering JSON lines on stdout. The Python and Java pods speak the same protocol.
import { createInterface } from 'node:readline';
import { createClient } from '@modelwire/client';
import { createCluster, createClient as createRedis } from 'redis';

const config = JSON.parse(process.argv[2]);
const redis = config.cluster
  ? createCluster({ rootNodes: config.cluster.map((url) => ({ url })) })
  : createRedis({ url: config.redis, socket: { reconnectStrategy: () => 50 } });
// A lost Redis is the SDK's business (it must keep answering); the client library only reports it here.
redis.on('error', () => {});
await redis.connect();

let events = [];
const client = createClient({
  baseUrl: config.base_url,
  retry: { maxRetries: 0 },
  fleet: {
    redis,
    prefix: config.prefix,
    instanceId: config.instance_id,
    quorum: config.quorum ?? 3,
    opTimeoutMs: config.op_timeout_ms ?? 50,
    ...(config.hmac_key ? { hmacKey: config.hmac_key } : {}),
  },
  onEvent: (e) => {
    const seen = { type: e.type };
    if (e.tier) seen.tier = e.tier;
    if (e.fleet) seen.fleet = true;
    if (e.reason) seen.reason = e.reason;
    events.push(seen);
  },
});
const drain = () => {
  const out = events;
  events = [];
  return out;
};

async function run(command) {
  if (command.op === 'predict') {
    const started = performance.now();
    try {
      const p = await client.predict(command.model ?? 'fraud-score', command.input, { deadlineMs: command.deadline_ms ?? 5000 });
      return { ok: true, cached: p.cached, attempts: p.attempts, result: p.result, ms: performance.now() - started };
    } catch (error) {
      return { ok: false, code: error.code ?? String(error), ms: performance.now() - started };
    }
  }
  if (command.op === 'events') return {};
  if (command.op === 'close') {
    await client.close();
    await redis.close().catch(() => {});
    return { closed: true };
  }
  return { ok: false, code: `unknown op ${command.op}` };
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  const reply = await run(command);
  process.stdout.write(`${JSON.stringify({ id: command.id, ...reply, events: drain() })}\n`);
  if (reply.closed) break;
}
process.exit(0);
