// Fleet mode on a 3-master Redis Cluster (docs/semantics.md "Fleet mode": every operation touches one key):
// the shared cache, fleet coalescing and breaker hints through node-redis's cluster client.
import { createCluster } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cacheKey } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { fleetPod } from './support/fleet-pod.js';
import { type RedisCluster, startRedisCluster } from './support/redis-server.js';
import { type ScriptServer, startScriptServer } from './support/script-server.js';

let cluster: RedisCluster;
let redis: ReturnType<typeof createCluster>;
let gateway: ScriptServer;
const PREDICT = '/models/fraud-score/predict';

beforeAll(async () => {
  cluster = await startRedisCluster();
  redis = createCluster({ rootNodes: cluster.nodes.map((n) => ({ url: n.url })) });
  await redis.connect();
  gateway = await startScriptServer();
}, 30_000);
afterAll(async () => {
  await redis.close();
  await cluster.stop();
  await gateway.close();
});

const instance = (name: string) => fleetPod(gateway.url, redis, name);
const upstream = () => gateway.seen.filter((r) => r.path === PREDICT).length;

it('on a cluster: B is answered from A’s entry, concurrent identical calls make one upstream call, and a quorum opens a healthy pod', async () => {
  const [a, b, c] = [instance('pod-a'), instance('pod-b'), instance('pod-c')];
  // Entries for many inputs spread over the three masters' slots.
  for (let i = 0; i < 12; i++) await a.client.predict('fraud-score', { amount: i });
  // A's writes are not awaited by its calls: wait until all 12 entries landed.
  const keys = Array.from(
    { length: 12 },
    (_, i) => `modelwire:cache:${cacheKey({ model: 'fraud-score', version: null, scope: 'anonymous', data: { amount: i } })}`,
  );
  await eventually(async () => (await Promise.all(keys.map((k) => redis.get(k)))).every((v) => v !== null));
  for (let i = 0; i < 12; i++) expect((await b.client.predict('fraud-score', { amount: i })).cached).toBe(true);
  expect(upstream()).toBe(12);

  gateway.script(PREDICT, { status: 200, delayMs: 200 });
  const first = a.client.predict('fraud-score', { amount: 1000 });
  // A's request reached the gateway: A holds the lock (taken before calling upstream).
  while (upstream() < 13) await new Promise((r) => setTimeout(r, 5));
  const [, fromB] = await Promise.all([first, b.client.predict('fraud-score', { amount: 1000 })]);
  expect(upstream()).toBe(13);
  expect(fromB.cached).toBe(true);

  gateway.script(PREDICT, { status: 503 }, { status: 503 });
  await expect(a.client.predict('fraud-score', { amount: 2000 })).rejects.toMatchObject({ kind: 'Unavailable' });
  await expect(b.client.predict('fraud-score', { amount: 2001 })).rejects.toMatchObject({ kind: 'Unavailable' });
  await eventually(async () => (await redis.zRange('modelwire:breaker:fraud-score:-', 0, -1)).length === 2);
  await c.client.predict('fraud-score', { amount: 2002 });
  await eventually(async () => c.client.breakerState('fraud-score') === 'open');
});
