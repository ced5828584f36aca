// Fleet mode's shared cache (docs/semantics.md "Fleet mode") against a real redis-server: two clients stand for two
// instances of a service; the entry format is the one of test/vectors/fleet-entries.json.
import { readFileSync } from 'node:fs';
import { createClient as createRedis, type RedisClientType } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeEntry, type FleetEntryFields, readEntry } from '../src/fleet/fleet-entry.js';
import { createClient, type ModelwireEvent } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { type RedisServer, startRedis } from './support/redis-server.js';
import { type ScriptServer, startScriptServer } from './support/script-server.js';

interface EncodeCase {
  name: string;
  fields: FleetEntryFields;
  hmac_key: string | null;
  entry: string;
}
interface ReadCase {
  name: string;
  entry: string;
  now_ms: number;
  model: string;
  version: string | null;
  hmac_key: string | null;
  verdict: string;
  reason?: string;
}
const vectors = JSON.parse(readFileSync(new URL('../../../test/vectors/fleet-entries.json', import.meta.url), 'utf8')) as {
  encode: EncodeCase[];
  read: ReadCase[];
};

describe('fleet entries (test/vectors/fleet-entries.json)', () => {
  it.each(vectors.encode.map((c) => [c.name, c] as const))('encode: %s', (_name, c) => {
    expect(encodeEntry(c.fields, c.hmac_key ?? undefined)).toBe(c.entry);
  });
  it.each(vectors.read.map((c) => [c.name, c] as const))('read: %s', (_name, c) => {
    const got = readEntry(c.entry, { nowMs: c.now_ms, model: c.model, version: c.version, hmacKey: c.hmac_key ?? undefined });
    expect(got.verdict).toBe(c.verdict);
    if (got.verdict === 'ignored') expect(got.reason).toBe(c.reason);
  });
});

let redisServer: RedisServer;
let redis: RedisClientType;
let gateway: ScriptServer;
const PREDICT = '/models/fraud-score/predict';

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedis({ url: redisServer.url });
  await redis.connect();
  gateway = await startScriptServer();
});
afterAll(async () => {
  if (redis.isOpen) await redis.close();
  await redisServer.stop();
  gateway.close();
});
beforeEach(async () => {
  gateway.reset();
  if (redis.isOpen) await redis.flushAll();
});

function instance(extra: Record<string, unknown> = {}) {
  const events: ModelwireEvent[] = [];
  const client = createClient({
    baseUrl: gateway.url,
    retry: { maxRetries: 0 },
    fleet: { redis, ...((extra.fleet as object) ?? {}) },
    onEvent: (e) => events.push(e),
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'fleet')),
  });
  return { client, events };
}
const upstream = () => gateway.seen.filter((r) => r.path === PREDICT).length;
/** Writes to Redis are not awaited by calls: wait until a key matching `pattern` is there. */
async function entryWritten(pattern = 'modelwire:cache:*'): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) return keys;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no entry written');
}

