/**
 * Integration test over real HTTP on 127.0.0.1: the mock gateway (@modelwire/mock-server) and the
 * scoring service both listen on free ports; a scripted outage runs through the service and /metrics
 * must tell the story. The client's clock is a ManualClock, so the breaker's 30 s reset is
 * `clock.advance()` instead of a wait.
 */
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@modelwire/client';
import { type MockServer, startMockServer } from '@modelwire/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringService } from '../src/service.ts';

let mock: MockServer;
let service: ReturnType<typeof createScoringService>;
let base: string;
const clock = new ManualClock();

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  service = createScoringService({ client: { baseUrl: mock.apiUrl, auth: { token: 't-service' }, clock } });
  await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => service.server.close(resolve));
  await mock.close();
});

async function score(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

async function admin(path: string, body?: unknown) {
  const res = await fetch(`${mock.url}/__admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.status === 204 ? undefined : res.json();
}

/** Parses the text exposition into `name{labels}` → value, checking every family is announced first. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram']).toContain(meta[3]);
        typed.add(meta[2] as string);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(line);
    expect(sample, `not a Prometheus sample line: ${line}`).not.toBeNull();
    const name = sample?.[1] as string;
    const family = name.replace(/_(bucket|sum|count)$/, '');
    expect(typed.has(name) || typed.has(family), `${name} has no # TYPE before it`).toBe(true);
    samples.set(`${name}${sample?.[2] ?? ''}`, Number(sample?.[3] === '+Inf' ? Number.POSITIVE_INFINITY : sample?.[3]));
  }
  return samples;
}

const PRIMARY = '/v1/models/fraud-score/predict';
const BACKUP = '/v1/models/fraud-score-backup/predict';

describe('node-service: /score through @modelwire/client, /metrics from its events', () => {
  it('scores, caches, rejects bad input, survives an outage, recovers — and /metrics counts all of it', async () => {
    // 1. A normal call, then the same transaction (keys reordered) from the client cache.
    const first = await score({ amount: 120, country: 'FR', card_present: true, hour: 14 }, { 'x-request-id': 'order-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ model: { name: 'fraud-score' }, cached: false, fallback: null, attempts: 1, request_id: 'order-1' });
    expect(first.headers.get('x-request-id')).toBe('order-1');
    const again = await score({ hour: 14, card_present: true, country: 'FR', amount: 120 });
    expect(again.body).toMatchObject({ cached: true, attempts: 0, score: first.body.score });

    // 2. Bad input: the gateway's 422 reaches our caller with the field errors.
    const bad = await score({ country: 'FR' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.length).toBeGreaterThan(0);

    // 3. Outage of the primary model: every call is still answered, by the backup.
    await admin('scenario', {
      routes: [
        { method: 'POST', path: PRIMARY, responses: Array.from({ length: 20 }, () => ({ status: 503, headers: { 'Retry-After': '0' } })) },
      ],
    });
    const outage = [];
    for (const amount of [10, 20, 30]) outage.push(await score({ amount, country: 'DE' }));
    expect(outage.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(outage.map((r) => r.body.model.name)).toEqual(['fraud-score-backup', 'fraud-score-backup', 'fraud-score-backup']);
    expect(outage.map((r) => r.body.fallback.reason)).toEqual(['retries_exhausted', 'circuit_open', 'circuit_open']);
    expect(service.client.breakerState('fraud-score')).toBe('open');

    // 4. The model is back (scripts cleared); after the breaker's reset timeout one trial closes it.
    await admin('scenario', { routes: [] });
    clock.advance(30_000);
    const recovered = await score({ amount: 40, country: 'DE' });
    expect(recovered.body).toMatchObject({ model: { name: 'fraud-score' }, fallback: null });
    expect(service.client.breakerState('fraud-score')).toBe('closed');

    // 5. /metrics against what the gateway actually received.
    const log = ((await admin('requests')) as { requests: { path: string }[] }).requests;
    const primaryHits = log.filter((r) => r.path === PRIMARY).length;
    const backupHits = log.filter((r) => r.path === BACKUP).length;
    expect([primaryHits, backupHits]).toEqual([1 + 1 + 5 + 1, 3]); // ok, 422, 3 + 2 failures before the breaker opened, trial

    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parseExposition(await res.text());
    const get = (key: string) => m.get(key) ?? 0;

    expect(get('modelwire_requests_total{model="fraud-score",status="200"}')).toBe(2);
    expect(get('modelwire_requests_total{model="fraud-score",status="422"}')).toBe(1);
    expect(get('modelwire_requests_total{model="fraud-score",status="503"}')).toBe(5);
    expect(get('modelwire_requests_total{model="fraud-score-backup",status="200"}')).toBe(3);
    const primaryCounted = [...m]
      .filter(([k]) => k.startsWith('modelwire_requests_total{model="fraud-score",'))
      .reduce((a, [, v]) => a + v, 0);
    expect(primaryCounted).toBe(primaryHits);

    // Retries: two on the first outage call, and two on the second (its third attempt met the open breaker).
    expect(get('modelwire_retries_total{model="fraud-score"}')).toBe(4);
    expect(get('modelwire_cache_hits_total{model="fraud-score"}')).toBe(1);
    expect(get('modelwire_cache_misses_total{model="fraud-score"}')).toBe(6);
    expect(get('modelwire_fallbacks_total{from="fraud-score",to="fraud-score-backup",reason="retries_exhausted"}')).toBe(1);
    expect(get('modelwire_fallbacks_total{from="fraud-score",to="fraud-score-backup",reason="circuit_open"}')).toBe(2);
    for (const state of ['open', 'half_open', 'closed']) {
      expect(get(`modelwire_breaker_transitions_total{model="fraud-score",version="",state="${state}"}`), state).toBe(1);
    }
    expect(m.get('modelwire_breaker_state{model="fraud-score",version=""}')).toBe(0);

    // Latency histogram: one observation per HTTP attempt, cumulative buckets ending at +Inf = count.
    for (const [model, hits] of [
      ['fraud-score', primaryHits],
      ['fraud-score-backup', backupHits],
    ] as const) {
      const count = get(`modelwire_request_duration_seconds_count{model="${model}"}`);
      expect(count).toBe(hits);
      expect(get(`modelwire_request_duration_seconds_bucket{model="${model}",le="+Inf"}`)).toBe(count);
      const buckets = [...m].filter(([k]) => k.startsWith(`modelwire_request_duration_seconds_bucket{model="${model}",`)).map(([, v]) => v);
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      // Latency is measured on the client's clock: the ManualClock does not move during HTTP, so every
      // attempt lands in the first bucket (real values are covered by prometheus.test.ts).
      expect(get(`modelwire_request_duration_seconds_bucket{model="${model}",le="0.005"}`)).toBe(count);
    }
  });

  it('answers 400 on a non-JSON body and 404 on unknown routes', async () => {
    const notJson = await fetch(`${base}/score`, { method: 'POST', body: '{amount' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
