// The input value domain and the checks made before sending (docs/semantics.md "What the SDKs check
// before sending"), for the values only JavaScript has: Date, Map, Set, functions, bytes, class
// instances, undefined, cycles. Every refusal is an InvalidInputError naming the path, and nothing is sent.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ConnectionError, createClient, InvalidInputError, NotFoundError } from '../src/index.js';
import { checkModelInput } from '../src/internal/model-input.js';
import { fakeTransport } from './support/fake-transport.js';

const baseUrl = 'http://gateway.test/v1';

/** The InvalidInputError `predict` throws for `data`, and the proof nothing was sent. */
async function refusal(data: unknown): Promise<InvalidInputError> {
  const { transport, requests } = fakeTransport();
  const events: unknown[] = [];
  const client = createClient({ baseUrl, transport, onEvent: (e) => events.push(e) });
  const error = await client.predict('fraud-score', data as Record<string, unknown>).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).code).toBe('INVALID_INPUT');
  expect(requests).toHaveLength(0);
  expect(events).toEqual([]);
  return error as InvalidInputError;
}

/** `{a: {a: … 1}}` nested `levels` levels (the outer object is level 1). */
function nested(levels: number): Record<string, unknown> {
  let data: unknown = 1;
  for (let i = 0; i < levels; i++) data = { a: data };
  return data as Record<string, unknown>;
}

describe('data must hold JSON values only', () => {
  class Order {
    amount = 1;
  }
  const cases: [string, unknown, RegExp][] = [
    ['a Date', { items: [1, 2, new Date(0)] }, /^data\.items\[2\]: a Date is not a JSON value; send an ISO string/],
    ['a Map', { features: new Map([['a', 1]]) }, /^data\.features: a Map is not a JSON value/],
    ['a Set', { tags: new Set(['x']) }, /^data\.tags: a Set is not a JSON value/],
    ['a function', { f: () => 1 }, /^data\.f: a function is not a JSON value/],
    ['a symbol', { s: Symbol('s') }, /^data\.s: a symbol is not a JSON value/],
    ['a bigint', { n: 10n }, /^data\.n: a bigint is not a JSON value/],
    ['bytes (Uint8Array)', { blob: new Uint8Array([1]) }, /^data\.blob: bytes are not a JSON value/],
    ['bytes (Buffer)', { blob: Buffer.from('x') }, /^data\.blob: bytes are not a JSON value/],
    ['bytes (ArrayBuffer)', { blob: new ArrayBuffer(1) }, /^data\.blob: bytes are not a JSON value/],
    ['a class instance', { order: new Order() }, /^data\.order: an Order instance is not a JSON value/],
    ['NaN deep in an array', { a: [{ b: [0, Number.NaN] }] }, /^data\.a\[0\]\.b\[1\]: NaN is not a JSON value/],
    ['-Infinity under a key that is not an identifier', { 'a b': -Infinity }, /^data\["a b"\]: -Infinity is not a JSON value/],
    ['undefined in an array', { xs: [1, undefined] }, /^data\.xs\[1\]: undefined is not a JSON value in an array/],
    ['a sparse array (a hole reads as undefined)', { xs: Object.assign(new Array(3), { 0: 1, 2: 3 }) }, /^data\.xs\[1\]: undefined/],
  ];
  for (const [name, data, message] of cases) {
    it(`refuses ${name}, naming the path`, async () => {
      expect((await refusal(data)).message).toMatch(message);
    });
  }

  it('refuses data that is not a plain object, saying what it got', async () => {
    expect((await refusal(new Map())).message).toMatch(/^data must be a JSON object .*got a Map instance/);
    expect((await refusal([1])).message).toMatch(/got an array/);
    expect((await refusal(null)).message).toMatch(/got null/);
    expect((await refusal(new Date())).message).toMatch(/got a Date instance/);
  });

  it('leaves out an object member whose value is undefined, as JSON.stringify does', async () => {
    const { transport, requests } = fakeTransport();
    const client = createClient({ baseUrl, transport });
    await client.predict('fraud-score', { amount: 1, note: undefined });
    expect(JSON.parse(requests[0]?.body ?? '{}').data).toEqual({ amount: 1 });
  });

  it('accepts JSON values, objects without a prototype or from another realm, and 100 levels of nesting', async () => {
    const { transport, requests } = fakeTransport();
    const client = createClient({ baseUrl, transport, cache: false });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 });
    await client.predict('fraud-score', { s: 'é', n: -0.5, b: false, z: null, a: [[], {}], bare });
    await client.predict('fraud-score', nested(100));
    await client.predict('fraud-score', runInNewContext('({ fromAnotherRealm: [{ x: 1 }] })'));
    expect(requests).toHaveLength(3);
  });

  it('refuses 101 levels, and an input a million levels deep, as too deep (no RangeError)', async () => {
    expect((await refusal(nested(101))).message).toMatch(/deeper than maxJsonDepth \(100\)/);
    expect((await refusal(nested(1_000_000))).message).toMatch(/deeper than maxJsonDepth/);
  });

  it('refuses circular objects and arrays as too deep', async () => {
    const loop: Record<string, unknown> = { amount: 1 };
    loop.self = loop;
    expect((await refusal(loop)).message).toMatch(
      /^data\.self\.self.*: the input is nested deeper than maxJsonDepth \(100\) levels \(is it circular\?\)/,
    );
    const list: unknown[] = [];
    list.push(list);
    expect((await refusal({ list })).message).toMatch(/^data\.list\[0\]\[0\].*: the input is nested deeper than maxJsonDepth/);
  });

  it('follows the client maxJsonDepth', () => {
    expect(() => checkModelInput(nested(3), 2)).toThrow(/^data\.a\.a: the input is nested deeper than maxJsonDepth \(2\)/);
    expect(() => checkModelInput(nested(2), 2)).not.toThrow();
  });

  it('never quotes the value in the message (it may be personal data)', async () => {
    const error = await refusal({ card: { pan: new Date(0), holder: 'Jane Doe' }, extra: 'secret-4111' });
    expect(error.message).not.toContain('Jane');
    expect(error.message).not.toContain('1970');
  });
});

