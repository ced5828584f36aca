import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientCredentials } from '../src/auth/client-authentication.js';
import { FailurePause } from '../src/auth/failure-pause.js';
import { oidcTokenSource } from '../src/auth/oidc-token-source.js';
import { AuthError } from '../src/errors/error-classes.js';
import { createClient } from '../src/index.js';
import type { OidcOptions } from '../src/options.js';
import { ManualClock } from '../src/testing-clock.js';
import type { HttpRequest, HttpResponse, Transport } from '../src/transport/transport.js';

const TOKEN_URL = 'https://sso.example.com/realms/ml/protocol/openid-connect/token';
const OIDC: OidcOptions = { tokenUrl: TOKEN_URL, clientId: 'svc', clientSecret: 'top-s3cret' };

/** A token endpoint that answers from a script; every request is recorded. */
function idp(answers: Array<HttpResponse | Error>) {
  const requests: HttpRequest[] = [];
  let n = 0;
  const transport: Transport = async (request) => {
    requests.push(request);
    const answer = answers[Math.min(n++, answers.length - 1)] as HttpResponse | Error;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { transport, requests };
}
const token = (value: string, expiresIn: number): HttpResponse => ({
  status: 200,
  headers: {},
  body: JSON.stringify({ access_token: value, token_type: 'Bearer', expires_in: expiresIn }),
});
const refusal = (status: number, error: string, description: string): HttpResponse => ({
  status,
  headers: {},
  body: JSON.stringify({ error, error_description: description }),
});

function source(answers: Array<HttpResponse | Error>, oidc: OidcOptions = OIDC, jitter: 'full' | 'none' = 'none') {
  const clock = new ManualClock();
  const server = idp(answers);
  const pause = new FailurePause(1_000, 30_000, jitter, () => 0);
  const tokens = oidcTokenSource(oidc, { transport: server.transport, clock, skewMs: 30_000, timeoutMs: 10_000, pause });
  return { clock, tokens, requests: server.requests };
}

describe('OIDC token source: refresh', () => {
  it('refreshes a short-lived token after half its life, not on every call', async () => {
    const { clock, tokens, requests } = source([token('t1', 10), token('t2', 10)]);
    expect(await tokens.token(false)).toBe('t1');
    clock.advance(4_999);
    expect(await tokens.token(false)).toBe('t1');
    expect(requests).toHaveLength(1);
    clock.advance(2);
    expect(await tokens.token(false)).toBe('t2');
    expect(requests).toHaveLength(2);
  });

  it('a long-lived token is refreshed token_refresh_skew_ms before it expires', async () => {
    const { clock, tokens, requests } = source([token('t1', 300), token('t2', 300)]);
    await tokens.token(false);
    clock.advance(269_999);
    expect(await tokens.token(false)).toBe('t1');
    clock.advance(2);
    expect(await tokens.token(false)).toBe('t2');
    expect(requests).toHaveLength(2);
  });

  it('a failed refresh keeps the still-valid token; past its expiry the failure is the caller’s', async () => {
    const { clock, tokens, requests } = source([token('t1', 10), refusal(503, 'temporarily_unavailable', 'maintenance')]);
    await tokens.token(false);
    clock.advance(6_000);
    expect(await tokens.token(false)).toBe('t1');
    expect(await tokens.token(false)).toBe('t1'); // paused: no request
    expect(requests).toHaveLength(2);
    clock.advance(4_001);
    const error = (await tokens.token(false).catch((e: unknown) => e)) as AuthError;
    expect(error).toMatchObject({
      code: 'TOKEN_UNAVAILABLE',
      idpStatus: 503,
      oauthError: 'temporarily_unavailable',
      httpStatus: undefined,
    });
    expect(requests).toHaveLength(3);
  });

  it('after a gateway 401 the held token is never sent again', async () => {
    const { tokens, requests } = source([token('t1', 300), refusal(503, 'temporarily_unavailable', 'x')]);
    await tokens.token(false);
    await expect(tokens.token(true)).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE', idpStatus: 503 });
    expect(requests).toHaveLength(2);
  });

  it('concurrent callers share one token request', async () => {
    const { tokens, requests } = source([token('t1', 300)]);
    const all = await Promise.all([tokens.token(false), tokens.token(false), tokens.token(false)]);
    expect(all).toEqual(['t1', 't1', 't1']);
    expect(requests).toHaveLength(1);
  });
});

describe('OIDC token source: failures', () => {
  it('pauses 1 s, 2 s, 4 s … up to 30 s after consecutive failures, shared by callers, reset by a success', async () => {
    const bad = refusal(401, 'invalid_client', 'Invalid client or Invalid client credentials');
    const { clock, tokens, requests } = source([bad, bad, bad, token('t1', 300), bad]);
    await expect(tokens.token(false)).rejects.toMatchObject({ idpStatus: 401 });
    const paused = (await tokens.token(false).catch((e: unknown) => e)) as AuthError;
    expect(paused.message).toMatch(/paused for another 1000 ms after 1 failure\)$/);
    expect(paused).toMatchObject({ code: 'TOKEN_UNAVAILABLE', oauthError: 'invalid_client', idpStatus: 401 });
    clock.advance(1_000);
    await expect(tokens.token(false)).rejects.toMatchObject({ idpStatus: 401 });
    clock.advance(1_999);
    await expect(tokens.token(false)).rejects.toThrow(/paused for another 1 ms after 2 failures/);
    clock.advance(1);
    await expect(tokens.token(false)).rejects.toMatchObject({ idpStatus: 401 });
    expect(requests).toHaveLength(3);
    clock.advance(4_000);
    expect(await tokens.token(true)).toBe('t1');
    await expect(tokens.token(true)).rejects.toMatchObject({ idpStatus: 401 });
    await expect(tokens.token(true)).rejects.toThrow(/paused for another 1000 ms after 1 failure/);
  });

  it('the pause grows to its maximum and is jittered within its upper half', () => {
    const steady = new FailurePause(1_000, 30_000, 'none', () => 0.5);
    expect([1, 2, 3, 4, 5, 6, 7].map(() => steady.failed(0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(new FailurePause(1_000, 30_000, 'full', () => 0).failed(0)).toBe(500);
    expect(new FailurePause(1_000, 30_000, 'full', () => 0.999).failed(0)).toBeCloseTo(999.5);
  });

  it('one error for every IdP failure: one line, the fix, never the secret', async () => {
    const leaky = refusal(401, 'invalid_client', 'client svc\nsecret top-s3cret is wrong');
    const error = (await source([leaky])
      .tokens.token(false)
      .catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(
      `the token endpoint ${TOKEN_URL} refused the token request: HTTP 401 invalid_client (client svc secret [REDACTED] is wrong): check the client id and its secret or key`,
    );
    expect(error.oauthErrorDescription).not.toContain('top-s3cret');
    const scope = (await source([refusal(400, 'invalid_scope', 'Invalid scopes: x')])
      .tokens.token(false)
      .catch((e: unknown) => e)) as AuthError;
    expect(scope.message).toMatch(/: check the requested scope$/);
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const unreachable = (await source([down], { ...OIDC, tokenUrl: 'https://u:p@sso.example.com/token?k=v' })
      .tokens.token(false)
      .catch((e: unknown) => e)) as AuthError;
    expect(unreachable).toMatchObject({ code: 'TOKEN_UNAVAILABLE', idpStatus: undefined, httpStatus: undefined });
    expect(unreachable.message).toBe(
      'could not reach the token endpoint https://sso.example.com/token: connect ECONNREFUSED 10.0.0.1:443 ECONNREFUSED',
    );
    const empty = (await source([{ status: 200, headers: {}, body: '{}' }])
      .tokens.token(false)
      .catch((e: unknown) => e)) as AuthError;
    expect(empty.message).toMatch(/answered HTTP 200 without an access_token$/);
  });
});

describe('client authentication methods', () => {
  const decodeForm = (body: string) => Object.fromEntries(new URLSearchParams(body));

  it('client_secret_post puts id and secret in the form; client_secret_basic form-encodes them into HTTP Basic', async () => {
    const post = await clientCredentials(OIDC, 0);
    expect(post).toEqual({ form: { client_id: 'svc', client_secret: 'top-s3cret' }, headers: {} });
    const basic = await clientCredentials({ ...OIDC, clientId: 'svc:a', clientSecret: 'a/b:c+d e', authMethod: 'client_secret_basic' }, 0);
    expect(basic.form).toEqual({});
    expect(atob(basic.headers.authorization?.slice(6) ?? '')).toBe('svc%3Aa:a%2Fb%3Ac%2Bd+e');
    const { requests, tokens } = source([token('t', 300)], { ...OIDC, authMethod: 'client_secret_basic' });
    await tokens.token(false);
    expect(decodeForm(requests[0]?.body ?? '')).toEqual({ grant_type: 'client_credentials' });
  });

  for (const [alg, keys] of [
    ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const) {
    it(`private_key_jwt ${alg}: a fresh signed assertion per request, with the algorithm read from the key`, async () => {
      const pem = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const oidc: OidcOptions = { tokenUrl: TOKEN_URL, clientId: 'svc', authMethod: 'private_key_jwt', privateKeyPem: pem, keyId: 'k1' };
      const wallS = 1_800_000_000;
      const first = await clientCredentials(oidc, wallS * 1000);
      const second = await clientCredentials(oidc, wallS * 1000);
      expect(first.form).toMatchObject({
        client_id: 'svc',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      });
      const [h, p, s] = (first.form.client_assertion ?? '').split('.') as [string, string, string];
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      expect(header).toEqual({ alg, kid: 'k1', typ: 'JWT' });
      expect(claims).toMatchObject({ iss: 'svc', sub: 'svc', aud: TOKEN_URL, iat: wallS, exp: wallS + 60 });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(Buffer.from((second.form.client_assertion ?? '').split('.')[1] ?? '', 'base64url').toString()).jti).not.toBe(
        claims.jti,
      );
      const signature = Buffer.from(s, 'base64url');
      if (alg === 'ES256') expect(signature).toHaveLength(64);
      const key = createPublicKey(keys.publicKey.export({ format: 'pem', type: 'spki' }));
      expect(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    });
  }

  it('refuses incomplete OIDC options before anything is sent', () => {
    const base = 'http://127.0.0.1:9/v1';
    expect(() => createClient({ baseUrl: base, auth: { oidc: { tokenUrl: TOKEN_URL, clientId: 'svc' } } })).toThrow(
      /clientSecret is required/,
    );
    expect(() =>
      createClient({
        baseUrl: base,
        auth: { oidc: { tokenUrl: TOKEN_URL, clientId: 'svc', authMethod: 'private_key_jwt', privateKeyPem: 'nope' } },
      }),
    ).toThrow(/PKCS#8 PEM/);
  });
});
