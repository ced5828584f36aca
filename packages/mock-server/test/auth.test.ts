import { createMockState } from '@modelwire/msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

let now = 1_800_000_000_000;
let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  h = await harness({ state: createMockState({ now: () => now }) });
});
afterAll(() => h.server.close());
beforeEach(async () => {
  await h.admin('reset', {});
  await h.admin('scenario', {
    auth: {
      tokens: ['t-alice', { token: 't-reader', scopes: ['models:read'] }],
      oidc_clients: [{ client_id: 'svc', client_secret: 's3cret', token_ttl_s: 60 }],
    },
  });
});

const token = (body: Record<string, string>) => fetch(`${h.server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(body) });

describe('auth', () => {
  it('requires a bearer token on non-health routes', async () => {
    expect((await fetch(`${h.server.apiUrl}/health/ready`)).status).toBe(200);
    const res = await fetch(`${h.server.apiUrl}/models`, { headers: { 'x-request-id': 'a1' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ status: 'error', code: 'UNAUTHENTICATED', request_id: 'a1' });
    expect((await fetch(`${h.server.apiUrl}/models`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${h.server.apiUrl}/models`, { headers: { authorization: 'Bearer t-alice' } })).status).toBe(200);
  });

  it('answers 403 when a token lacks the scope', async () => {
    const ok = await fetch(`${h.server.apiUrl}/models`, { headers: { authorization: 'Bearer t-reader' } });
    expect(ok.status).toBe(200);
    const denied = await h.predict('fraud-score', { amount: 1 }, { authorization: 'Bearer t-reader' });
    expect(denied.status).toBe(403);
    expect((await denied.json()).code).toBe('FORBIDDEN');
  });

  it('issues OIDC client-credentials tokens that are accepted until they expire', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 's3cret' });
    expect(res.status).toBe(200);
    const issued = await res.json();
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    expect(issued.access_token).toMatch(/^mwt_[0-9a-f]{32}$/);
    const auth = { authorization: `Bearer ${issued.access_token}` };
    expect((await h.predict('fraud-score', { amount: 1 }, auth)).status).toBe(200);
    now += 61_000;
    expect((await h.predict('fraud-score', { amount: 1 }, auth)).status).toBe(401);
  });

  it('rejects a wrong client secret and other grants', async () => {
    const bad = await token({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 'nope' });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toBe('invalid_client');
    const grant = await token({ grant_type: 'password', client_id: 'svc', client_secret: 's3cret' });
    expect(grant.status).toBe(400);
    const basic = await fetch(`${h.server.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('svc:s3cret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(basic.status).toBe(200);
  });

  it('accepts any token, or none, once auth is cleared', async () => {
    await h.admin('scenario', { auth: null });
    expect((await fetch(`${h.server.apiUrl}/models`)).status).toBe(200);
    expect((await fetch(`${h.server.apiUrl}/models`, { headers: { authorization: 'Bearer whatever' } })).status).toBe(200);
  });
});
