import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AuthError,
  cacheKey,
  createClient,
  DeadlineExceededError,
  InvalidInputError,
  ManualClock,
  RateLimitError,
  ServerError,
  scopeFor,
  UnavailableError,
  ValidationError,
} from '../src/index.js';
import type { HttpRequest, HttpResponse } from '../src/transport/transport.js';
import { fakeTransport, gatedTransport, successEnvelope, times } from './support/fake-transport.js';

const baseUrl = 'http://127.0.0.1:1/v1';
const data = { amount: 1 };
const tick = () => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean) {
  for (let i = 0; i < 1000 && !cond(); i++) await tick();
  if (!cond()) throw new Error('condition never became true');
}

describe('coalescing edge cases', () => {
  it('when every caller has left, the shared call is aborted and a newcomer starts a fresh call', async () => {
    const { transport, gate } = gatedTransport({ v: 1 });
    const client = createClient({ baseUrl, clock: new ManualClock({ autoAdvance: false }), transport });
    const a = new AbortController();
    const first = client.predict('m', data, { signal: a.signal });
    await until(() => gate.calls === 1);
    const firstSignal = gate.signal;
    a.abort();
    await expect(first).rejects.toBeInstanceOf(AbortedError);
    expect(firstSignal?.aborted).toBe(true);
    const second = client.predict('m', data);
    await until(() => gate.calls === 2);
    gate.release();
    expect((await second).result).toEqual({ v: 1 });
  });

  it("a coalesced follower's shorter deadline rejects only that follower", async () => {
    const clock = new ManualClock({ autoAdvance: false });
    const { transport, gate } = gatedTransport({ v: 2 });
    const client = createClient({ baseUrl, clock, transport });
    const leader = client.predict('m', data);
    const follower = client.predict('m', data, { deadlineMs: 100 });
    await until(() => gate.calls === 1);
    clock.advance(100);
    await expect(follower).rejects.toBeInstanceOf(DeadlineExceededError);
    gate.release();
    expect((await leader).result).toEqual({ v: 2 });
  });

  it('a per-call deadline longer than the client default is honoured with the cache on', async () => {
    const clock = new ManualClock({ autoAdvance: false });
    const { transport, gate } = gatedTransport();
    const client = createClient({ baseUrl, clock, transport, deadlineMs: 1000, timeoutMs: 10_000 });
    const call = client.predict('m', data, { deadlineMs: 5000 });
    await until(() => gate.calls === 1);
    clock.advance(2000);
    gate.release();
    await expect(call).resolves.toBeDefined();
  });

  it('results are read-only: a caller cannot change what the cache or neighbours return', async () => {
    const { client } = { client: createClient({ baseUrl, transport: fakeTransport({}).transport }) };
    const first = await client.predict('m', data);
    expect(() => {
      (first.result as Record<string, unknown>).label = 'MUTATED';
    }).toThrow(TypeError);
    expect((await client.predict('m', data)).result.label).toBe('ok');
  });
});

