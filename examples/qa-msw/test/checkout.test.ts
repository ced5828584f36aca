/**
 * What a QA engineer writes: the checkout service (src/checkout.ts) uses @modelwire/client; the gateway
 * is mocked with @modelwire/msw and each test scripts one failure the service must survive.
 */
import { RateLimitError, TimeoutError, ValidationError } from '@modelwire/client';
import { latency, rateLimited, unavailable, validationError } from '@modelwire/msw';
import { describe, expect, it } from 'vitest';
import { decideCheckout } from '../src/checkout.js';
import { useModelwireMock } from './setup.js';

const { server, seen, makeClient } = useModelwireMock();
const PRIMARY = '/v1/models/fraud-score/predict';
const BACKUP = '/v1/models/fraud-score-backup/predict';
const order = (id: string, amount: number, extra: Partial<{ country: string; cardPresent: boolean; hour: number }> = {}) => ({
  id,
  amount,
  country: 'FR',
  cardPresent: false,
  ...extra,
});

describe('checkout against the mocked fraud model', () => {
  it('approves a small domestic order and rejects a large foreign night-time one (real model scores)', async () => {
    const { client } = makeClient();
    expect(await decideCheckout(client, order('1', 25))).toMatchObject({
      decision: 'approve',
      model: 'fraud-score',
      fallback: false,
      attempts: 1,
    });
    expect(await decideCheckout(client, order('2', 9000, { country: 'US', hour: 2 }))).toMatchObject({ decision: 'reject', attempts: 1 });
    expect(seen.map((s) => s.path)).toEqual([PRIMARY, PRIMARY]);
  });

  it('outage: retries, then the backup model answers; the breaker opens and skips the primary; it recovers', async () => {
    server.use(unavailable(100, { model: 'fraud-score' }));
    const { client, clock } = makeClient();

    // Call 1: 3 attempts on the primary (503 each), then the backup.
    const first = await client.predict('fraud-score', { amount: 40, country: 'FR' }, { requestId: 'order-a' });
    expect(first.fallback).toEqual({ from: 'fraud-score', to: 'fraud-score-backup', reason: 'retries_exhausted' });
    expect(first.model.name).toBe('fraud-score-backup');
    expect(first.attempts).toBe(4);
    expect(seen.map((s) => s.path)).toEqual([PRIMARY, PRIMARY, PRIMARY, BACKUP]);
    // One request id everywhere (correlation); the backup call got its own Idempotency-Key.
    expect(new Set(seen.map((s) => s.requestId))).toEqual(new Set(['order-a']));
    expect(new Set(seen.slice(0, 3).map((s) => s.idempotencyKey)).size).toBe(1);
    expect(seen[3]?.idempotencyKey).not.toBe(seen[0]?.idempotencyKey);

    // Call 2: two more failures make five in a row — the breaker opens and the backup answers.
    const second = await decideCheckout(client, order('b', 41));
    expect(second).toMatchObject({ decision: 'approve', model: 'fraud-score-backup', fallback: true });
    expect(client.breakerState('fraud-score')).toBe('open');
    expect(seen.filter((s) => s.path === PRIMARY)).toHaveLength(5);

    // Call 3: breaker open — the primary is not called at all.
    seen.length = 0;
    const third = await client.predict('fraud-score', { amount: 42, country: 'FR' });
    expect(third.fallback?.reason).toBe('circuit_open');
    expect(third.attempts).toBe(1);
    expect(seen.map((s) => s.path)).toEqual([BACKUP]);

    // The model comes back; after the breaker's reset timeout one trial call closes it.
    server.resetHandlers();
    clock.advance(30_000);
    expect(client.breakerState('fraud-score')).toBe('half-open');
    const recovered = await client.predict('fraud-score', { amount: 43, country: 'FR' });
    expect(recovered.fallback).toBeUndefined();
    expect(recovered.model.name).toBe('fraud-score');
    expect(client.breakerState('fraud-score')).toBe('closed');
  });

  it('a 422 surfaces the field errors, is not retried and does not fall back', async () => {
    server.use(validationError({ '/country': 'must match ^[A-Z]{2}$', '/amount': 'must be >= 0' }));
    const { client } = makeClient();
    const error = await client.predict('fraud-score', { amount: -1, country: 'france' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      httpStatus: 422,
      errors: [
        { field: '/country', message: 'must match ^[A-Z]{2}$' },
        { field: '/amount', message: 'must be >= 0' },
      ],
    });
    expect(seen.map((s) => s.path)).toEqual([PRIMARY]);
    // The service turns it into a manual review naming the fields.
    expect(await decideCheckout(client, order('c', 25))).toEqual({
      decision: 'review',
      reason: 'invalid_input',
      fields: ['/country', '/amount'],
    });
  });

  it('the real model validates too: a missing required field is a 422 from the input schema', async () => {
    const { client } = makeClient();
    const error = await client.predict('fraud-score', { country: 'FR' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.length).toBeGreaterThan(0);
  });

  it('429 with Retry-After: waits what the server asked, then succeeds (no fallback on throttling)', async () => {
    server.use(rateLimited(2, { model: 'fraud-score', times: 1 }));
    const { client, clock } = makeClient();
    const p = await client.predict('fraud-score', { amount: 25, country: 'FR' });
    expect(p.attempts).toBe(2);
    expect(p.fallback).toBeUndefined();
    expect(clock.sleeps).toEqual([2000]); // Retry-After: 2 replaced the backoff delay
    expect(seen.map((s) => s.path)).toEqual([PRIMARY, PRIMARY]);
  });

  it('429 with a Retry-After above the cap fails at once with the wait, instead of sleeping for minutes', async () => {
    server.use(rateLimited(120));
    const { client, clock } = makeClient();
    const error = await client.predict('fraud-score', { amount: 25, country: 'FR' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 120_000 });
    expect(clock.sleeps).toEqual([]);
    expect(seen.map((s) => s.path)).toEqual([PRIMARY]);
    expect(await decideCheckout(client, order('d', 26))).toEqual({ decision: 'review', reason: 'rate_limited', retryAfterMs: 120_000 });
  });

  // Real time here: the per-attempt timeout must fire while msw holds the response (40 ms × 3 attempts).
  it('a slow model hits the per-attempt timeout: TimeoutError without a backup, the backup answers with one', async () => {
    server.use(latency(2_000, { model: 'fraud-score' }));
    const noBackup = makeClient({ timeoutMs: 40, clock: undefined, fallbacks: {}, retry: { backoffInitialMs: 0 } }).client;
    const error = await noBackup.predict('fraud-score', { amount: 25, country: 'FR' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 3 });

    seen.length = 0;
    const withBackup = makeClient({ timeoutMs: 40, clock: undefined, retry: { backoffInitialMs: 0 } }).client;
    const p = await withBackup.predict('fraud-score', { amount: 25, country: 'FR' });
    expect(p.fallback).toEqual({ from: 'fraud-score', to: 'fraud-score-backup', reason: 'retries_exhausted' });
    expect(seen.map((s) => s.path)).toEqual([PRIMARY, PRIMARY, PRIMARY, BACKUP]);
  });
});
