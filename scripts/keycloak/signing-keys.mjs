// Key pairs for clients that authenticate with a signed JWT (RFC 7523 private_key_jwt).
import { generateKeyPairSync, randomUUID } from 'node:crypto';

const KEY_SPECS = {
  RS256: ['rsa', { modulusLength: 2048 }],
  ES256: ['ec', { namedCurve: 'P-256' }],
};

/**
 * A fresh key pair for `alg` (RS256 or ES256): the public half as a JWK (with kid, use, alg) for Keycloak's
 * `jwks.string`, the private half as PKCS#8 PEM for the client.
 *
 * @example const { kid, publicJwk, privateKeyPem } = generateSigningKey('ES256');
 */
export function generateSigningKey(alg) {
  const spec = KEY_SPECS[alg];
  if (!spec) throw new Error(`unsupported signing alg ${alg}`);
  const { publicKey, privateKey } = generateKeyPairSync(...spec);
  const kid = `${alg.toLowerCase()}-${randomUUID()}`;
  return {
    kid,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg },
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
  };
}