describe('breaker, retry and fallback edge cases', () => {
  it("the caller's abort during an attempt is not a breaker failure", async () => {
    const fake = fakeTransport({ hang: true }, {});
    const client = createClient({ baseUrl, transport: fake.transport, breaker: { consecutiveFailures: 1 }, cache: false });
    const controller = new AbortController();
    const call = client.predict('m', data, { signal: controller.signal });
    await until(() => fake.requests.length === 1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(client.breakerState('m')).toBe('closed');
  });

  it('successes refill the retry budget', async () => {
    // budget 1 token, a success refills 1: every call may retry once
    const answers = [{ status: 503 }, {}, { status: 503 }, {}, { status: 503 }, {}];
    const fake = fakeTransport(...answers);
    const client = createClient({
      baseUrl,
      transport: fake.transport,
      clock: new ManualClock(),
      cache: false,
      retry: { budget: { maxTokens: 1, retryCost: 1, successRefill: 1 } },
    });
    for (let i = 0; i < 3; i++) expect((await client.predict('m', { i })).attempts).toBe(2);
    const noRefill = fakeTransport(...answers);
    const stingy = createClient({
      baseUrl,
      transport: noRefill.transport,
      clock: new ManualClock(),
      cache: false,
      retry: { budget: { maxTokens: 1, retryCost: 1, successRefill: 0 } },
    });
    await stingy.predict('m', { i: 0 });
    await expect(stingy.predict('m', { i: 1 })).rejects.toThrow(/503/);
  });

  it('a Retry-After beyond the remaining deadline gives up at once, carrying the wait', async () => {
    const fake = fakeTransport({ status: 429, headers: { 'retry-after': '20' } }, {});
    const clock = new ManualClock();
    const client = createClient({ baseUrl, transport: fake.transport, clock, deadlineMs: 10_000 });
    const error = await client.predict('m', data).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(20_000);
    expect(fake.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not serve a stale answer after a 4xx', async () => {
    const clock = new ManualClock();
    const fake = fakeTransport({}, { status: 422 });
    const client = createClient({ baseUrl, transport: fake.transport, clock, cache: { staleIfError: true } });
    await client.predict('m', data);
    clock.advance(31_000);
    await expect(client.predict('m', data)).rejects.toBeInstanceOf(ValidationError);
  });

  it('does not fall back after the deadline passed', async () => {
    const fake = fakeTransport(...times(5, { status: 503 }), {});
    const client = createClient({
      baseUrl,
      transport: fake.transport,
      clock: new ManualClock(),
      deadlineMs: 150,
      retry: { jitter: 'none' },
      fallbacks: { m: 'backup' },
    });
    await expect(client.predict('m', data)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(fake.requests.every((r) => !r.url.includes('backup'))).toBe(true);
  });

  it('when the backup fails too, the primary error is thrown with the backup error attached', async () => {
    const fake = fakeTransport(...times(3, { status: 503 }), ...times(3, { status: 500 }));
    const client = createClient({ baseUrl, transport: fake.transport, clock: new ManualClock(), fallbacks: { m: 'backup' } });
    const error = await client.predict('m', data).catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.backupError).toBeInstanceOf(ServerError);
    expect(error.attempts).toBe(6);
  });

  it('the fallback call drops the version pin', async () => {
    const fake = fakeTransport(...times(3, { status: 503 }), {});
    const client = createClient({ baseUrl, transport: fake.transport, clock: new ManualClock(), fallbacks: { m: 'backup' } });
    await client.predict('m', data, { version: '3' });
    expect(fake.requests[0]?.headers['x-model-version']).toBe('3');
    expect(fake.requests[3]?.url).toContain('/models/backup/predict');
    expect(fake.requests[3]?.headers['x-model-version']).toBeUndefined();
  });

  it('meta.input_digest is exactly cacheKey({model, version, scope, data})', async () => {
    const fake = fakeTransport({});
    const client = createClient({ baseUrl, transport: fake.transport, auth: { token: 't-1' } });
    await client.predict('m', { b: [1.0, 'é'], a: null }, { version: '2' });
    const digest = JSON.parse(fake.requests[0]?.body as string).meta.input_digest;
    expect(digest).toBe(cacheKey({ model: 'm', version: '2', scope: scopeFor({ token: 't-1' }), data: { a: null, b: [1, 'é'] } }));
  });
});

describe('auth edge cases', () => {
  it('a failing token provider is a typed AuthError that leaves the breaker alone', async () => {
    let calls = 0;
    const fake = fakeTransport({ status: 503 });
    const client = createClient({
      baseUrl,
      transport: fake.transport,
      clock: new ManualClock(),
      cache: false,
      breaker: { consecutiveFailures: 2 },
      auth: {
        getToken: () => {
          calls++;
          if (calls > 1) throw new Error('idp down');
          return 'tok-1';
        },
      },
    });
    const error = await client.predict('m', data).catch((e) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('TOKEN_UNAVAILABLE');
    expect(client.breakerState('m')).toBe('closed');
  });

  it('keeps redacting rotated tokens and field errors that echo them', async () => {
    let n = 0;
    const tokens: string[] = [];
    const transport = async (req: HttpRequest): Promise<HttpResponse> => {
      const token = (req.headers.authorization ?? '').slice(7);
      return {
        status: 422,
        headers: {},
        body: JSON.stringify({
          status: 'error',
          code: 'VALIDATION_FAILED',
          message: `rejected ${token}`,
          request_id: 'r',
          trace_id: 't',
          errors: [{ field: '/a', message: `saw ${token}` }],
        }),
      };
    };
    const client = createClient({
      baseUrl,
      transport,
      cache: false,
      auth: {
        getToken: () => {
          const t = `secret-token-${++n}`;
          tokens.push(t);
          return t;
        },
      },
    });
    let last: ValidationError | undefined;
    for (let i = 0; i < 25; i++) last = await client.predict('m', { i }).catch((e) => e);
    const text = `${last?.message} ${JSON.stringify(last?.errors)}`;
    for (const t of tokens.slice(-5)) expect(text).not.toContain(t);
    expect(text).not.toMatch(/secret-token-\d/);
  });
});

describe('per-call options', () => {
  it('are validated with clear messages', async () => {
    const client = createClient({ baseUrl, transport: fakeTransport().transport });
    await expect(client.predict('m', data, { requestId: '' })).rejects.toThrow(/requestId must be 1 to 128 visible ASCII characters/);
    await expect(client.predict('m', data, { timeoutMs: 'abc' as unknown as number })).rejects.toThrow(InvalidInputError);
    await expect(client.predict('m', data, { minConfidence: 2 })).rejects.toThrow(/minConfidence/);
    await expect(client.getJob('m', 'j', { deadlineMs: -1 })).rejects.toThrow(/deadlineMs/);
    expect(() => createClient({ baseUrl, minConfidence: 1.5 })).toThrow(/minConfidence/);
  });

  it('close() releases the default transport and leaves a custom one alone', async () => {
    let closed = 0;
    const transport = Object.assign(fakeTransport().transport, { close: async () => void closed++ });
    await createClient({ baseUrl, transport }).close();
    expect(closed).toBe(0);
    await expect(createClient({ baseUrl }).close()).resolves.toBeUndefined();
  });
});

void successEnvelope;