describe('options are checked before anything is sent', () => {
  const invalid = (build: () => unknown, message: RegExp) => {
    let thrown: unknown;
    try {
      build();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as InvalidInputError).code).toBe('INVALID_OPTIONS');
    expect((thrown as InvalidInputError).message).toMatch(message);
  };

  it('refuses wrong types instead of coercing them, with "<option> must be <rule>, got <value>"', () => {
    invalid(() => createClient({ baseUrl, timeoutMs: '500' as never }), /^timeoutMs must be a finite number > 0, got "500"$/);
    invalid(() => createClient({ baseUrl, deadlineMs: -5 }), /^deadlineMs must be a finite number > 0, got -5$/);
    invalid(() => createClient({ baseUrl, retry: { maxRetries: 1.5 } }), /^retry\.maxRetries must be an integer ≥ 0, got 1\.5$/);
    invalid(
      () => createClient({ baseUrl, breaker: { consecutiveFailures: 0 } }),
      /^breaker\.consecutiveFailures must be an integer > 0, got 0$/,
    );
    invalid(() => createClient({ baseUrl, maxInputBytes: 10.5 }), /^maxInputBytes must be an integer > 0, got 10\.5$/);
    invalid(() => createClient({ baseUrl: null as never }), /^baseUrl must be an absolute http or https URL.*, got null$/);
    invalid(() => createClient({ baseUrl: 'ftp://user:pw@host/v1' }), /got a ftp: URL$/);
  });

  it('refuses a request id that cannot travel in the X-Request-Id header, and sends one that can', async () => {
    const { transport, requests } = fakeTransport();
    const client = createClient({ baseUrl, transport });
    for (const requestId of ['日1', 'a b', 'a\tb', '', 'r'.repeat(129), 'line\nbreak']) {
      const error = await client.predict('fraud-score', { amount: 1 }, { requestId }).catch((e: unknown) => e);
      expect((error as InvalidInputError).code, JSON.stringify(requestId)).toBe('INVALID_OPTIONS');
    }
    expect(requests).toHaveLength(0);
    await client.predict('fraud-score', { amount: 1 }, { requestId: `!~${'a'.repeat(126)}` });
    expect(requests[0]?.headers['x-request-id']).toBe(`!~${'a'.repeat(126)}`);
  });

  it('checks waitForJob timeout and polling options', async () => {
    const client = createClient({ baseUrl, transport: fakeTransport().transport });
    await expect(client.waitForJob('fraud-score', 'j1', { timeoutMs: 0 })).rejects.toThrow(
      /^timeoutMs must be a finite number > 0, got 0$/,
    );
    await expect(client.waitForJob('fraud-score', 'j1', { pollInitialMs: Number.NaN })).rejects.toThrow(/pollInitialMs/);
  });
});

describe('messages that say what to fix', () => {
  it('a 404 to a base URL without /v1 mentions /v1; with /v1 it does not', async () => {
    const notFound = { status: 404, json: { status: 'error', code: 'NOT_FOUND', message: 'no route', request_id: 'r', trace_id: 't' } };
    const bare = createClient({
      baseUrl: 'http://gateway.test/api',
      transport: fakeTransport(notFound).transport,
      retry: { maxRetries: 0 },
    });
    const error = await bare.predict('fraud-score', { amount: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(
      /the base URL http:\/\/gateway\.test\/api does not end in \/v1.*http:\/\/gateway\.test\/api\/v1/,
    );
    const right = createClient({ baseUrl, transport: fakeTransport(notFound).transport, retry: { maxRetries: 0 } });
    const plain = await right.predict('fraud-score', { amount: 1 }).catch((e: unknown) => e);
    expect((plain as NotFoundError).message).not.toContain('/v1');
  });

  it('a Connection error names the URL without credentials or query, and keeps the cause', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED (http://svc:s3cret-pw@10.0.0.5:8080/v1)'), { code: 'ECONNREFUSED' });
    const client = createClient({
      baseUrl: 'http://svc:s3cret-pw@10.0.0.5:8080/v1',
      transport: fakeTransport({ fail: cause }).transport,
      retry: { maxRetries: 0 },
    });
    const error = (await client.predict('fraud-score', { amount: 1 }).catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('http://10.0.0.5:8080/v1/models/fraud-score/predict');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.cause).toBe(cause);
  });
});
