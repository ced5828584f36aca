// Checks the real Keycloak set up by scripts/keycloak/keycloak.mjs: every client gets the token it is configured for.
// Run: node scripts/keycloak/keycloak.mjs run -- node --test test/keycloak/*.test.mjs
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { buildClientAssertion, CLIENT_ASSERTION_TYPE } from '../../scripts/keycloak/client-assertion.mjs';
import { generateSigningKey } from '../../scripts/keycloak/signing-keys.mjs';

let kc;

before(() => {
  // Fail, never skip: a missing Keycloak must not look like a passing suite.
  assert.ok(
    process.env.MODELWIRE_KEYCLOAK,
    'MODELWIRE_KEYCLOAK is not set; run via: node scripts/keycloak/keycloak.mjs run -- node --test test/keycloak/*.test.mjs',
  );
  kc = JSON.parse(readFileSync(process.env.MODELWIRE_KEYCLOAK, 'utf8'));
});

// application/x-www-form-urlencoded, as RFC 6749 §2.3.1 requires for the Basic credentials.
const formEncode = (value) => new URLSearchParams({ v: value }).toString().slice(2);

async function postToken(form, headers = {}) {
  const response = await fetch(kc.token_url, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }),
  });
  return { status: response.status, body: await response.json() };
}

function assertionFor(client, overrides = {}) {
  return buildClientAssertion({
    clientId: client.client_id,
    audience: kc.issuer,
    alg: client.alg,
    kid: client.kid,
    privateKeyPem: client.private_key_pem,
    ...overrides,
  });
}

/** Requests a token the way the client is configured to authenticate. */
function requestToken(name, { scope, secret, assertion } = {}) {
  const client = kc.clients[name];
  const form = scope ? { scope } : {};
  switch (client.auth) {
    case 'client_secret_post':
      return postToken({ ...form, client_id: client.client_id, client_secret: secret ?? client.client_secret });
    case 'client_secret_basic': {
      const credentials = Buffer.from(`${formEncode(client.client_id)}:${formEncode(secret ?? client.client_secret)}`).toString('base64');
      return postToken(form, { authorization: `Basic ${credentials}` });
    }
    case 'private_key_jwt':
      return postToken({
        ...form,
        client_id: client.client_id,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: assertion ?? assertionFor(client),
      });
    default:
      throw new Error(`unknown auth ${client.auth}`);
  }
}

const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const decodeJwt = (jwt) => {
  const [header, payload] = jwt.split('.');
  return { header: decodePart(header), claims: decodePart(payload) };
};
const audiences = (claims) => [claims.aud ?? []].flat();

describe('discovery', () => {
  test('the realm advertises the described issuer, token and JWKS URLs', async () => {
    const config = await (await fetch(`${kc.issuer}/.well-known/openid-configuration`)).json();
    assert.equal(config.issuer, kc.issuer);
    assert.equal(config.token_endpoint, kc.token_url);
    assert.equal(config.jwks_uri, kc.jwks_url);
  });
});

describe('client credentials per client', () => {
  for (const name of ['svc-post', 'svc-basic', 'svc-short', 'svc-norole', 'svc-jwt-rs256', 'svc-jwt-es256']) {
    test(`${name} gets a gateway token with its configured roles`, async () => {
      const client = kc.clients[name];
      const { status, body } = await requestToken(name);
      assert.equal(status, 200, JSON.stringify(body.error));
      assert.equal(body.token_type, 'Bearer');
      const { claims } = decodeJwt(body.access_token);
      assert.equal(claims.iss, kc.issuer);
      assert.equal(claims.azp, client.client_id);
      assert.ok(audiences(claims).includes(kc.audience), `aud ${JSON.stringify(claims.aud)} lacks ${kc.audience}`);
      const roles = claims.resource_access?.[kc.audience]?.roles ?? [];
      assert.deepEqual([...roles].sort(), [...client.roles].sort());
      // Keycloak stamps iat and exp from separate clock reads: on a busy machine they can straddle a second.
      const lifespan = claims.exp - claims.iat;
      const expected = client.access_token_lifespan ?? 300;
      assert.ok(lifespan === expected || lifespan === expected + 1, `exp - iat = ${lifespan}, expected ${expected}`);
      assert.equal(body.expires_in, client.access_token_lifespan ?? 300);
    });
  }

  test('svc-basic also authenticates with client_secret_post (same client-secret authenticator)', async () => {
    const client = kc.clients['svc-basic'];
    const { status } = await postToken({ client_id: client.client_id, client_secret: client.client_secret });
    assert.equal(status, 200);
  });
});

