// Runs every shared vector in test/vectors/ against the TypeScript client's exports, and cross-checks
// the vectors themselves against independent implementations (npm `canonicalize`, node:crypto), so a
// wrong vector and a wrong client are told apart.
import { createHash, createHmac } from 'node:crypto';
import { cacheKey, canonicalJson, parseRetryAfter, scopeFor, verifyWebhook } from '@modelwire/client';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { ModelwireError } from '../../../packages/client/src/errors/modelwire-error.js';
import { DEFAULT_POLICY } from '../../../packages/client/src/generated/policy.js';
import { breakerVerdict, fallbackReason, isRetryable } from '../../../packages/client/src/policies/failure.js';
import { localOutcome, parsedOutcome } from '../src/failure-outcomes.js';
import {
  type CacheKeyVectors,
  type CanonicalJsonVectors,
  type FailureVectors,
  loadVectors,
  type RetryAfterVectors,
  specialValue,
  type WebhookVectors,
} from '../src/vectors.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('canonical-json.json', () => {
  const v = loadVectors<CanonicalJsonVectors>('canonical-json.json');
  it('has the hard cases', () => {
    expect(v.cases.length).toBeGreaterThanOrEqual(40);
    expect(v.rejected.length).toBeGreaterThanOrEqual(3);
  });
  for (const c of v.cases) {
    it(`vector is self-consistent and matches npm canonicalize: ${c.name}`, () => {
      expect(canonicalize(JSON.parse(c.input_json))).toBe(c.canonical);
      expect(sha256(c.canonical)).toBe(c.sha256);
    });
    it(`canonicalJson: ${c.name}`, () => {
      expect(canonicalJson(JSON.parse(c.input_json))).toBe(c.canonical);
    });
  }
  for (const c of v.rejected) {
    it(`rejects ${c.name}`, () => {
      const value = specialValue(c);
      expect(() => canonicalize(value)).toThrow();
      let thrown: unknown;
      try {
        canonicalJson(value);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'canonicalJson must throw').toBeInstanceOf(Error);
      expect((thrown as { kind?: string }).kind).toBe(c.error_kind);
      expect((thrown as { code?: string }).code).toBe(c.error_code);
    });
  }
});

describe('cache-keys.json', () => {
  const v = loadVectors<CacheKeyVectors>('cache-keys.json');
  for (const c of v.cases) {
    it(`vector is self-consistent: ${c.name}`, () => {
      const parts = { model: c.model, version: c.version, scope: c.scope, data: JSON.parse(c.data_json) };
      expect(canonicalize(parts)).toBe(c.canonical);
      expect(sha256(c.canonical)).toBe(c.key);
    });
    it(`cacheKey: ${c.name}`, () => {
      expect(cacheKey({ model: c.model, version: c.version, scope: c.scope, data: JSON.parse(c.data_json) })).toBe(c.key);
      // `data` is the same value stored as JSON (lexical forms like 1.0 may differ): same key.
      expect(cacheKey({ model: c.model, version: c.version, scope: c.scope, data: c.data })).toBe(c.key);
    });
  }
  it('key order and 1.0 vs 1 do not change the key; version, scope and model do', () => {
    const byName = new Map(v.cases.map((c) => [c.name, c.key]));
    expect(byName.get('key order of data does not matter')).toBe(byName.get('unpinned, static token'));
    expect(byName.get('1.0 and 1 give the same key (a)')).toBe(byName.get('1.0 and 1 give the same key (b)'));
    expect(byName.get('pinned version changes the key')).not.toBe(byName.get('unpinned, static token'));
    expect(byName.get('another credential changes the key')).not.toBe(byName.get('unpinned, static token'));
  });
  for (const s of v.scopes) {
    it(`scope: ${s.name}`, () => {
      if (s.cache_scope !== undefined) {
        // An explicit cacheScope is used as is (checked end to end by the cache scenarios).
        expect(s.scope).toBe(s.cache_scope);
        return;
      }
      const auth = s.auth;
      let source: Parameters<typeof scopeFor>[0];
      let independent: string;
      if (auth === null) {
        source = undefined;
        independent = 'anonymous';
      } else if ('oidc' in auth) {
        source = { oidc: { tokenUrl: auth.oidc.token_url, clientId: auth.oidc.client_id } };
        independent = `oidc:${sha256(`oidc\n${auth.oidc.token_url}\n${auth.oidc.client_id}`)}`;
      } else {
        const token = 'token' in auth ? auth.token : auth.token_provider_returns;
        source = { token };
        independent = `token:${sha256(`token\n${token}`)}`;
      }
      expect(independent).toBe(s.scope);
      expect(scopeFor(source)).toBe(s.scope);
    });
  }
});

