import { type JsonWebKey, randomBytes } from 'node:crypto';
import { checkClientAssertion } from './client-assertion.js';

/** A static bearer token, optionally limited to some scopes (all scopes when omitted). */
export interface StaticToken {
  token: string;
  scopes?: string[];
}

/** A client the fake OIDC token endpoint accepts (`grant_type=client_credentials`). */
export interface OidcClient {
  client_id: string;
  /** The secret of `client_secret_post` / `client_secret_basic` clients. */
  client_secret?: string;
  /** The only client authentication method accepted (any secret method when omitted). */
  auth_method?: ClientAuthMethod;
  /** `private_key_jwt`: the client's public keys. */
  jwks?: { keys: JsonWebKey[] };
  /** Lifetime of issued tokens in seconds (default 3600). */
  token_ttl_s?: number;
  /** Scopes the client may get (all when omitted). */
  scopes?: string[];
}

/**
 * Auth of the mock gateway. Without it (or with both lists empty) any token, or none, is accepted.
 *
 * @example
 * const auth: AuthConfig = { tokens: ['t-alice'], oidc_clients: [{ client_id: 'svc', client_secret: 's3cret' }] };
 */
export interface AuthConfig {
  tokens?: Array<string | StaticToken>;
  oidc_clients?: OidcClient[];
}

