import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, MalformedResponseError, type ModelwireEvent, TimeoutError, UnavailableError } from '../src/index.js';
import { freezeWithinDepth } from '../src/internal/freeze-within-depth.js';
import { type ScriptServer, startScriptServer } from './support/script-server.js';
import { TRANSPORTS as transports } from './support/transports.js';

// docs/semantics.md "Attempt boundaries" and "Response limits", over real HTTP with both transports:
// the per-attempt timeout covers the body read, bodies are counted as they are read, depth is bounded.

let server: ScriptServer;
beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const PREDICT = '/models/fraud-score/predict';
const envelope = (result: string) =>
  `{"status":"success","code":"OK","message":"ok","request_id":"r","trace_id":"t","model":{"name":"fraud-score","version":"2"},"result":${result}}`;
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe.each(transports)('response limits with the %s transport', (_name, makeTransport) => {
  const client = (extra: Record<string, unknown> = {}) =>
    createClient({ baseUrl: server.url, transport: makeTransport(), retry: { maxRetries: 0 }, cache: false, ...extra });

  it('a body that stalls after the headers times out at timeoutMs from the attempt start', async () => {
    server.script(PREDICT, { status: 200, raw: envelope('{"label":"legit"}'), stallAfterBytes: 10 });
    const started = Date.now();
    const error = await client({ timeoutMs: 200 })
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(700);
  });

  it('a trickled body times out at timeoutMs from the attempt start, not from the last byte', async () => {
    server.script(PREDICT, { status: 200, raw: envelope('{"label":"legit"}'), trickleMs: 20 });
    const started = Date.now();
    const error = await client({ timeoutMs: 250 })
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(750);
  });

  it('a Content-Length above maxResponseBytes fails at once: RESPONSE_TOO_LARGE, not retried, a response event', async () => {
    const events: ModelwireEvent[] = [];
    server.script(PREDICT, { status: 200, raw: envelope(`"${'x'.repeat(5000)}"`), stallAfterBytes: 100 });
    const error = await client({ maxResponseBytes: 1000, retry: { maxRetries: 2 }, onEvent: (e: ModelwireEvent) => events.push(e) })
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(server.seen).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'call_end']);
  });

  it('a chunked body is cut off once the running count exceeds maxResponseBytes', async () => {
    server.script(PREDICT, { status: 200, raw: envelope(`"${'x'.repeat(200_000)}"`), chunked: true });
    const error = await client({ maxResponseBytes: 50_000 })
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('a chunked body within the limit is read whole, multi-byte characters across chunk boundaries intact', async () => {
    const text = 'é€'.repeat(30_000);
    const raw = envelope(`{"label":"${text}"}`);
    server.script(PREDICT, { status: 200, raw, chunked: true });
    const p = await client({ maxResponseBytes: Buffer.byteLength(raw) }).predict('fraud-score', { amount: 1 });
    expect(p.result.label).toBe(text);
  });

  it('10,000-level JSON: malformed on a 200, the status kind on a 503, never a RangeError', async () => {
    server.script(PREDICT, { status: 200, raw: envelope(deep(10_000)) }, { status: 503, raw: deep(10_000) });
    const malformed = await client()
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    expect(malformed).toBeInstanceOf(MalformedResponseError);
    expect(malformed.code).toBe('MALFORMED_RESPONSE');
    const unavailable = await client()
      .predict('fraud-score', { amount: 2 })
      .catch((e) => e);
    expect(unavailable).toBeInstanceOf(UnavailableError);
    expect(unavailable.code).toBe('MODEL_UNAVAILABLE');
  });

  it('asks for no compression', async () => {
    await client().predict('fraud-score', { amount: 1 });
    expect(server.seen[0]?.headers['accept-encoding']).toBe('identity');
  });
});

describe('response limits without HTTP', () => {
  it('a custom transport that ignores maxResponseBytes is still held to it', async () => {
    const big = envelope(`"${'x'.repeat(2000)}"`);
    const client = createClient({
      baseUrl: 'http://gateway.invalid/v1',
      transport: async () => ({ status: 200, headers: {}, body: big }),
      maxResponseBytes: 1000,
    });
    await expect(client.predict('fraud-score', { amount: 1 })).rejects.toMatchObject({
      kind: 'MalformedResponse',
      code: 'RESPONSE_TOO_LARGE',
    });
  });

  it('maxJsonDepth is an option: depth exactly at the limit is accepted, one more is malformed', async () => {
    const answer = (levels: number) => async () => ({ status: 200, headers: {}, body: envelope(`{"deep":${deep(levels)}}`) });
    // The envelope is depth 1, result 2: a result member nested n deep reaches depth n + 2.
    const at = createClient({ baseUrl: 'http://gateway.invalid/v1', transport: answer(8), maxJsonDepth: 10, cache: false });
    await expect(at.predict('fraud-score', { amount: 1 })).resolves.toBeDefined();
    const over = createClient({ baseUrl: 'http://gateway.invalid/v1', transport: answer(9), maxJsonDepth: 10, cache: false });
    await expect(over.predict('fraud-score', { amount: 1 })).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
  });

  it('rejects bad limits at construction', () => {
    expect(() => createClient({ baseUrl: 'http://gateway.invalid/v1', maxJsonDepth: 1.5 })).toThrow(/maxJsonDepth/);
    expect(() => createClient({ baseUrl: 'http://gateway.invalid/v1', maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
  });

  it('freezeWithinDepth freezes everything within the limit and walks 1,000,000 levels without a stack', () => {
    const value = JSON.parse('{"a":[{"b":1}]}');
    expect(freezeWithinDepth(value, 3)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(freezeWithinDepth(JSON.parse('{"a":[{"b":1}]}'), 2)).toBe(false);
    expect(freezeWithinDepth(JSON.parse(deep(1_000_000)), 100)).toBe(false);
    expect(freezeWithinDepth(42, 1)).toBe(true);
  });
});