describe('the shared cache', () => {
  it('instance B is answered from the entry instance A stored: one upstream call, a redis-tier hit, the original request id', async () => {
    const a = instance();
    const b = instance();
    const first = await a.client.predict('fraud-score', { amount: 42 }, { requestId: 'req-from-a' });
    const [key] = await entryWritten();
    expect(await redis.pTTL(key as string)).toBeGreaterThan(29_000);
    const second = await b.client.predict('fraud-score', { amount: 42 }, { requestId: 'req-from-b' });
    expect(upstream()).toBe(1);
    expect(second).toMatchObject({ cached: true, attempts: 0, requestId: first.requestId });
    expect(second.result).toEqual(first.result);
    expect(b.events.find((e) => e.type === 'cache_hit')).toMatchObject({ tier: 'redis', requestId: 'req-from-b' });
    // Copied into B's first level: the next identical call does not ask Redis.
    await b.client.predict('fraud-score', { amount: 42 });
    expect(b.events.filter((e) => e.type === 'cache_hit').map((e) => (e as { tier: string }).tier)).toEqual(['redis', 'memory']);
  });

  it('an entry for another credential scope is another key: no sharing across credentials', async () => {
    await instance({ auth: { token: 't-alice' } }).client.predict('fraud-score', { amount: 7 });
    await entryWritten();
    await instance({ auth: { token: 't-bob' } }).client.predict('fraud-score', { amount: 7 });
    expect(upstream()).toBe(2);
  });

  it('with entry authentication, a planted entry (no valid mac) is never served', async () => {
    const key = 'k'.repeat(32);
    const a = instance({ fleet: { hmacKey: key } });
    await a.client.predict('fraud-score', { amount: 9 });
    const [entryKey] = await entryWritten();
    const planted = JSON.parse((await redis.get(entryKey as string)) as string);
    planted.envelope.result.label = 'PLANTED';
    await redis.set(entryKey as string, JSON.stringify(planted));
    const b = instance({ fleet: { hmacKey: key } });
    const p = await b.client.predict('fraud-score', { amount: 9 });
    expect(p.result.label).not.toBe('PLANTED');
    expect(p.cached).toBe(false);
    expect(b.events.find((e) => e.type === 'fleet_entry_rejected')).toMatchObject({ reason: 'bad_mac' });
  });

  it('fallback answers are never stored', async () => {
    gateway.script(PREDICT, { status: 503 });
    const a = instance({ fallbacks: { 'fraud-score': 'fraud-score-backup' } });
    const p = await a.client.predict('fraud-score', { amount: 5 });
    expect(p.fallback?.to).toBe('fraud-score-backup');
    await new Promise((r) => setTimeout(r, 50));
    expect(await redis.keys('modelwire:cache:*')).toEqual([]);
  });
});

describe('fleet coalescing', () => {
  it('identical calls in flight on two instances make one upstream call; the waiter gets the entry', async () => {
    gateway.script(PREDICT, { status: 200, delayMs: 200 });
    const a = instance();
    const b = instance();
    const first = a.client.predict('fraud-score', { amount: 77 });
    await entryWritten('modelwire:lock:*'); // A holds the lock
    const [pa, pb] = await Promise.all([first, b.client.predict('fraud-score', { amount: 77 })]);
    expect(upstream()).toBe(1);
    expect(pb).toMatchObject({ cached: true, attempts: 0 });
    expect(pb.result).toEqual(pa.result);
    expect(b.events.find((e) => e.type === 'coalesced')).toMatchObject({ tier: 'redis' });
  });

  it('a holder that fails releases the lock: the waiter calls upstream itself at once', async () => {
    gateway.script(PREDICT, { status: 422, delayMs: 100 }, { status: 200 });
    const a = instance();
    const b = instance();
    const first = a.client.predict('fraud-score', { amount: 78 }).catch((e: unknown) => e);
    await entryWritten('modelwire:lock:*');
    const started = performance.now();
    const pb = await b.client.predict('fraud-score', { amount: 78 });
    expect(await first).toMatchObject({ kind: 'Validation' });
    expect(pb.cached).toBe(false);
    expect(upstream()).toBe(2);
    // Not the lock's expiry (the attempt timeout): the release ended the wait.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a waiter whose deadline nears stops waiting and calls upstream (never worse than no coalescing)', async () => {
    gateway.script(PREDICT, { status: 200, delayMs: 1500 }, { status: 200 });
    const a = instance({ timeoutMs: 2000 });
    const b = instance({ timeoutMs: 200 });
    const first = a.client.predict('fraud-score', { amount: 79 });
    await entryWritten('modelwire:lock:*');
    const pb = await b.client.predict('fraud-score', { amount: 79 }, { deadlineMs: 500 });
    expect(pb.cached).toBe(false);
    await first;
    expect(upstream()).toBe(2);
  });
});