describe('webhooks.json', () => {
  const v = loadVectors<WebhookVectors>('webhooks.json');
  for (const c of v.cases) {
    it(`${c.valid ? 'accepts' : 'rejects'}: ${c.name}`, () => {
      const headers: Record<string, string> = c.header === null ? {} : { [v.header_name]: c.header };
      const run = () => verifyWebhook(c.raw_body, headers, c.secret, { now: c.now, toleranceSeconds: c.tolerance_seconds });
      if (c.valid) {
        // Independent check of the vector: some v1 entry is the HMAC of "<t>.<body>".
        const t = /(?:^|,)\s*t=(\d+)/.exec(c.header ?? '')?.[1];
        const mac = createHmac('sha256', c.secret).update(`${t}.${c.raw_body}`, 'utf8').digest('hex');
        expect(c.header).toContain(`v1=${mac}`);
        expect(run()).toEqual(JSON.parse(c.raw_body));
      } else {
        let thrown: unknown;
        try {
          run();
        } catch (e) {
          thrown = e;
        }
        expect(thrown, 'verifyWebhook must throw').toBeInstanceOf(Error);
        expect((thrown as { reason?: string }).reason).toBe(c.reason);
      }
    });
  }
});

describe('retry-after.json', () => {
  const v = loadVectors<RetryAfterVectors>('retry-after.json');
  for (const c of v.cases) {
    it(`parseRetryAfter: ${c.name}`, () => {
      const got = parseRetryAfter(c.header, c.now_ms);
      if ('ignored' in c.expected) {
        expect(got).toBeUndefined();
        return;
      }
      expect(got).toBe(c.expected.delay_ms);
      // give_up is the caller's decision: the parsed wait is above the cap.
      expect((got as number) > c.cap_ms).toBe(c.expected.give_up === true);
    });
  }
});

describe('failures.json', () => {
  const v = loadVectors<FailureVectors>('failures.json');
  const retryOnStatus = new Set(v.retry_on_status);
  it('the depth cases assume the contract default max_json_depth', () => {
    expect(v.max_json_depth).toBe(DEFAULT_POLICY.maxJsonDepth);
  });
  for (const c of v.cases) {
    it(`failure table: ${c.name}`, async () => {
      const outcome = 'response' in c ? parsedOutcome(c.response) : await localOutcome(c.local);
      const e = c.expected;
      const error = 'error' in outcome && outcome.error instanceof ModelwireError ? outcome.error : undefined;
      if (e.kind === null) expect('answer' in outcome, 'a success is a parsed answer, not an error').toBe(true);
      else expect(error, `expected a ${e.kind} error, got ${'error' in outcome ? String(outcome.error) : 'an answer'}`).toBeDefined();
      expect(error?.kind ?? null).toBe(e.kind);
      expect(error?.code ?? null).toBe(e.code);
      expect(isRetryable(error, retryOnStatus)).toBe(e.retryable);
      expect(breakerVerdict(outcome)).toBe(e.breaker);
      expect(fallbackReason(error) ?? null).toBe(e.fallback);
      if (e.retry_after_ms !== undefined) expect(error?.retryAfterMs).toBe(e.retry_after_ms);
      for (const fieldError of e.field_errors ?? []) expect(error?.errors).toContainEqual(fieldError);
    });
  }
});