describe('scopes', () => {
  test('requested contract scopes appear in the scope claim, unrequested ones do not', async () => {
    const { status, body } = await requestToken('svc-post', { scope: 'models:predict jobs:write' });
    assert.equal(status, 200);
    const granted = decodeJwt(body.access_token).claims.scope.split(' ');
    assert.ok(granted.includes('models:predict') && granted.includes('jobs:write'), granted.join(' '));
    assert.ok(!granted.includes('models:read') && !granted.includes('feedback:write'), granted.join(' '));
    assert.deepEqual(body.scope.split(' ').sort(), [...granted].sort());
  });

  test('every contract scope can be requested', async () => {
    const { status, body } = await requestToken('svc-jwt-es256', { scope: kc.scopes.join(' ') });
    assert.equal(status, 200);
    const granted = decodeJwt(body.access_token).claims.scope.split(' ');
    for (const scope of kc.scopes) assert.ok(granted.includes(scope), `${scope} missing from ${granted.join(' ')}`);
  });

  test('an unknown scope is 400 invalid_scope', async () => {
    const { status, body } = await requestToken('svc-post', { scope: 'models:predict no-such-scope' });
    assert.equal(status, 400);
    assert.deepEqual(body, { error: 'invalid_scope', error_description: 'Invalid scopes: models:predict no-such-scope' });
  });
});

describe('client authentication failures', () => {
  for (const name of ['svc-post', 'svc-basic']) {
    test(`${name} with a wrong secret is 401 unauthorized_client`, async () => {
      const { status, body } = await requestToken(name, { secret: 'wrong-secret' });
      assert.equal(status, 401);
      assert.deepEqual(body, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    });
  }

  test('an unknown client is 401 invalid_client', async () => {
    const { status, body } = await postToken({ client_id: 'no-such-client', client_secret: 'x' });
    assert.equal(status, 401);
    assert.equal(body.error, 'invalid_client');
  });
});

// Keycloak 26.7 rejects a bad client assertion with 400 invalid_client (a bad client secret is 401 unauthorized_client).
describe('private_key_jwt client assertions', () => {
  const es = () => kc.clients['svc-jwt-es256'];
  const rejected = async (assertion, description) => {
    const { status, body } = await requestToken('svc-jwt-es256', { assertion });
    assert.deepEqual(
      { status, error: body.error, error_description: body.error_description },
      { status: 400, error: 'invalid_client', error_description: description },
    );
  };

  test('aud = token endpoint URL is accepted as well as aud = issuer', async () => {
    const { status, body } = await requestToken('svc-jwt-rs256', {
      assertion: assertionFor(kc.clients['svc-jwt-rs256'], { audience: kc.token_url }),
    });
    assert.equal(status, 200, body.error_description);
  });

  test('aud = another realm is rejected', async () => {
    await rejected(assertionFor(es(), { audience: `${kc.url}/realms/master` }), 'Invalid token audience');
  });

  test('more than one audience is rejected, even with the issuer among them', async () => {
    await rejected(assertionFor(es(), { audience: [kc.issuer, kc.token_url] }), 'Multiple audiences not allowed');
  });

  test('an expired assertion is rejected', async () => {
    await rejected(assertionFor(es(), { nowSeconds: Math.floor(Date.now() / 1000) - 600 }), 'Token is not active');
  });

  test('a replayed assertion (same jti) is rejected', async () => {
    const assertion = assertionFor(es());
    assert.equal((await requestToken('svc-jwt-es256', { assertion })).status, 200);
    await rejected(assertion, 'Token reuse detected');
  });

  test('an assertion signed by a key that is not registered is rejected', async () => {
    const { privateKeyPem } = generateSigningKey('ES256');
    await rejected(
      assertionFor(es(), { privateKeyPem }),
      'Client authentication with signed JWT failed: Signature on JWT token failed validation',
    );
  });

  test('an assertion whose alg differs from the registered one is rejected', async () => {
    const rs = kc.clients['svc-jwt-rs256'];
    await rejected(assertionFor(es(), { alg: 'RS256', kid: rs.kid, privateKeyPem: rs.private_key_pem }), 'Invalid signature algorithm');
  });

  test('an ES256 signature in DER instead of JOSE r||s is rejected', async () => {
    const [header, claims] = assertionFor(es()).split('.');
    const der = sign('sha256', Buffer.from(`${header}.${claims}`), createPrivateKey(es().private_key_pem));
    await rejected(
      `${header}.${claims}.${der.toString('base64url')}`,
      'Client authentication with signed JWT failed: Signature on JWT token failed validation',
    );
  });
});

describe('token signature', () => {
  test('an access token verifies against the realm JWKS', async () => {
    const { body } = await requestToken('svc-jwt-rs256');
    const [headerPart, payloadPart, signaturePart] = body.access_token.split('.');
    const { header } = decodeJwt(body.access_token);
    assert.equal(header.alg, 'RS256');
    const { keys } = await (await fetch(kc.jwks_url)).json();
    const jwk = keys.find((key) => key.kid === header.kid);
    assert.ok(jwk, `no JWKS key with kid ${header.kid}`);
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    const signingInput = Buffer.from(`${headerPart}.${payloadPart}`);
    assert.ok(verify('sha256', signingInput, publicKey, Buffer.from(signaturePart, 'base64url')));
    const tampered = Buffer.from(
      `${headerPart}.${Buffer.from(JSON.stringify({ ...decodeJwt(body.access_token).claims, sub: 'x' })).toString('base64url')}`,
    );
    assert.ok(!verify('sha256', tampered, publicKey, Buffer.from(signaturePart, 'base64url')));
  });
});