/** How a client authenticates at the token endpoint (RFC 6749 §2.3.1, RFC 7523). */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The outcome of checking a request's bearer token. `challenge` is the `WWW-Authenticate` value to send
 * with the refusal (RFC 6750 §3; plain `Bearer` on a 401 when absent). 503 = the token could not be
 * checked (e.g. the issuer's keys are unreachable): the caller may retry, the token may be fine.
 */
export type AuthCheck = { ok: true } | { ok: false; status: 401 | 403 | 503; message: string; challenge?: string };

/** What an operation needs from a token: the contract's `x-modelwire-required-scopes` and, per model, a role. */
export interface AuthNeed {
  scope?: string;
  /** The `{model}` path parameter, as requested (not yet known to exist). */
  model?: string;
}

/**
 * Checks a request's `Authorization` header asynchronously, e.g. against a real issuer's JWKS.
 *
 * @example
 * const verifier: BearerVerifier = async (authorization, need) => (authorization ? { ok: true } : { ok: false, status: 401, message: 'no token' });
 */
export type BearerVerifier = (authorization: string | null, need: AuthNeed) => Promise<AuthCheck>;

/** What the token endpoint answers (OAuth 2.0 shapes, RFC 6749 §5). */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface Grant {
  expiresAt: number;
  scopes: string[] | null;
}

/**
 * Bearer-token checks and the fake OIDC client-credentials endpoint, on an injectable clock.
 *
 * @example
 * const auth = new AuthRegistry(() => Date.now());
 * auth.configure({ tokens: ['t-alice'] });
 * auth.check('Bearer t-alice', 'models:predict'); // { ok: true }
 */
export class AuthRegistry {
  private config: AuthConfig | null = null;
  private verifier: BearerVerifier | null = null;
  private readonly issued = new Map<string, Grant>();
  private readonly seenJtis = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  /** Replaces the auth config (`null` turns auth off) and forgets issued tokens. */
  configure(config: AuthConfig | null | undefined): void {
    this.config = config ?? null;
    this.issued.clear();
    this.seenJtis.clear();
  }

  /** Whether bearer tokens are required. */
  get enabled(): boolean {
    return Boolean(this.config && ((this.config.tokens?.length ?? 0) > 0 || (this.config.oidc_clients?.length ?? 0) > 0));
  }

  /**
   * Hands every bearer check to `verifier` (`null` = back to the static tokens and issued tokens).
   * `configure()` (so the admin reset) leaves it in place: it is a start-up setting, not a scenario.
   *
   * @example
   * auth.useVerifier(async () => ({ ok: false, status: 401, message: 'tokens are checked elsewhere' }));
   */
  useVerifier(verifier: BearerVerifier | null): void {
    this.verifier = verifier;
  }

  /**
   * Checks an `Authorization` header for an operation: with the verifier when one is installed, else
   * like {@link check}.
   *
   * @example
   * await auth.authorize('Bearer t-alice', { scope: 'models:predict', model: 'fraud-score' }); // { ok: true }
   */
  authorize(authorization: string | null, need: AuthNeed): Promise<AuthCheck> {
    if (this.verifier) return this.verifier(authorization, need);
    return Promise.resolve(this.check(authorization, need.scope));
  }

  /** Checks an `Authorization` header against the static and issued tokens, for an operation that needs `scope`. */
  check(authorization: string | null, scope: string | undefined): AuthCheck {
    if (!this.enabled) return { ok: true };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, status: 401, message: 'bearer token missing: send Authorization: Bearer <token>' };
    const grant = this.grantOf(match[1]);
    if (!grant) return { ok: false, status: 401, message: 'bearer token unknown or expired: fetch a new token' };
    if (scope && grant.scopes && !grant.scopes.includes(scope)) {
      return { ok: false, status: 403, message: `scope ${scope} required` };
    }
    return { ok: true };
  }

  /**
   * Answers `POST /oauth/token` (form `grant_type=client_credentials[&scope]`), the client
   * authenticating with its secret in the form or in HTTP Basic, or with a signed JWT assertion
   * (`private_key_jwt`; `tokenUrl` is the assertion's expected audience). Refusals are OAuth errors
   * as Keycloak words them: 401 `invalid_client`, 400 `invalid_scope` / `invalid_request`.
   */
  issue(form: URLSearchParams, authorization: string | null, tokenUrl = ''): TokenAnswer {
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' } };
    }
    const presented = presentedCredentials(form, authorization);
    if ('error' in presented) return { status: 400, body: { error: 'invalid_request', error_description: presented.error } };
    const clients = this.config?.oidc_clients ?? [];
    const client = clients.find((c) => c.client_id === presented.clientId);
    // Without configured clients every client is welcome, like the rest of an unauthenticated mock.
    if (clients.length > 0) {
      const refusal = client ? this.authenticate(client, presented, form, tokenUrl) : 'unknown client_id';
      if (refusal) return { status: 401, body: { error: 'invalid_client', error_description: refusal } };
    }
    const requested = form.get('scope')?.split(/\s+/).filter(Boolean);
    const allowed = client?.scopes ?? null;
    const refused = requested && allowed ? requested.filter((s) => !allowed.includes(s)) : [];
    if (refused.length > 0)
      return { status: 400, body: { error: 'invalid_scope', error_description: `Invalid scopes: ${refused.join(' ')}` } };
    const scopes = requested ?? allowed;
    const ttl = client?.token_ttl_s ?? 3600;
    const token = `mwt_${randomBytes(16).toString('hex')}`;
    this.issued.set(token, { expiresAt: this.now() + ttl * 1000, scopes });
    const body: Record<string, unknown> = { access_token: token, token_type: 'Bearer', expires_in: ttl };
    if (scopes) body.scope = scopes.join(' ');
    return { status: 200, body };
  }

  /** Why `client` is refused with what it presented, or undefined when it authenticated. */
  private authenticate(client: OidcClient, presented: Presented, form: URLSearchParams, tokenUrl: string): string | undefined {
    if (client.auth_method && client.auth_method !== presented.method) {
      return `client ${client.client_id} must authenticate with ${client.auth_method}, not ${presented.method}`;
    }
    if (presented.method !== 'private_key_jwt') {
      return client.client_secret !== undefined && client.client_secret === presented.secret ? undefined : 'wrong client_secret';
    }
    if (!client.jwks) return `client ${client.client_id} has no keys for private_key_jwt`;
    const seen = this.seenJtis.get(client.client_id) ?? new Set<string>();
    this.seenJtis.set(client.client_id, seen);
    const url = new URL(tokenUrl || 'http://invalid/');
    return checkClientAssertion(form.get('client_assertion') ?? '', {
      clientId: client.client_id,
      jwks: client.jwks,
      audiences: [`${url.origin}${url.pathname}`, url.origin],
      nowS: Math.floor(this.now() / 1000),
      seenJtis: seen,
    });
  }

  private grantOf(token: string): Grant | undefined {
    for (const entry of this.config?.tokens ?? []) {
      const spec = typeof entry === 'string' ? { token: entry } : entry;
      if (spec.token === token) return { expiresAt: Number.POSITIVE_INFINITY, scopes: spec.scopes ?? null };
    }
    const grant = this.issued.get(token);
    if (grant && grant.expiresAt > this.now()) return grant;
    return undefined;
  }
}

/** The client's identity and the credential it presented. */
type Presented = { clientId: string | null; method: ClientAuthMethod; secret?: string };

/** Which client authentication the request used; more than one at once is an `invalid_request`. */
function presentedCredentials(form: URLSearchParams, authorization: string | null): Presented | { error: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  const assertion = form.get('client_assertion');
  const methods = [basic, form.has('client_secret'), assertion !== null].filter(Boolean).length;
  if (methods > 1) return { error: 'more than one client authentication method in one request' };
  if (basic?.[1]) {
    // RFC 6749 §2.3.1: id and secret are each form-urlencoded, then joined by the first ':'.
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const unform = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
    try {
      return { clientId: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)), method: 'client_secret_basic' };
    } catch {
      return { error: 'HTTP Basic credentials are not form-urlencoded' };
    }
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION)
      return { error: `client_assertion_type must be ${JWT_BEARER_ASSERTION}` };
    return { clientId: form.get('client_id') ?? subjectOf(assertion), method: 'private_key_jwt' };
  }
  return { clientId: form.get('client_id'), secret: form.get('client_secret') ?? undefined, method: 'client_secret_post' };
}

/** The `sub` of a JWS (RFC 7523 lets the client_id be left out of the form). */
function subjectOf(assertion: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}
