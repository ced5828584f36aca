// Fleet mode across languages (docs/semantics.md, "Fleet mode (Redis)"): a TypeScript, a Python (sync and asyncio)
// and a Java client, each its own OS process, share one real Redis — single node and a 3-master cluster. What one stores the others
// serve; identical calls in flight on all of them make one upstream call; a quorum of other instances opens a
// breaker and one bad instance never does; Redis killed mid-run fails no call; a tampered entry is never served.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMockServer } from '@modelwire/mock-server';
import { createClient as createRedis } from 'redis';
import { admin, killPods, languagesReady, startPod, startRedis, startRedisCluster } from './support.mjs';

// Python twice: Client and AsyncClient (redis.asyncio) are separate code paths over one fleet tier.
const LANGUAGES = ['ts', 'py', 'py-async', 'java'];
const HMAC_KEY = 'cross-language-fleet-key';
const PREDICT = '/v1/models/fraud-score/predict';
let redis;
let cluster;
let mock;
let gateway;
/** Plain connections to every Redis node, to look at and tamper with what the pods wrote. */
let nodes = [];
let serial = 0;
let amount = 10;

const fresh = () => `xl${process.pid}-${++serial}`;
/** An input no earlier call used (the cache must not help unless the test means it to). */
const newInput = () => {
  amount += 1.25;
  return { amount, country: 'FR', card_present: false };
};
const types = (reply) => reply.events.map((e) => e.type);
const has = (reply, wanted) => reply.events.some((e) => Object.entries(wanted).every(([k, v]) => e[k] === v));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One pod per language on one prefix. */
async function fleet(where, options = {}) {
  const prefix = fresh();
  const started = await Promise.allSettled(
    LANGUAGES.map((language) =>
      startPod(language, { base_url: mock.apiUrl, ...where, prefix, instance_id: `${language}-${prefix}`, ...options }),
    ),
  );
  const pods = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const close = () => Promise.all(pods.map((p) => p.close()));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { prefix, pods, close };
}

/** The pods write entries without delaying their callers: wait until `count` entries are in Redis. */
async function entries(prefix, count) {
  for (let i = 0; i < 200; i++) {
    const keys = (await Promise.all(nodes.map((n) => n.keys(`${prefix}:cache:*`)))).flat();
    if (keys.length >= count) return keys;
    await sleep(10);
  }
  assert.fail(`expected ${count} entries under ${prefix}:cache:*`);
}

/** The key a pod just wrote (not among `earlier`). */
async function newKey(store, prefix, earlier) {
  for (let i = 0; i < 200; i++) {
    const key = (await store.keys(`${prefix}:cache:*`)).find((k) => !earlier.has(k));
    if (key) return key;
    await sleep(10);
  }
  assert.fail(`no new entry under ${prefix}:cache:*`);
}

/** Waits (up to 5 s) until `key` no longer holds `value`. */
async function changed(store, key, value) {
  for (let i = 0; i < 500; i++) {
    if ((await store.get(key)) !== value) return;
    await sleep(10);
  }
  assert.fail(`${key} still holds the planted entry: the reader did not write its own answer`);
}

/** The pods publish their breaker reports without delaying their callers: wait until `ids` are all in Redis. */
async function reported(prefix, ids) {
  for (let i = 0; i < 500; i++) {
    const open = await nodes[0].zRange(`${prefix}:breaker:fraud-score:-`, 0, -1);
    if (ids.every((id) => open.includes(id))) return;
    await sleep(10);
  }
  assert.fail(`breaker reports of ${ids.join(', ')} never reached Redis`);
}
const instance = (f, pod) => `${pod.language}-${f.prefix}`;

before(async () => {
  const missing = languagesReady();
  assert.deepEqual(missing, [], 'the fleet suite runs after the Python and Java builds');
  const started = await Promise.allSettled([startRedis(), startRedisCluster(), startMockServer({ port: 0 })]);
  [redis, cluster, mock] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason; // after() stops what did start
  gateway = admin(mock);
  nodes = await Promise.all([redis.url, ...cluster.urls].map((url) => createRedis({ url }).connect()));
});

after(async () => {
  killPods();
  await Promise.all(nodes.map((n) => n.close()));
  await Promise.all([redis?.stop(), cluster?.stop(), mock?.close()]);
});

