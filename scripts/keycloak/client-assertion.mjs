// RFC 7523 client assertion (private_key_jwt), built with node:crypto only.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';

const HASH_FOR_ALG = { RS256: 'sha256', ES256: 'sha256' };

const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Signs a client assertion: header {alg, kid, typ: JWT}, claims iss = sub = clientId, aud, iat, exp = iat + lifetime, random jti.
 * ES256 signatures are JOSE raw r||s (ieee-p1363), not DER.
 *
 * @example
 * const assertion = buildClientAssertion({ clientId: 'svc-jwt-es256', audience: issuer, alg: 'ES256', kid, privateKeyPem });
 * // form: client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=<assertion>
 */
export function buildClientAssertion({
  clientId,
  audience,
  alg,
  kid,
  privateKeyPem,
  nowSeconds = Math.floor(Date.now() / 1000),
  lifetimeSeconds = 60,
}) {
  const hash = HASH_FOR_ALG[alg];
  if (!hash) throw new Error(`unsupported signing alg ${alg}`);
  const header = base64url({ alg, kid, typ: 'JWT' });
  const claims = base64url({
    iss: clientId,
    sub: clientId,
    aud: audience,
    iat: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
    jti: randomUUID(),
  });
  const signingInput = `${header}.${claims}`;
  const key = createPrivateKey(privateKeyPem);
  const signature = sign(hash, Buffer.from(signingInput), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
