// Unit tests of the Keycloak helper's pure parts (no Keycloak needed).
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildClientAssertion } from '../../scripts/keycloak/client-assertion.mjs';
import { javaMajorVersion } from '../../scripts/keycloak/java-home.mjs';
import { generateSigningKey } from '../../scripts/keycloak/signing-keys.mjs';

const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

for (const alg of ['RS256', 'ES256']) {
  test(`${alg} client assertion: RFC 7523 header and claims, signature verifies with the public JWK`, () => {
    const key = generateSigningKey(alg);
    const assertion = buildClientAssertion({
      clientId: 'svc',
      audience: 'http://idp/realms/r',
      alg,
      kid: key.kid,
      privateKeyPem: key.privateKeyPem,
      nowSeconds: 1000,
    });
    const [header, claims, signature] = assertion.split('.');
    assert.deepEqual(decode(header), { alg, kid: key.kid, typ: 'JWT' });
    const { jti, ...fixed } = decode(claims);
    assert.deepEqual(fixed, { iss: 'svc', sub: 'svc', aud: 'http://idp/realms/r', iat: 1000, exp: 1060 });
    assert.match(jti, /^[0-9a-f-]{36}$/);
    const signatureBytes = Buffer.from(signature, 'base64url');
    // JOSE ES256 is raw r||s: exactly 64 bytes, not DER.
    if (alg === 'ES256') assert.equal(signatureBytes.length, 64);
    const publicKey = createPublicKey({ key: key.publicJwk, format: 'jwk' });
    const options = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey;
    assert.ok(verify('sha256', Buffer.from(`${header}.${claims}`), options, signatureBytes));
    assert.equal(key.publicJwk.d, undefined, 'public JWK must not carry the private part');
  });
}

test('each assertion gets a fresh jti', () => {
  const key = generateSigningKey('ES256');
  const jti = () =>
    decode(
      buildClientAssertion({ clientId: 'svc', audience: 'a', alg: 'ES256', kid: key.kid, privateKeyPem: key.privateKeyPem }).split('.')[1],
    ).jti;
  assert.notEqual(jti(), jti());
});

test('javaMajorVersion reads the JDK release file, old "1.N" style included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jdk-'));
  try {
    assert.equal(javaMajorVersion(dir), undefined);
    writeFileSync(join(dir, 'release'), 'IMPLEMENTOR="x"\nJAVA_VERSION="25.0.3"\n');
    assert.equal(javaMajorVersion(dir), 25);
    writeFileSync(join(dir, 'release'), 'JAVA_VERSION="1.8.0_402"\n');
    assert.equal(javaMajorVersion(dir), 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