for (const topology of ['single node', 'cluster']) {
  describe(`shared cache and coalescing (${topology})`, () => {
    let f;
    before(async () => {
      f = await fleet(topology === 'cluster' ? { cluster: cluster.urls } : { redis: redis.url }, { hmac_key: HMAC_KEY });
    });
    after(() => f?.close());

    test('an answer stored by one language is served by the others from Redis', async () => {
      // Warm every pod first (connections, a JVM's first call): a first Redis operation slower than the op
      // timeout is a miss by the rules, not what this test is about.
      await Promise.all(f.pods.map((p) => p.send({ op: 'predict', input: newInput() })));
      await gateway.reset();
      for (const [i, writer] of f.pods.entries()) {
        const input = newInput();
        const stored = await writer.send({ op: 'predict', input });
        assert.equal(stored.ok, true, JSON.stringify(stored));
        assert.equal(stored.cached, false);
        await entries(f.prefix, i + 1);
        for (const reader of f.pods.filter((p) => p !== writer)) {
          const served = await reader.send({ op: 'predict', input });
          assert.equal(served.ok, true, JSON.stringify(served));
          assert.equal(served.cached, true, `${reader.language} serves what ${writer.language} stored`);
          assert.equal(served.attempts, 0);
          // From Redis: a hit, or — when its first read ran into the op timeout on a loaded machine while the
          // writer still held the lock — the writer's entry found as a waiter. Never an upstream call.
          assert.ok(
            has(served, { type: 'cache_hit', tier: 'redis' }) || has(served, { type: 'coalesced', tier: 'redis' }),
            `${reader.language}: ${JSON.stringify(served.events)}`,
          );
          assert.deepEqual(served.result, stored.result);
        }
      }
      assert.equal(await gateway.upstream(), f.pods.length, 'one upstream call per input for the whole fleet');
    });

    test('identical calls in flight in every process make one upstream call', async () => {
      // Warm every pod first (a JVM's first call is slow): the calls below must really overlap.
      await Promise.all(f.pods.map((p) => p.send({ op: 'predict', input: newInput() })));
      await gateway.reset();
      await gateway.script([{ method: 'POST', path: PREDICT, responses: [{ delay_ms: 1500 }], then: 'passthrough' }]);
      const input = newInput();
      const replies = await Promise.all(f.pods.map((p) => p.send({ op: 'predict', input })));
      for (const r of replies) assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(await gateway.upstream(), 1, `one upstream call for ${f.pods.length} processes`);
      const holders = replies.filter((r) => r.attempts === 1);
      assert.equal(holders.length, 1, JSON.stringify(replies));
      for (const r of replies.filter((x) => x !== holders[0])) {
        assert.ok(has(r, { type: 'coalesced', tier: 'redis' }), `a waiter: ${JSON.stringify(r.events)}`);
        assert.deepEqual(r.result, holders[0].result);
      }
    });
  });
}

describe('breaker hints with a quorum (quorum 2)', () => {
  const storm = () => gateway.script([{ method: 'POST', path: PREDICT, responses: [{ status: 503 }], then: 'repeat_last' }]);
  /** Five consecutive failures open a pod's own breaker. */
  async function openOwnBreaker(pod) {
    let last;
    for (let i = 0; i < 5; i++) last = await pod.send({ op: 'predict', input: newInput() });
    assert.ok(has(last, { type: 'breaker_open' }), `${pod.language}: ${JSON.stringify(last)}`);
    assert.ok(!has(last, { type: 'breaker_open', fleet: true }), 'opened by its own failures');
  }

  for (const reader of LANGUAGES) {
    test(`${reader} opens early when two other pods opened theirs`, async () => {
      const f = await fleet({ redis: redis.url }, { quorum: 2 });
      try {
        await gateway.reset();
        await storm();
        const at = f.pods.findIndex((p) => p.language === reader);
        const late = f.pods[at];
        // The two pods after it (cyclically) open theirs: every language both reports and reads across the rounds.
        // The fourth stays idle (a third opener would itself be opened by the first two's reports).
        const openers = [1, 2].map((k) => f.pods[(at + k) % f.pods.length]);
        await Promise.all(openers.map(openOwnBreaker));
        await reported(
          f.prefix,
          openers.map((p) => instance(f, p)),
        );
        // The late pod's calls go through while it reads the reports in the background (at most once a second).
        const seen = [];
        for (let i = 0; i < 40; i++) {
          const r = await late.send({ op: 'predict', input: newInput() });
          seen.push(r);
          if (r.code === 'CIRCUIT_OPEN') break;
          await sleep(50);
        }
        const events = seen.flatMap((r) => r.events);
        assert.equal(seen.at(-1).code, 'CIRCUIT_OPEN', JSON.stringify(seen.map((r) => r.code)));
        assert.ok(
          events.some((e) => e.type === 'breaker_open' && e.fleet === true),
          JSON.stringify(events),
        );
        const ownAttempts = events.filter((e) => e.type === 'request').length;
        assert.ok(ownAttempts < 5, `opened before its own 5 failures (${ownAttempts} attempts)`);
      } finally {
        await f.close();
      }
    });
  }

  test('one bad instance never opens the others', async () => {
    const f = await fleet({ redis: redis.url }, { quorum: 2 });
    try {
      await gateway.reset();
      await storm();
      const [bad, ...others] = f.pods;
      await openOwnBreaker(bad);
      await reported(f.prefix, [instance(f, bad)]);
      // Three calls each: the first reads the reports; the second, past the once-a-second refresh, reads them
      // again; the third sees what that read found. With a quorum of one, the second or third would fail fast.
      for (const pause of [1100, 300, 0]) {
        for (const pod of others) {
          const r = await pod.send({ op: 'predict', input: newInput() });
          assert.notEqual(r.code, 'CIRCUIT_OPEN', `${pod.language} stays closed: ${JSON.stringify(r)}`);
          assert.ok(!types(r).includes('breaker_open'), `${pod.language}: ${JSON.stringify(r.events)}`);
        }
        await sleep(pause);
      }
    } finally {
      await f.close();
    }
  });
});

