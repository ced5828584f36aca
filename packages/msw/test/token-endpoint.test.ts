import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthRegistry } from '../src/index.js';

const TOKEN_URL = 'http://127.0.0.1:4010/oauth/token';
const NOW = 1_800_000_000_000;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwks = {
  keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r1' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'e1' },
  ],
};

function registry() {
  const auth = new AuthRegistry(() => NOW);
  auth.configure({
    oidc_clients: [
      { client_id: 'post', client_secret: 's', auth_method: 'client_secret_post', scopes: ['models:predict'] },
      { client_id: 'svc:basic', client_secret: 'a/b:c+d e', auth_method: 'client_secret_basic' },
      { client_id: 'jwt', auth_method: 'private_key_jwt', jwks },
    ],
  });
  return auth;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function assertion(alg: 'RS256' | 'ES256', claims: Record<string, unknown> = {}) {
  const nowS = NOW / 1000;
  const header = b64({ alg, kid: alg === 'RS256' ? 'r1' : 'e1', typ: 'JWT' });
  const payload = b64({ iss: 'jwt', sub: 'jwt', aud: TOKEN_URL, iat: nowS, exp: nowS + 60, jti: randomUUID(), ...claims });
  const key = alg === 'RS256' ? rsa.privateKey : ec.privateKey;
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${header}.${payload}.${signature}`;
}
const jwtForm = (a: string) =>
  new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'jwt',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: a,
  });
const basic = (id: string, secret: string) => {
  const enc = (v: string) => new URLSearchParams({ v }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
};

describe('the mock token endpoint authenticates clients as Keycloak does', () => {
  it('client_secret_basic: form-urlencoded id and secret in HTTP Basic', () => {
    const auth = registry();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    expect(auth.issue(form, basic('svc:basic', 'a/b:c+d e'), TOKEN_URL).status).toBe(200);
    expect(auth.issue(form, `Basic ${Buffer.from('svc:basic:a/b:c+d e').toString('base64')}`, TOKEN_URL).body.error).toBe('invalid_client');
  });

  it('a client held to one method is refused another', () => {
    const auth = registry();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'svc:basic', client_secret: 'a/b:c+d e' });
    expect(auth.issue(form, null, TOKEN_URL)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('private_key_jwt: RS256 and ES256 assertions; a replayed jti, a wrong aud or a long exp are refused', () => {
    const auth = registry();
    expect(auth.issue(jwtForm(assertion('RS256')), null, TOKEN_URL).status).toBe(200);
    expect(auth.issue(jwtForm(assertion('ES256')), null, TOKEN_URL).status).toBe(200);
    const once = assertion('ES256');
    expect(auth.issue(jwtForm(once), null, TOKEN_URL).status).toBe(200);
    expect(auth.issue(jwtForm(once), null, TOKEN_URL).body.error_description).toMatch(/jti/);
    expect(auth.issue(jwtForm(assertion('RS256', { aud: 'http://elsewhere/token' })), null, TOKEN_URL).body.error_description).toMatch(
      /aud/,
    );
    expect(auth.issue(jwtForm(assertion('RS256', { exp: NOW / 1000 + 3600 })), null, TOKEN_URL).body.error_description).toMatch(/too long/);
    expect(auth.issue(jwtForm(`${assertion('RS256').slice(0, -4)}AAAA`), null, TOKEN_URL).body.error_description).toMatch(/signature/);
  });

  it('a scope the client may not have is 400 invalid_scope', () => {
    const auth = registry();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'post',
      client_secret: 's',
      scope: 'models:predict models:admin',
    });
    expect(auth.issue(form, null, TOKEN_URL)).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });
});
