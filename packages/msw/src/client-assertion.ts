import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';

/** Longest client assertion lifetime accepted (`exp − now`); a short one limits a leaked assertion's use. */
const MAX_ASSERTION_LIFETIME_S = 300;

/** What {@link checkClientAssertion} needs to know about the client and the request. */
export interface AssertionCheck {
  clientId: string;
  /** The client's public keys (RS256 or ES256). */
  jwks: { keys: JsonWebKey[] };
  /** Audiences accepted: the token endpoint's URL and the issuer (origin). */
  audiences: string[];
  /** Seconds since the epoch. */
  nowS: number;
  /** `jti`s already used by this client; a replayed one is refused and a new one recorded. */
  seenJtis: Set<string>;
}

/**
 * Verifies an RFC 7523 client assertion (`private_key_jwt`): signature by one of the client's keys
 * (RS256 or ES256, the `kid` picking the key when present), `iss = sub = client_id`, an accepted
 * `aud`, an `exp` in the next five minutes and a `jti` not seen before. Returns why it is refused,
 * or `undefined` when it is good.
 *
 * @example checkClientAssertion(form.get('client_assertion') ?? '', { clientId: 'svc', jwks, audiences, nowS, seenJtis })
 */
export function checkClientAssertion(assertion: string, check: AssertionCheck): string | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'client_assertion is not a compact JWS';
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!header || !claims) return 'client_assertion is not a JWS with JSON header and claims';
  const alg = header.alg;
  if (alg !== 'RS256' && alg !== 'ES256') return `client_assertion alg ${String(alg)} is not RS256 or ES256`;
  const candidates = check.jwks.keys.filter(
    (k) => (header.kid === undefined || k.kid === header.kid) && k.kty === (alg === 'RS256' ? 'RSA' : 'EC'),
  );
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const good = candidates.some((jwk) =>
    verify('sha256', signed, { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, signature),
  );
  if (!good) return 'client_assertion signature does not verify with the client keys';
  if (claims.iss !== check.clientId || claims.sub !== check.clientId) return 'client_assertion iss and sub must be the client_id';
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((a) => check.audiences.includes(a as string))) return 'client_assertion aud is not this token endpoint';
  if (typeof claims.exp !== 'number' || claims.exp <= check.nowS) return 'client_assertion expired';
  if (claims.exp > check.nowS + MAX_ASSERTION_LIFETIME_S) return 'client_assertion lives too long';
  if (typeof claims.jti !== 'string' || claims.jti === '') return 'client_assertion has no jti';
  if (check.seenJtis.has(claims.jti)) return 'client_assertion jti was already used';
  check.seenJtis.add(claims.jti);
  return undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