test('Redis killed mid-run: every call of every language still answers, then the fleet comes back', async () => {
  const own = await startRedis();
  const f = await fleet({ redis: own.url }, { op_timeout_ms: 50 });
  let restarted;
  try {
    await gateway.reset();
    const inputs = Array.from({ length: 5 }, newInput);
    const seen = new Map(f.pods.map((p) => [p, []]));
    const round = async (i) => {
      const replies = await Promise.all(f.pods.map((p) => p.send({ op: 'predict', input: inputs[i % inputs.length] })));
      for (const [k, r] of replies.entries()) seen.get(f.pods[k]).push(r);
      return replies;
    };
    for (let i = 0; i < 6; i++) await round(i);
    await own.kill();
    for (let i = 6; i < 20; i++) {
      // Every other call is new to every pod (a miss in memory: it needs Redis), the others repeat.
      if (i % 2 === 0) inputs[i % inputs.length] = newInput();
      for (const r of await round(i)) {
        assert.equal(r.ok, true, `a call after Redis died: ${JSON.stringify(r)}`);
        assert.ok(r.ms < 1000, `bounded by the op timeout, not Redis' absence: ${r.ms} ms`);
      }
    }
    for (const [pod, replies] of seen) {
      assert.ok(
        replies.some((r) => types(r).includes('fleet_unavailable')),
        `${pod.language} reports Redis gone: ${JSON.stringify(replies.map((r) => r.events))}`,
      );
    }
    // Redis back on the same port: after the 5 s pause each pod's trial finds it.
    restarted = await startRedis({ port: own.port });
    const back = new Set();
    for (let i = 0; i < 60 && back.size < f.pods.length; i++) {
      inputs[i % inputs.length] = newInput();
      const replies = await round(i);
      replies.forEach((r, k) => {
        assert.equal(r.ok, true, JSON.stringify(r));
        if (types(r).includes('fleet_available')) back.add(f.pods[k].language);
      });
      await sleep(200);
    }
    assert.deepEqual([...back].sort(), [...LANGUAGES].sort(), 'every pod uses Redis again');
  } finally {
    await f.close();
    await restarted?.stop();
    await own.stop();
  }
});

test('entry authentication: a tampered or unsigned entry is rejected by every other pod', async () => {
  const f = await fleet({ redis: redis.url }, { hmac_key: HMAC_KEY });
  const store = nodes[0];
  try {
    await gateway.reset();
    for (const writer of f.pods) {
      for (const tamper of ['edit the answer', 'drop the mac']) {
        const input = newInput();
        const earlier = new Set(await store.keys(`${f.prefix}:cache:*`));
        const stored = await writer.send({ op: 'predict', input });
        assert.equal(stored.ok, true);
        const key = await newKey(store, f.prefix, earlier);
        const entry = JSON.parse(await store.get(key));
        assert.match(entry.mac, /^[0-9a-f]{64}$/);
        if (tamper === 'edit the answer') entry.envelope.result = { ...entry.envelope.result, planted: true };
        else delete entry.mac;
        const tampered = JSON.stringify(entry);
        await store.set(key, tampered, { PX: 60_000 });
        for (const reader of f.pods.filter((p) => p !== writer)) {
          const r = await reader.send({ op: 'predict', input });
          assert.equal(r.ok, true, JSON.stringify(r));
          assert.equal(r.cached, false, `${reader.language} does not serve an entry it cannot authenticate (${tamper})`);
          assert.equal(r.result.planted, undefined);
          assert.ok(has(r, { type: 'fleet_entry_rejected' }), `${reader.language}: ${JSON.stringify(r.events)}`);
          // The reader writes its own fresh answer over the bad entry (without delaying its caller): once it has,
          // the tampered one goes back for the next reader.
          await changed(store, key, tampered);
          await store.set(key, tampered, { PX: 60_000 });
        }
      }
    }
  } finally {
    await f.close();
  }
});
