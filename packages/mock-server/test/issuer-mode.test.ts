/**
 * Issuer mode (`modelwire-mock --oidc-issuer --audience --roles`): bearer tokens are checked against
 * a real issuer's JWKS (here a tiny local issuer, test/fake-issuer.ts; the same checks run against a
 * real Keycloak in test-keycloak/), then the contract's per-operation scope and the per-model role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../src/cli-args.js';
import { startMockServer } from '../src/index.js';
import { parseRolesFile } from '../src/roles-file.js';
import { type FakeIssuer, startFakeIssuer } from './fake-issuer.js';
import { harness } from './helpers.js';

const TX = { amount: 12.5, country: 'FR', card_present: true };
const ALL = { scope: 'profile models:predict models:read', resource_access: { 'modelwire-gateway': { roles: ['fraud-score'] } } };

let idp: FakeIssuer;
let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  idp = await startFakeIssuer();
  h = await harness({ issuer: { issuer: idp.issuer, audience: idp.audience, roles: { 'fraud-score': 'fraud-score' } } });
});
afterAll(async () => {
  await h.server.close();
  await idp.close();
});

const predictWith = (token: string | null, model = 'fraud-score') =>
  h.predict(model, TX, token === null ? {} : { authorization: `Bearer ${token}` });

async function refusal(res: Response) {
  const body = (await res.json()) as { code: string; message: string };
  return { status: res.status, code: body.code, message: body.message, challenge: res.headers.get('www-authenticate') };
}

describe('issuer mode accepts', () => {
  it('an RS256 token with the scope and the role', async () => {
    expect((await predictWith(await idp.sign({ claims: ALL }))).status).toBe(200);
  });

  it('an ES256 token, and the scope in `scp` as an array', async () => {
    const claims = { scp: ['models:predict'], resource_access: ALL.resource_access };
    expect((await predictWith(await idp.sign({ alg: 'ES256', claims }))).status).toBe(200);
  });

  it('a model that needs no role, with a token that has none', async () => {
    expect((await predictWith(await idp.sign({ claims: { scope: 'models:predict' } }), 'sentiment')).status).not.toBe(403);
  });
});

describe('issuer mode refuses, with RFC 6750 challenges and never the token in the message', () => {
  const cases: Array<[string, () => Promise<string | null>, number, RegExp]> = [
    ['no token', async () => null, 401, /bearer token missing/],
    ['an expired token', () => idp.sign({ claims: ALL, iatS: Math.floor(Date.now() / 1000) - 600 }), 401, /expired/],
    ['another issuer', () => idp.sign({ claims: { ...ALL, iss: 'http://127.0.0.1:1/realms/other' } }), 401, /not issued by/],
    ['another audience', () => idp.sign({ claims: { ...ALL, aud: 'someone-else' } }), 401, /audience modelwire-gateway/],
    ['a forged signature', () => idp.sign({ claims: ALL, forged: true }), 401, /signature does not verify/],
    ['an unknown key id', () => idp.sign({ claims: ALL, kid: 'rotated-away' }), 401, /key the issuer does not publish/],
    ['not a JWT', async () => 'not-a-jwt', 401, /not a signed JWT/],
    [
      'a token without the operation scope',
      () => idp.sign({ claims: { resource_access: ALL.resource_access } }),
      403,
      /lacks scope models:predict/,
    ],
    ['a token without the model role', () => idp.sign({ claims: { scope: 'models:predict' } }), 403, /lacks role fraud-score/],
  ];
  for (const [name, token, status, message] of cases) {
    it(name, async () => {
      const sent = await token();
      const got = await refusal(await predictWith(sent));
      expect(got.status).toBe(status);
      expect(got.code).toBe(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      expect(got.message).toMatch(message);
      if (sent) expect(got.message).not.toContain(sent);
      if (status === 401 && sent) expect(got.challenge).toMatch(/^Bearer error="invalid_token"/);
      if (status === 401 && !sent) expect(got.challenge).toBe('Bearer');
      if (status === 403) expect(got.challenge).toMatch(/^Bearer error="insufficient_scope"/);
    });
  }

  it('model info needs models:read, not models:predict', async () => {
    const token = await idp.sign({ claims: { scope: 'models:predict', resource_access: ALL.resource_access } });
    const res = await fetch(`${h.server.apiUrl}/models/fraud-score/info`, { headers: { authorization: `Bearer ${token}` } });
    expect((await refusal(res)).message).toMatch(/lacks scope models:read/);
  });
});

it('answers 503 (retryable), not 401, while the issuer keys cannot be fetched', async () => {
  const fresh = await startFakeIssuer();
  const server = await startMockServer({ port: 0, issuer: { issuer: fresh.issuer, audience: fresh.audience } });
  try {
    fresh.jwksStatus = 500;
    const token = await fresh.sign({ claims: ALL });
    const res = await fetch(`${server.apiUrl}/models/fraud-score/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ request_id: 'r-1', data: TX }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toMatch(/cannot fetch the issuer's keys/);
    fresh.jwksStatus = 200;
  } finally {
    await server.close();
    await fresh.close();
  }
});

it('refuses to start when the discovery document names another issuer', async () => {
  const fresh = await startFakeIssuer();
  try {
    await expect(startMockServer({ port: 0, issuer: { issuer: `${fresh.issuer}/` } })).rejects.toThrow(
      /pass that exact value as --oidc-issuer/,
    );
  } finally {
    await fresh.close();
  }
});

describe('command line', () => {
  it('parses --oidc-issuer, --audience and --roles', () => {
    expect(
      parseCliArgs(['--port=0', '--oidc-issuer', 'http://127.0.0.1:8080/realms/m', '--audience', 'gw', '--roles', 'r.json'], {}),
    ).toEqual({
      port: 0,
      issuer: { issuer: 'http://127.0.0.1:8080/realms/m', audience: 'gw', rolesFile: 'r.json' },
    });
  });

  it('refuses --roles without --oidc-issuer, and an issuer that is not a URL', () => {
    expect(() => parseCliArgs(['--roles', 'r.json'], {})).toThrow(UsageError);
    expect(() => parseCliArgs(['--oidc-issuer', 'keycloak'], {})).toThrow(/must be an http\(s\) URL/);
  });

  it('reads a roles file and says what is wrong with a bad one', () => {
    expect(parseRolesFile('{"fraud-score": "scorer"}', 'r.json')).toEqual({ 'fraud-score': 'scorer' });
    expect(() => parseRolesFile('[1]', 'r.json')).toThrow(/must be a JSON object/);
    expect(() => parseRolesFile('{"fraud-score": 3}', 'r.json')).toThrow(/must be a non-empty string/);
  });
});
