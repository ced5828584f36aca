/**
 * Issuer mode against a real Keycloak (scripts/keycloak/README.md, realm `modelwire`): the tokens
 * Keycloak issues are accepted or refused by `modelwire-mock --oidc-issuer` exactly as a gateway would.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

const descriptionPath = process.env.MODELWIRE_KEYCLOAK;
if (!descriptionPath) throw new Error('MODELWIRE_KEYCLOAK must name the Keycloak description JSON (run scripts/test-keycloak.sh)');
const kc = JSON.parse(readFileSync(descriptionPath, 'utf8')) as {
  issuer: string;
  token_url: string;
  audience: string;
  clients: Record<string, { client_id: string; client_secret?: string }>;
};
const TX = { amount: 12.5, country: 'FR', card_present: true };
const ROLES = { 'fraud-score': 'fraud-score' };

/** A token from Keycloak for `client` (client_secret_post), asking for `scope`. */
async function tokenFor(client: string, scope?: string): Promise<string> {
  const c = kc.clients[client];
  if (!c?.client_secret) throw new Error(`no secret client ${client} in the Keycloak description`);
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.client_id, client_secret: c.client_secret });
  if (scope) form.set('scope', scope);
  const res = await fetch(kc.token_url, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`Keycloak token request for ${client}: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const predict = (server: MockServer, token: string, model = 'fraud-score') =>
  fetch(`${server.apiUrl}/models/${model}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ request_id: 'kc-mock-1', data: TX }),
  });

describe('modelwire-mock --oidc-issuer against Keycloak', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ port: 0, issuer: { issuer: kc.issuer, audience: kc.audience, roles: ROLES } });
  });
  afterAll(() => server.close());

  it('accepts a Keycloak token with the scope and the model role', async () => {
    expect((await predict(server, await tokenFor('svc-post', 'models:predict'))).status).toBe(200);
  });

  it('refuses a token without the operation scope: 403 insufficient_scope', async () => {
    const res = await predict(server, await tokenFor('svc-post'));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/insufficient_scope.*models:predict/);
  });

  it('refuses a client without the model role: 403', async () => {
    const res = await predict(server, await tokenFor('svc-norole', 'models:predict'));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/lacks role fraud-score/);
  });

  it('refuses a tampered Keycloak token: 401 invalid_token', async () => {
    const [header, payload, signature] = (await tokenFor('svc-post', 'models:predict')).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: `${claims.scope} jobs:write` })).toString('base64url');
    const res = await predict(server, `${header}.${forged}.${signature}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('refuses a Keycloak token meant for another audience: 401', async () => {
    const strict = await startMockServer({ port: 0, issuer: { issuer: kc.issuer, audience: 'another-gateway' } });
    try {
      const res = await predict(strict, await tokenFor('svc-post', 'models:predict'));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(/audience another-gateway/);
    } finally {
      await strict.close();
    }
  });
});

it('the CLI (modelwire-mock --oidc-issuer --audience --roles) checks Keycloak tokens', async () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const roles = fileURLToPath(new URL('../../../test/keycloak/roles.json', import.meta.url));
  const child = spawn(process.execPath, [cli, '--port', '0', '--oidc-issuer', kc.issuer, '--audience', kc.audience, '--roles', roles], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const url = /listening on (\S+)/.exec(first)?.[1];
    expect(url).toBeDefined();
    const token = await tokenFor('svc-post', 'models:predict');
    const res = await fetch(`${url}/v1/models/fraud-score/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ request_id: 'kc-mock-cli-1', data: TX }),
    });
    expect(res.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
