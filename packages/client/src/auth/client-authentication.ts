import { importPKCS8, SignJWT } from 'jose';
import type { OidcOptions } from '../options.js';

/** The form fields and headers that authenticate the client in one token request. */
export interface ClientCredentials {
  form: Record<string, string>;
  headers: Record<string, string>;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Assertions live one minute: long enough for clock skew, short enough that a leaked one is soon useless. */
const ASSERTION_LIFETIME_S = 60;

/**
 * How the client proves who it is at the token endpoint, by `oidc.authMethod` (docs/semantics.md,
 * Auth): `client_secret_post` (id and secret in the form), `client_secret_basic` (each
 * form-urlencoded, then HTTP Basic; RFC 6749 §2.3.1) or `private_key_jwt` (a new signed RFC 7523
 * assertion per request: `iss = sub = clientId`, `aud` = `audience` or the token URL, 60 s `exp`,
 * random `jti`).
 *
 * @example const { form, headers } = await clientCredentials(oidc, clock.wallMs());
 */
export async function clientCredentials(oidc: OidcOptions, wallMs: number): Promise<ClientCredentials> {
  const method = oidc.authMethod ?? 'client_secret_post';
  if (method === 'client_secret_basic') {
    const basic = `${formEncode(oidc.clientId)}:${formEncode(oidc.clientSecret ?? '')}`;
    return { form: {}, headers: { authorization: `Basic ${base64(basic)}` } };
  }
  if (method === 'private_key_jwt') {
    return {
      form: { client_id: oidc.clientId, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(oidc, wallMs) },
      headers: {},
    };
  }
  return { form: { client_id: oidc.clientId, client_secret: oidc.clientSecret ?? '' }, headers: {} };
}

async function clientAssertion(oidc: OidcOptions, wallMs: number): Promise<string> {
  const algorithm = oidc.algorithm ?? algorithmOf(oidc.privateKeyPem ?? '');
  const key = await importPKCS8(oidc.privateKeyPem ?? '', algorithm);
  const iat = Math.floor(wallMs / 1000);
  return new SignJWT({})
    .setProtectedHeader(oidc.keyId === undefined ? { alg: algorithm, typ: 'JWT' } : { alg: algorithm, kid: oidc.keyId, typ: 'JWT' })
    .setIssuer(oidc.clientId)
    .setSubject(oidc.clientId)
    .setAudience(oidc.audience ?? oidc.tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_S)
    .setJti(crypto.randomUUID())
    .sign(key);
}

/** ES256 for an EC key, else RS256: read from the PKCS#8 AlgorithmIdentifier at the start of the DER. */
function algorithmOf(pem: string): 'RS256' | 'ES256' {
  const body = pem.replace(/-----[^-]+-----|\s/g, '');
  let der: string;
  try {
    der = atob(body.slice(0, 44)); // the first 33 bytes hold the version and the algorithm's OID
  } catch {
    return 'RS256';
  }
  // id-ecPublicKey, 1.2.840.10045.2.1, DER-encoded.
  return der.includes('\x06\x07\x2a\x86\x48\xce\x3d\x02\x01') ? 'ES256' : 'RS256';
}

/** `application/x-www-form-urlencoded` encoding of one value (space as `+`). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
