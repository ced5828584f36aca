import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, createClient, MalformedResponseError, type ModelwireEvent, ValidationError } from '../src/index.js';
import { type ScriptServer, startScriptServer } from './support/script-server.js';
import { TRANSPORTS as transports } from './support/transports.js';

// Every behaviour is proven over real HTTP on 127.0.0.1, once per transport (support/transports.ts).

let server: ScriptServer;
beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const PREDICT = '/models/fraud-score/predict';
const BACKUP = '/models/fraud-score-backup/predict';
const fast = { backoffInitialMs: 1, backoffMaxMs: 2, jitter: 'none' as const };

describe.each(transports)('over real HTTP with the %s transport', (_name, makeTransport) => {
  const client = (extra: Record<string, unknown> = {}) =>
    createClient({ baseUrl: server.url, transport: makeTransport(), retry: fast, ...extra });

  it('503,503,200 → one result, 3 attempts, one request id and idempotency key seen 3 times', async () => {
    server.script(PREDICT, { status: 503 }, { status: 503 });
    const p = await client().predict('fraud-score', { amount: 250 });
    expect(p.attempts).toBe(3);
    expect(p.result.label).toBe('fraud');
    expect(p.model).toEqual({ name: 'fraud-score', version: '2' });
    expect(server.seen).toHaveLength(3);
    expect(new Set(server.seen.map((s) => s.headers['x-request-id']))).toEqual(new Set([p.requestId]));
    expect(new Set(server.seen.map((s) => s.body.request_id))).toEqual(new Set([p.requestId]));
    const keys = server.seen.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
  });

  it('422 → one attempt and a ValidationError carrying the field errors', async () => {
    const errors = [{ field: '/amount', message: 'must be number' }];
    server.script(PREDICT, {
      status: 422,
      body: { status: 'error', code: 'VALIDATION_FAILED', message: 'invalid input', request_id: 'r1', trace_id: 't1', errors },
    });
    const error = await client()
      .predict('fraud-score', { amount: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toEqual(errors);
    expect(error.requestId).toBe('r1');
    expect(server.seen).toHaveLength(1);
  });

  it('honours Retry-After (seconds) before retrying', async () => {
    server.script(PREDICT, { status: 429, headers: { 'retry-after': '1' } });
    const started = performance.now();
    const p = await client().predict('fraud-score', { amount: 1 });
    expect(p.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('5 consecutive failures open the breaker; the next call is answered by the backup; a half-open success closes it', async () => {
    const events: ModelwireEvent[] = [];
    const c = client({
      fallbacks: { 'fraud-score': 'fraud-score-backup' },
      breaker: { resetTimeoutMs: 200 },
      cache: false,
      onEvent: (e: ModelwireEvent) => events.push(e),
    });
    server.script(PREDICT, ...Array.from({ length: 5 }, () => ({ status: 503 })));
    server.script(BACKUP, { status: 503 }, { status: 503 }, { status: 503 });
    // call 1: 3 failed attempts (backup fails too); call 2: 2 more → breaker opens at the 5th
    await c.predict('fraud-score', { amount: 1 }).catch(() => {});
    expect(c.breakerState('fraud-score')).toBe('closed');
    const second = await c.predict('fraud-score', { amount: 2 });
    expect(c.breakerState('fraud-score')).toBe('open');
    // the breaker opened at call 2's second attempt, so its third fails fast and the backup answers
    expect(second.fallback).toEqual({ from: 'fraud-score', to: 'fraud-score-backup', reason: 'circuit_open' });
    expect(second.attempts).toBe(3);
    server.seen.length = 0;
    const third = await c.predict('fraud-score', { amount: 3 });
    expect(third.fallback?.reason).toBe('circuit_open');
    expect(third.model.name).toBe('fraud-score-backup');
    expect(server.seen.map((s) => s.path)).toEqual([BACKUP]);
    await new Promise((r) => setTimeout(r, 220));
    expect(c.breakerState('fraud-score')).toBe('half-open');
    const fourth = await c.predict('fraud-score', { amount: 4 });
    expect(fourth.fallback).toBeUndefined();
    expect(c.breakerState('fraud-score')).toBe('closed');
    expect(events.filter((e) => e.type.startsWith('breaker_')).map((e) => e.type)).toEqual([
      'breaker_open',
      'breaker_half_open',
      'breaker_close',
    ]);
  });

  it('4 failures then a success do not open it, nor do 422s between failures reset the streak', async () => {
    const c = client({ retry: { ...fast, maxRetries: 0 }, cache: false });
    server.script(PREDICT, ...Array.from({ length: 4 }, () => ({ status: 500 })), { status: 200 });
    for (let i = 0; i < 5; i++) await c.predict('fraud-score', { amount: i }).catch(() => {});
    expect(c.breakerState('fraud-score')).toBe('closed');
    // 500, 422, 500, 422, 500, 500 → four failures in a row for the breaker (422s are ignored)
    server.script(
      PREDICT,
      { status: 500 },
      { status: 422 },
      { status: 500 },
      { status: 422 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    for (let i = 0; i < 6; i++) await c.predict('fraud-score', { amount: i }).catch(() => {});
    expect(c.breakerState('fraud-score')).toBe('closed');
    await c.predict('fraud-score', { amount: 99 }).catch(() => {});
    expect(c.breakerState('fraud-score')).toBe('open');
  });

  it('an aborted call neither counts for the breaker nor cancels a coalesced neighbour', async () => {
    const c = client({ breaker: { consecutiveFailures: 1 } });
    server.script(PREDICT, { status: 200, delayMs: 150 });
    const controller = new AbortController();
    const aborted = c.predict('fraud-score', { amount: 7 }, { signal: controller.signal });
    const neighbour = c.predict('fraud-score', { amount: 7 });
    setTimeout(() => controller.abort(), 30);
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    const p = await neighbour;
    expect(p.result.label).toBe('legit');
    expect(server.seen).toHaveLength(1);
    expect(c.breakerState('fraud-score')).toBe('closed');
  });

  it('the same input with keys in another order makes no second request; a different credential does', async () => {
    const alice = client({ auth: { token: 't-alice' } });
    await alice.predict('fraud-score', { amount: 10, country: 'FR', nested: { a: 1, b: 2 } });
    const hit = await alice.predict('fraud-score', { nested: { b: 2, a: 1 }, country: 'FR', amount: 10 });
    expect(hit.cached).toBe(true);
    expect(server.seen).toHaveLength(1);
    const bob = createClient({ baseUrl: server.url, transport: makeTransport(), auth: { token: 't-bob' } });
    expect((await bob.predict('fraud-score', { amount: 10, country: 'FR', nested: { a: 1, b: 2 } })).cached).toBe(false);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[0]?.body.meta.input_digest).not.toBe(server.seen[1]?.body.meta.input_digest);
  });

  it('100 concurrent identical calls make one request', async () => {
    server.script(PREDICT, { status: 200, delayMs: 50 });
    const c = client();
    const results = await Promise.all(Array.from({ length: 100 }, () => c.predict('fraud-score', { amount: 5 })));
    expect(server.seen).toHaveLength(1);
    expect(new Set(results.map((r) => r.result.score)).size).toBe(1);
  });

  it('malformed and non-JSON responses give a typed error', async () => {
    server.script(PREDICT, { status: 200, raw: 'not json at all' }, { status: 200, raw: '{"hello":"world"}' });
    const c = client({ cache: false });
    await expect(c.predict('fraud-score', { amount: 1 })).rejects.toBeInstanceOf(MalformedResponseError);
    await expect(c.predict('fraud-score', { amount: 1 })).rejects.toThrow(/not the success envelope/);
  });

  it('a dropped connection is a retried connection error', async () => {
    server.script(PREDICT, { status: 0, destroy: true });
    const p = await client().predict('fraud-score', { amount: 1 });
    expect(p.attempts).toBe(2);
  });

  it('pins a version and reports the version that served', async () => {
    const p = await client().predict('fraud-score', { amount: 1 }, { version: '1' });
    expect(server.seen[0]?.headers['x-model-version']).toBe('1');
    expect(p.model.version).toBe('1');
  });

  it('the token never appears in an error message, an event or a log line', async () => {
    const token = 'tok_live_9f8e7d6c5b4a';
    const lines: string[] = [];
    const events: ModelwireEvent[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(' '));
    try {
      server.script(PREDICT, {
        status: 401,
        body: { status: 'error', code: 'UNAUTHENTICATED', message: `bad token ${token}`, request_id: 'r', trace_id: 't' },
      });
      const c = client({
        auth: { token },
        onEvent: (e: ModelwireEvent) => {
          events.push(e);
          console.log(JSON.stringify(e));
        },
      });
      const error = await c.predict('fraud-score', { amount: 1 }).catch((e) => e);
      console.log(String(error), error.stack);
      expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
      expect(events.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(token);
      expect(JSON.stringify(error)).not.toContain(token);
    } finally {
      console.log = original;
    }
  });
});
