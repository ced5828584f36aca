import type { AuthCheck, AuthNeed, BearerVerifier } from '@modelwire/msw';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

/**
 * How the mock checks bearer tokens against a real OIDC issuer (`modelwire-mock --oidc-issuer`).
 *
 * @example
 * const options: IssuerOptions = { issuer: 'http://127.0.0.1:8080/realms/modelwire', audience: 'modelwire-gateway', roles: { 'fraud-score': 'fraud-score' } };
 */
export interface IssuerOptions {
  /** The exact `iss` of the tokens; its discovery document gives the JWKS URL. */
  issuer: string;
  /** Required in `aud`, and the client whose `resource_access` roles count (no `aud` check when omitted). */
  audience?: string;
  /** Model → the role a token needs to use it (models not listed need none). */
  roles?: Record<string, string>;
  /** Leeway for `exp` / `nbf` / `iat` in seconds (default 5). */
  clockToleranceS?: number;
}

/** The signature algorithms accepted (Keycloak signs access tokens RS256 by default). */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];

/** Raised when the issuer's keys cannot be fetched: the token may be fine, so this is not a 401. */
export class IssuerKeysUnavailableError extends Error {}

/**
 * A {@link @modelwire/msw!BearerVerifier | BearerVerifier} over the issuer's JWKS: signature (RS256/ES256), `exp` (required), `nbf`,
 * `iss`, `aud`, then the operation's scope (`scope` claim, space separated, or `scp`) and the model's
 * role (`realm_access.roles`, `resource_access[audience].roles`). Refusals follow RFC 6750 §3.1:
 * 401 with `error="invalid_token"` (plain `Bearer` when no token was sent), 403 with
 * `error="insufficient_scope"`. Messages never contain the token.
 *
 * @example
 * state.auth.useVerifier(createIssuerVerifier(options, jwksUri, state.now));
 */
export function createIssuerVerifier(options: IssuerOptions, jwksUri: string, now: () => number): BearerVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUri));
  const refuse = (message: string): AuthCheck => ({
    ok: false,
    status: 401,
    message,
    challenge: `Bearer error="invalid_token", error_description="${message.replace(/["\\]/g, '')}"`,
  });

  return async (authorization: string | null, need: AuthNeed): Promise<AuthCheck> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      return {
        ok: false,
        status: 401,
        message: `bearer token missing: send Authorization: Bearer <token from ${options.issuer}>`,
        challenge: 'Bearer',
      };
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(match[1], keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: options.clockToleranceS ?? 5,
        currentDate: new Date(now()),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      try {
        return refuse(rejectionOf(error, options, jwksUri));
      } catch (unavailable) {
        // The issuer's keys are unreachable: the gateway cannot judge the token, so 503 (retryable), not 401.
        if (unavailable instanceof IssuerKeysUnavailableError) return { ok: false, status: 503, message: unavailable.message };
        throw unavailable;
      }
    }
    if (need.scope && !scopesOf(claims).includes(need.scope)) {
      return {
        ok: false,
        status: 403,
        message: `token lacks scope ${need.scope}: request it from the issuer (scope=${need.scope})`,
        challenge: `Bearer error="insufficient_scope", scope="${need.scope}"`,
      };
    }
    const role = need.model === undefined ? undefined : options.roles?.[need.model];
    if (role !== undefined && !rolesOf(claims, options.audience).includes(role)) {
      return {
        ok: false,
        status: 403,
        message: `token lacks role ${role}, needed for model ${need.model}`,
        challenge: 'Bearer error="insufficient_scope"',
      };
    }
    return { ok: true };
  };
}

/** The scopes a token grants: `scope` (RFC 8693/9068, space separated), else `scp` (string or array). */
function scopesOf(claims: JWTPayload): string[] {
  const granted = claims.scope ?? claims.scp;
  if (typeof granted === 'string') return granted.split(/\s+/).filter(Boolean);
  return Array.isArray(granted) ? granted.filter((s): s is string => typeof s === 'string') : [];
}

/** Keycloak's role claims: realm roles, and the audience client's roles. */
function rolesOf(claims: JWTPayload, audience: string | undefined): string[] {
  const listOf = (holder: unknown): string[] => {
    const roles = (holder as { roles?: unknown } | undefined)?.roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  };
  const resourceAccess = claims.resource_access as Record<string, unknown> | undefined;
  return [...listOf(claims.realm_access), ...(audience ? listOf(resourceAccess?.[audience]) : [])];
}

/** Why jose refused the token, in words for the 401; unreachable keys are thrown instead. */
function rejectionOf(error: unknown, options: IssuerOptions, jwksUri: string): string {
  if (error instanceof errors.JWTExpired) return 'bearer token expired: fetch a new token';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return `bearer token was not issued by ${options.issuer}`;
    if (error.claim === 'aud') return `bearer token is not meant for audience ${options.audience}`;
    if (error.claim === 'nbf') return 'bearer token is not valid yet';
    return `bearer token claim ${error.claim} is invalid: ${error.reason}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bearer token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return `bearer token is signed with a key the issuer does not publish at ${jwksUri}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `bearer token alg is not one of ${ACCEPTED_ALGORITHMS.join(', ')}`;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'bearer token is not a signed JWT';
  // A timeout, a refused connection, a non-200 or non-JWKS answer (generic JOSEError) is the issuer's side.
  const issuerSide =
    !(error instanceof errors.JOSEError) ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC';
  if (!issuerSide) return `bearer token is invalid (${error.code})`;
  const reason = error instanceof Error ? error.message : String(error);
  throw new IssuerKeysUnavailableError(`modelwire-mock: cannot fetch the issuer's keys from ${jwksUri}: ${reason}`);
}
