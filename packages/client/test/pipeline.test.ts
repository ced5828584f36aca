import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AuthError,
  CircuitOpenError,
  ConnectionError,
  createClient,
  DeadlineExceededError,
  InvalidInputError,
  MalformedResponseError,
  ManualClock,
  type ModelwireEvent,
  PIPELINE_ORDER,
  RateLimitError,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from '../src/index.js';
import { buildPipeline } from '../src/pipeline.js';
import { fakeTransport, gatedTransport, times } from './support/fake-transport.js';

const baseUrl = 'http://127.0.0.1:1/v1';
const data = { amount: 120, country: 'FR' };

function setup(answers: Parameters<typeof fakeTransport>, options: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const fake = fakeTransport(...answers);
  const events: ModelwireEvent[] = [];
  const client = createClient({
    baseUrl,
    transport: fake.transport,
    clock,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { clock, client, events, ...fake };
}

describe('pipeline order', () => {
  it('is declared once and refuses another order', () => {
    expect(PIPELINE_ORDER).toEqual(['cache', 'coalesce', 'fallback', 'retry', 'breaker', 'timeout']);
    const noop = (ctx: never, next: (c: never) => Promise<never>) => next(ctx);
    const stages = Object.fromEntries(PIPELINE_ORDER.map((n) => [n, noop])) as never;
    expect(() => buildPipeline(stages, async () => ({}) as never, ['retry', 'cache'])).toThrow(/out of order/);
  });
});

describe('retry', () => {
  it('503, 503, 200 → one result, 3 attempts, same request id and idempotency key, backoff with jitter', async () => {
    const { client, requests, clock } = setup([{ status: 503 }, { status: 503 }, {}]);
    const p = await client.predict('fraud-score', data);
    expect(p.attempts).toBe(3);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['x-request-id'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(requests.map((r) => JSON.parse(r.body as string).request_id))).toEqual(new Set([p.requestId]));
    // full jitter with random()=0.5: 0.5×100, 0.5×200
    expect(clock.sleeps).toEqual([50, 100]);
    // same trace id, new span per attempt
    const tps = requests.map((r) => r.headers.traceparent?.split('-') ?? []);
    expect(new Set(tps.map((t) => t[1])).size).toBe(1);
    expect(new Set(tps.map((t) => t[2])).size).toBe(3);
  });

  it('never retries a 422 and surfaces the field errors', async () => {
    const errors = [{ field: '/amount', message: 'must be number' }];
    const { client, requests } = setup([
      { status: 422, json: { status: 'error', code: 'VALIDATION_FAILED', message: 'bad', request_id: 'r', trace_id: 't', errors } },
    ]);
    const error = await client.predict('fraud-score', data).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toEqual(errors);
    expect(error.httpStatus).toBe(422);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('/amount must be number');
    expect(requests).toHaveLength(1);
  });

  it('honours Retry-After instead of backoff', async () => {
    const { client, clock } = setup([{ status: 429, headers: { 'retry-after': '3' } }, {}]);
    const p = await client.predict('fraud-score', data);
    expect(p.attempts).toBe(2);
    expect(clock.sleeps).toEqual([3000]);
  });

  it('gives up at once when Retry-After is above the cap, carrying the wait', async () => {
    const { client, requests, clock } = setup([{ status: 429, headers: { 'retry-after': '3600' } }, {}]);
    const error = await client.predict('fraud-score', data).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops at the deadline with DeadlineExceeded', async () => {
    const { client, requests } = setup(times(10, { status: 503 }), {
      deadlineMs: 250,
      retry: { maxRetries: 5, jitter: 'none', backoffInitialMs: 100 },
      breaker: false,
    });
    const error = await client.predict('fraud-score', data).catch((e) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.cause).toBeInstanceOf(UnavailableError);
    // attempts at t=0 and t=100; the next wait (200) would pass the 250 ms deadline
    expect(requests).toHaveLength(2);
  });

  it('spends a retry budget shared by the client during a sustained outage', async () => {
    const { client, requests } = setup(times(100, { status: 503 }), {
      retry: { maxRetries: 2, budget: { maxTokens: 3, retryCost: 1, successRefill: 0.1 } },
      breaker: false,
      cache: false,
    });
    for (let i = 0; i < 4; i++) await client.predict('fraud-score', { i }).catch(() => {});
    // 4 first attempts + only 3 retries in total
    expect(requests).toHaveLength(7);
  });

  it('honours an abort during the backoff sleep', async () => {
    const clock = new ManualClock({ autoAdvance: false });
    const fake = fakeTransport({ status: 503 }, {});
    const client = createClient({ baseUrl, transport: fake.transport, clock });
    const controller = new AbortController();
    const pending = client.predict('fraud-score', data, { signal: controller.signal });
    await vi_waitFor(() => clock.sleeps.length === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a hung attempt and retries it', async () => {
    const clock = new ManualClock({ autoAdvance: false });
    const fake = fakeTransport({ hang: true }, {});
    const client = createClient({ baseUrl, transport: fake.transport, clock, timeoutMs: 1000, retry: { jitter: 'none' } });
    const pending = client.predict('fraud-score', data);
    await vi_waitFor(() => fake.requests.length === 1);
    clock.advance(1000);
    await vi_waitFor(() => clock.waiting >= 1 && fake.requests.length === 1);
    clock.advance(100);
    const p = await pending;
    expect(p.attempts).toBe(2);
  });

  it('turns connection failures into ConnectionError and retries them', async () => {
    const { client } = setup(times(3, { fail: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), {
      breaker: false,
    });
    const error = await client.predict('fraud-score', data).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.attempts).toBe(3);
  });

  it('reports a non-JSON 200 as MalformedResponseError without retrying', async () => {
    const { client, requests } = setup([{ body: '<html>oops</html>' }]);
    const error = await client.predict('fraud-score', data).catch((e) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toContain('<html>oops</html>');
    expect(requests).toHaveLength(1);
  });

  it('treats an HTML 502 from a proxy as a server error (retried)', async () => {
    const { client } = setup([{ status: 502, body: '<html>bad gateway</html>' }, {}]);
    expect((await client.predict('fraud-score', data)).attempts).toBe(2);
  });
});

describe('breaker and fallback', () => {
  const fallbacks = { 'fraud-score': 'fraud-score-backup' };

  it('opens after 5 consecutive failed attempts; next call fails fast, or goes to the backup', async () => {
    const { client, requests, events } = setup(times(5, { status: 503 }), { retry: { maxRetries: 4 }, cache: false });
    await expect(client.predict('fraud-score', data)).rejects.toBeInstanceOf(UnavailableError);
    expect(client.breakerState('fraud-score')).toBe('open');
    await expect(client.predict('fraud-score', data)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(requests).toHaveLength(5);
    expect(events.some((e) => e.type === 'breaker_open')).toBe(true);
  });

  it('falls back to the backup model with the same request id and a new idempotency key', async () => {
    const { client, requests } = setup([...times(3, { status: 503 }), {}], { fallbacks, cache: false });
    const p = await client.predict('fraud-score', data);
    expect(p.fallback).toEqual({ from: 'fraud-score', to: 'fraud-score-backup', reason: 'retries_exhausted' });
    expect(requests.at(-1)?.url).toContain('/models/fraud-score-backup/predict');
    expect(new Set(requests.map((r) => r.headers['x-request-id'])).size).toBe(1);
    expect(requests.at(-1)?.headers['idempotency-key']).not.toBe(requests[0]?.headers['idempotency-key']);
    expect(p.attempts).toBe(4);
  });

  it('never falls back on a 422 or a 429', async () => {
    const { client, requests } = setup([{ status: 422 }, { status: 429, headers: { 'retry-after': '999' } }], { fallbacks });
    await expect(client.predict('fraud-score', data)).rejects.toBeInstanceOf(ValidationError);
    await expect(client.predict('fraud-score', { other: 1 })).rejects.toBeInstanceOf(RateLimitError);
    expect(requests.every((r) => !r.url.includes('backup'))).toBe(true);
  });

  it('a half-open success closes the breaker', async () => {
    const { client, clock } = setup([...times(5, { status: 500 }), {}], { retry: { maxRetries: 0 }, cache: false });
    for (let i = 0; i < 5; i++) await client.predict('fraud-score', data).catch(() => {});
    expect(client.breakerState('fraud-score')).toBe('open');
    clock.advance(30_000);
    expect(client.breakerState('fraud-score')).toBe('half-open');
    await client.predict('fraud-score', data);
    expect(client.breakerState('fraud-score')).toBe('closed');
  });

  it('keeps one breaker per pinned version', async () => {
    const { client } = setup(times(5, { status: 500 }), { retry: { maxRetries: 0 }, cache: false });
    for (let i = 0; i < 5; i++) await client.predict('fraud-score', data, { version: '1' }).catch(() => {});
    expect(client.breakerState('fraud-score', '1')).toBe('open');
    expect(client.breakerState('fraud-score')).toBe('closed');
  });
});

describe('cache and coalescing', () => {
  it('serves the same input in another key order from cache within the TTL, misses after it', async () => {
    const { client, requests, clock } = setup([{}, {}]);
    const first = await client.predict('fraud-score', { a: 1, b: { c: 2, d: 3 } });
    const second = await client.predict('fraud-score', { b: { d: 3, c: 2 }, a: 1 });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.attempts).toBe(0);
    expect(requests).toHaveLength(1);
    clock.advance(30_000);
    expect((await client.predict('fraud-score', { a: 1, b: { c: 2, d: 3 } })).cached).toBe(false);
    expect(requests).toHaveLength(2);
  });

  it('sends the cache key as meta.input_digest', async () => {
    const { client, requests } = setup([{}]);
    await client.predict('fraud-score', data, { meta: { source: 'test' } });
    const meta = JSON.parse(requests[0]?.body as string).meta;
    expect(meta.input_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.source).toBe('test');
  });

  it('does not cache errors or fallback answers under the primary key', async () => {
    const { client, requests } = setup([...times(3, { status: 503 }), {}, {}], { fallbacks: { 'fraud-score': 'b' } });
    expect((await client.predict('fraud-score', data)).fallback).toBeDefined();
    const again = await client.predict('fraud-score', data);
    expect(again.cached).toBe(false);
    expect(requests).toHaveLength(5);
  });

  it('serves a stale answer when the model fails and staleIfError is on', async () => {
    const { client, clock } = setup([{}, ...times(3, { status: 503 })], { cache: { staleIfError: true } });
    await client.predict('fraud-score', data);
    clock.advance(31_000);
    const p = await client.predict('fraud-score', data);
    expect(p.stale).toBe(true);
    expect(p.cached).toBe(true);
  });

  it('cache: false skips the cache', async () => {
    const { client, requests } = setup([{}, {}]);
    await client.predict('fraud-score', data);
    await client.predict('fraud-score', data, { cache: false });
    expect(requests).toHaveLength(2);
  });

  it('bounds the cache by bytes', async () => {
    const { client, requests } = setup(times(20, {}), { cache: { maxBytes: 1000 } });
    for (let i = 0; i < 10; i++) await client.predict('fraud-score', { i });
    await client.predict('fraud-score', { i: 0 });
    // the oldest entry was evicted by the byte budget, so it was asked again
    expect(requests).toHaveLength(11);
  });

  it('100 concurrent identical calls make one request', async () => {
    const { transport, gate } = gatedTransport();
    const client = createClient({ baseUrl, clock: new ManualClock({ autoAdvance: false }), transport });
    const all = Array.from({ length: 100 }, () => client.predict('fraud-score', data));
    await vi_waitFor(() => gate.calls === 1);
    gate.release();
    const results = await Promise.all(all);
    expect(gate.calls).toBe(1);
    expect(results).toHaveLength(100);
  });

  it("one caller's abort neither cancels nor fails a coalesced neighbour", async () => {
    const { transport, gate } = gatedTransport({ v: 1 });
    const client = createClient({ baseUrl, clock: new ManualClock({ autoAdvance: false }), transport });
    const controller = new AbortController();
    const aborted = client.predict('fraud-score', data, { signal: controller.signal });
    const neighbour = client.predict('fraud-score', data);
    await vi_waitFor(() => gate.signal !== undefined);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    expect(gate.signal?.aborted).toBe(false);
    gate.release();
    expect((await neighbour).result).toEqual({ v: 1 });
    expect(client.breakerState('fraud-score')).toBe('closed');
  });
});

describe('auth, errors and secrets', () => {
  it('repeats a 401 once with a fresh token from the provider', async () => {
    const tokens = ['old-token-1', 'new-token-2'];
    const { client, requests } = setup([{ status: 401 }, {}], {
      auth: { getToken: ({ forceRefresh }: { forceRefresh: boolean }) => (forceRefresh ? tokens[1] : tokens[0]) },
    });
    await client.predict('fraud-score', data);
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer old-token-1', 'Bearer new-token-2']);
  });

  it('never puts the token in an error message, an event or the cache key', async () => {
    const token = 'super-secret-token-xyz';
    const { client, events, requests } = setup(
      [
        {
          status: 401,
          json: {
            status: 'error',
            code: 'UNAUTHENTICATED',
            message: `token ${token} expired (Bearer ${token})`,
            request_id: 'r',
            trace_id: 't',
          },
        },
      ],
      { auth: { token } },
    );
    const error = await client.predict('fraud-score', data).catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(token);
    expect(requests[0]?.body).not.toContain(token);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('rejects bad options and bad input with clear typed errors before sending', async () => {
    expect(() => createClient({ baseUrl: 'not a url' })).toThrow(/baseUrl must be an absolute http or https URL/);
    expect(() => createClient({ baseUrl, timeoutMs: -1 })).toThrow(/timeoutMs must be a finite number/);
    expect(() => createClient({ baseUrl, retry: { jitter: 'half' as 'full' } })).toThrow(InvalidInputError);
    const { client, requests } = setup([]);
    await expect(client.predict('fraud-score', { x: Number.NaN })).rejects.toThrow(/data\.x: NaN is not a JSON value/);
    await expect(client.predict('Bad Model!', data)).rejects.toBeInstanceOf(InvalidInputError);
    const small = createClient({ baseUrl, transport: async () => ({ status: 200, headers: {}, body: '' }), maxInputBytes: 10 });
    await expect(small.predict('fraud-score', { text: 'x'.repeat(100) })).rejects.toThrow(/above maxInputBytes/);
    expect(requests).toHaveLength(0);
  });

  it('flags low confidence against minConfidence', async () => {
    const { client } = setup(
      [
        {
          json: {
            status: 'success',
            code: 'OK',
            message: '',
            request_id: 'r',
            trace_id: 't',
            model: { name: 'm', version: '1' },
            result: { confidence: 0.55 },
          },
        },
      ],
      { minConfidence: 0.6 },
    );
    const p = await client.predict('fraud-score', data);
    expect(p.confidence).toBe(0.55);
    expect(p.lowConfidence).toBe(true);
  });
});

async function vi_waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition never became true');
}

void TimeoutError;

describe('events (docs/semantics.md, Events)', () => {
  it('a connection error, a 503 falling back and the backup answer: one attempt count, fields and order', async () => {
    const { client, events } = setup([{ fail: new Error('ECONNRESET') }, { status: 503 }, { status: 200 }], {
      retry: { maxRetries: 1, jitter: 'none', backoffInitialMs: 10 },
      fallbacks: { m: 'm-backup' },
      cache: false,
    });
    const p = await client.predict('m', data, { version: '3', requestId: 'r1' });
    expect(p.attempts).toBe(3);
    const call = { model: 'm', version: '3', requestId: 'r1' };
    const backup = { model: 'm-backup', version: null, requestId: 'r1' };
    const path = '/models/m/predict';
    expect(events.map(({ latencyMs, ...e }: ModelwireEvent & { latencyMs?: number }) => e)).toEqual([
      { type: 'request', ...call, attempt: 1, method: 'POST', path },
      { type: 'request_error', ...call, attempt: 1, method: 'POST', path, errorCode: 'CONNECTION_ERROR' },
      { type: 'retry', ...call, attempt: 1, delayMs: 10, errorCode: 'CONNECTION_ERROR' },
      { type: 'request', ...call, attempt: 2, method: 'POST', path },
      { type: 'response', ...call, attempt: 2, method: 'POST', path, status: 503 },
      { type: 'fallback', ...call, to: 'm-backup', reason: 'retries_exhausted' },
      { type: 'request', ...backup, attempt: 3, method: 'POST', path: '/models/m-backup/predict' },
      { type: 'response', ...backup, attempt: 3, method: 'POST', path: '/models/m-backup/predict', status: 200 },
      {
        type: 'call_end',
        ...call,
        operation: 'predict',
        outcome: 'ok',
        attempts: 3,
        cached: false,
        coalesced: false,
        fallback: 'm-backup',
      },
    ]);
  });

  it('a per-attempt timeout is request_error TIMEOUT, the caller abort ABORTED', async () => {
    const { client, clock, events } = setup([{ hang: true }, { hang: true }], { retry: { maxRetries: 0 }, cache: false, timeoutMs: 100 });
    const timedOut = client.predict('m', data).catch((e) => e);
    await new Promise((r) => setTimeout(r, 0));
    clock.advance(100);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const aborted = client.predict('m', data, { signal: controller.signal }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 0));
    controller.abort();
    expect(await aborted).toBeInstanceOf(AbortedError);
    const errors = events.filter((e) => e.type === 'request_error');
    expect(errors.map((e) => e.errorCode)).toEqual(['TIMEOUT', 'ABORTED']);
  });
});
