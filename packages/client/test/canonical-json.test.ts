import { describe, expect, it } from 'vitest';
import { sha256HexPortable } from '../src/internal/sha256.js';
import { cacheKey, canonicalJson, InvalidInputError, scopeFor, sha256Hex } from '../src/public.js';

describe('canonicalJson (RFC 8785)', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ n: 1.0 }, '{"n":1}'],
    [{ n: -0 }, '{"n":0}'],
    [{ n: 1e21 }, '{"n":1e+21}'],
    [{ n: 1e-7 }, '{"n":1e-7}'],
    [{ n: 0.000001 }, '{"n":0.000001}'],
    // biome-ignore lint/correctness/noPrecisionLoss: the point is that numbers are doubles
    [{ n: 12345678901234567890 }, '{"n":12345678901234567000}'],
    [{ s: '\u2028\u0000é😀' }, '{"s":"\u2028\\u0000é😀"}'],
    [{ '€': 1, '😀': 2, a: 3, A: 4, '\u0080': 5 }, '{"A":4,"a":3,"\u0080":5,"€":1,"😀":2}'],
    [{ x: [null, {}, [], { z: null }] }, '{"x":[null,{},[],{"z":null}]}'],
  ])('canonicalises %j', (input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('orders keys by UTF-16 code units, not code points', () => {
    // U+FB01 sorts after the surrogate pair of U+1F600 in code points, before it in UTF-16 units.
    expect(canonicalJson({ '\ufb01': 1, '😀': 2 })).toBe('{"😀":2,"ﬁ":1}');
  });

  it('rejects NaN and Infinity with a typed error naming the field', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(InvalidInputError);
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(/data\.a: Infinity is not a JSON value/);
  });

  it('drops undefined members like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
});

describe('cache key', () => {
  it('is the SHA-256 of the canonical {data, model, scope, version}', () => {
    const parts = { model: 'fraud-score', version: null, scope: 'anonymous', data: { b: 2, a: 1 } };
    expect(cacheKey(parts)).toBe(sha256Hex('{"data":{"a":1,"b":2},"model":"fraud-score","scope":"anonymous","version":null}'));
  });

  it('differs across scopes and versions, not across key order', () => {
    const base = { model: 'm', version: null, scope: 's1', data: { a: 1, b: 2 } };
    expect(cacheKey({ ...base, data: { b: 2, a: 1 } })).toBe(cacheKey(base));
    expect(cacheKey({ ...base, scope: 's2' })).not.toBe(cacheKey(base));
    expect(cacheKey({ ...base, version: '2' })).not.toBe(cacheKey(base));
  });

  it('derives scopes without keeping tokens in clear', () => {
    const scope = scopeFor({ token: 'secret-token-123' });
    expect(scope).toBe(`token:${sha256Hex('token\nsecret-token-123')}`);
    expect(scope).not.toContain('secret-token-123');
    expect(scopeFor(undefined)).toBe('anonymous');
    expect(scopeFor({ oidc: { tokenUrl: 'http://idp/token', clientId: 'svc' } })).toBe(`oidc:${sha256Hex('oidc\nhttp://idp/token\nsvc')}`);
  });

  it('has a portable SHA-256 that matches node:crypto (browser path)', () => {
    for (const text of ['', 'abc', 'é😀'.repeat(100), 'x'.repeat(1000)]) {
      expect(sha256HexPortable(text)).toBe(sha256Hex(text));
    }
    expect(sha256HexPortable('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('canonicalJson fast path vs general writer', () => {
  it('orders integer-like keys as strings (which JSON.stringify cannot)', () => {
    expect(canonicalJson({ 9: 'a', 10: 'b', x: 1 })).toBe('{"10":"b","9":"a","x":1}');
  });

  it('applies toJSON like JSON.stringify, then canonicalises the result', () => {
    expect(canonicalJson({ when: new Date(0), o: { toJSON: () => ({ b: 1, a: 2 }) } })).toBe(
      '{"o":{"a":2,"b":1},"when":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('never mutates the input and reorders deep objects', () => {
    const input = { z: [{ b: 1, a: { d: 1, c: 2 } }], a: 1 };
    const before = JSON.stringify(input);
    expect(canonicalJson(input)).toBe('{"a":1,"z":[{"a":{"c":2,"d":1},"b":1}]}');
    expect(JSON.stringify(input)).toBe(before);
  });

  it('agrees with the general writer on random documents', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const gen = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return [rnd() * 1e6 - 5e5, 'é\u2028"', null, true, 1e21, 5e-324][Math.floor(rnd() * 6)];
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 4; i++) o[['b', 'a', 'Z', '€', 'aa', '😀'][Math.floor(rnd() * 6)] as string] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 200; i++) {
      const doc = gen(0);
      const manual = canonicalJson({ doc, forceManual: { toJSON: () => null } });
      expect(`{"doc":${canonicalJson(doc)},"forceManual":null}`).toBe(manual);
    }
  });
});