describe('breaker hints with a quorum', () => {
  const breaker = { consecutiveFailures: 1, resetTimeoutMs: 60_000 };
  const pod = (name: string) => instance({ cache: false, breaker, fleet: { quorum: 2, instanceId: name } });

  it('two other instances opened theirs: a healthy instance opens too (fleet: true) and fails fast', async () => {
    gateway.script(PREDICT, { status: 503 }, { status: 503 });
    const [a, b, d] = [pod('pod-a'), pod('pod-b'), pod('pod-d')];
    await expect(a.client.predict('fraud-score', { amount: 1 })).rejects.toMatchObject({ kind: 'Unavailable' });
    await expect(b.client.predict('fraud-score', { amount: 2 })).rejects.toMatchObject({ kind: 'Unavailable' });
    await eventually(async () => (await redis.zRange('modelwire:breaker:fraud-score:-', 0, -1)).length === 2);
    expect((await redis.zRange('modelwire:breaker:fraud-score:-', 0, -1)).sort()).toEqual(['pod-a', 'pod-b']);
    // D's first call still goes through (hints are read in the background), then D opens on the quorum.
    expect((await d.client.predict('fraud-score', { amount: 3 })).cached).toBe(false);
    await eventually(async () => d.client.breakerState('fraud-score') === 'open');
    expect(d.events.find((e) => e.type === 'breaker_open')).toMatchObject({ fleet: true });
    await expect(d.client.predict('fraud-score', { amount: 4 })).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    // A fleet-opened breaker is not reported: reports cannot cascade.
    expect((await redis.zRange('modelwire:breaker:fraud-score:-', 0, -1)).sort()).toEqual(['pod-a', 'pod-b']);
  });

  it('one bad instance never opens the fleet', async () => {
    gateway.script(PREDICT, { status: 503 });
    const [a, d] = [pod('pod-a'), pod('pod-d')];
    await expect(a.client.predict('fraud-score', { amount: 1 })).rejects.toMatchObject({ kind: 'Unavailable' });
    await eventually(async () => (await redis.zRange('modelwire:breaker:fraud-score:-', 0, -1)).length === 1);
    await d.client.predict('fraud-score', { amount: 2 });
    // The background read has had time to land (it is one Redis round trip): D stays closed.
    await new Promise((r) => setTimeout(r, 200));
    expect(d.client.breakerState('fraud-score')).toBe('closed');
    expect((await d.client.predict('fraud-score', { amount: 3 })).cached).toBe(false);
  });

  it('a quorum below 2 is refused', () => {
    expect(() => instance({ fleet: { quorum: 1 } })).toThrow(/quorum must be an integer ≥ 2/);
  });
});

describe('Redis trouble never fails a call', () => {
  it('a Redis that answers slower than opTimeoutMs is a miss: the call goes upstream and settles', async () => {
    const slow = createRedis({ url: redisServer.url });
    await slow.connect();
    const a = instance({ fleet: { redis: slow, opTimeoutMs: 20 } });
    const blocker = createRedis({ url: redisServer.url });
    await blocker.connect();
    // DEBUG SLEEP blocks the whole server: every command waits behind it.
    const sleeping = blocker.sendCommand(['DEBUG', 'SLEEP', '0.3']);
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const p = await a.client.predict('fraud-score', { amount: 11 });
    expect(p.cached).toBe(false);
    expect(performance.now() - started).toBeLessThan(250);
    await sleeping;
    await slow.close();
    await blocker.close();
  });

  it('Redis gone: calls still answer; after 3 failures Redis is paused (fleet_unavailable), with no cost per call', async () => {
    const other = await startRedis();
    const lost = createRedis({ url: other.url, socket: { reconnectStrategy: false } });
    lost.on('error', () => {});
    await lost.connect();
    const a = instance({ fleet: { redis: lost } });
    await other.stop();
    for (let i = 0; i < 5; i++) expect((await a.client.predict('fraud-score', { amount: 100 + i })).cached).toBe(false);
    expect(upstream()).toBe(5);
    expect(a.events.filter((e) => e.type === 'fleet_unavailable')).toHaveLength(1);
    const unavailable = a.events.find((e) => e.type === 'fleet_unavailable') as { reason: string };
    expect(unavailable.reason).not.toMatch(/\n/);
  });
});
