// Fleet mode through ioredis (the other well-kept Node client): the same commands as node-redis, argument style.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { fleetPod } from './support/fleet-pod.js';
import { type RedisServer, startRedis } from './support/redis-server.js';
import { type ScriptServer, startScriptServer } from './support/script-server.js';

let redisServer: RedisServer;
let redis: Redis;
let gateway: ScriptServer;
const PREDICT = '/models/fraud-score/predict';

beforeAll(async () => {
  redisServer = await startRedis();
  redis = new Redis(redisServer.port, '127.0.0.1');
  gateway = await startScriptServer();
});
afterAll(async () => {
  redis.disconnect();
  await redisServer.stop();
  await gateway.close();
});

const instance = (name: string) => fleetPod(gateway.url, redis, name);
const upstream = () => gateway.seen.filter((r) => r.path === PREDICT).length;

it('shared entry, fleet coalescing and quorum hints work through an ioredis client', async () => {
  const [a, b, c] = [instance('pod-a'), instance('pod-b'), instance('pod-c')];
  await a.client.predict('fraud-score', { amount: 1 });
  await eventually(async () => (await redis.keys('modelwire:cache:*')).length === 1);
  expect((await b.client.predict('fraud-score', { amount: 1 })).cached).toBe(true);

  gateway.script(PREDICT, { status: 200, delayMs: 200 });
  const first = a.client.predict('fraud-score', { amount: 2 });
  await eventually(async () => (await redis.keys('modelwire:lock:*')).length === 1);
  const [, fromB] = await Promise.all([first, b.client.predict('fraud-score', { amount: 2 })]);
  expect(fromB.cached).toBe(true);
  expect(upstream()).toBe(2);

  gateway.script(PREDICT, { status: 503 }, { status: 503 });
  await expect(a.client.predict('fraud-score', { amount: 3 })).rejects.toMatchObject({ kind: 'Unavailable' });
  await expect(b.client.predict('fraud-score', { amount: 4 })).rejects.toMatchObject({ kind: 'Unavailable' });
  await eventually(async () => (await redis.zrange('modelwire:breaker:fraud-score:-', 0, -1)).length === 2);
  await c.client.predict('fraud-score', { amount: 5 });
  await eventually(() => c.client.breakerState('fraud-score') === 'open');
});
