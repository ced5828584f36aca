import { randomBytes } from 'node:crypto';

/** A static bearer token, optionally limited to some scopes (all scopes when omitted). */
export interface StaticToken {
  token: string;
  scopes?: string[];
}

/** A client the fake OIDC token endpoint accepts (`grant_type=client_credentials`). */
export interface OidcClient {
  client_id: string;
  client_secret: string;
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

/** The outcome of checking a request's bearer token. */
export type AuthCheck = { ok: true } | { ok: false; status: 401 | 403; message: string };

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
  private readonly issued = new Map<string, Grant>();

  constructor(private readonly now: () => number) {}

  /** Replaces the auth config (`null` turns auth off) and forgets issued tokens. */
  configure(config: AuthConfig | null | undefined): void {
    this.config = config ?? null;
    this.issued.clear();
  }

  /** Whether bearer tokens are required. */
  get enabled(): boolean {
    return Boolean(this.config && ((this.config.tokens?.length ?? 0) > 0 || (this.config.oidc_clients?.length ?? 0) > 0));
  }

  /** Checks an `Authorization` header for an operation that needs `scope`. */
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
   * Answers `POST /oauth/token` (form `grant_type=client_credentials&client_id&client_secret[&scope]`,
   * or HTTP Basic client authentication).
   */
  issue(form: URLSearchParams, authorization: string | null): TokenAnswer {
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' } };
    }
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic?.[1]) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const clients = this.config?.oidc_clients ?? [];
    const client = clients.find((c) => c.client_id === clientId);
    // Without configured clients every client is welcome, like the rest of an unauthenticated mock.
    if (clients.length > 0 && (!client || client.client_secret !== clientSecret)) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'unknown client_id or wrong client_secret' } };
    }
    const requested = form.get('scope')?.split(/\s+/).filter(Boolean);
    const allowed = client?.scopes ?? null;
    const scopes = requested ? (allowed ? requested.filter((s) => allowed.includes(s)) : requested) : allowed;
    const ttl = client?.token_ttl_s ?? 3600;
    const token = `mwt_${randomBytes(16).toString('hex')}`;
    this.issued.set(token, { expiresAt: this.now() + ttl * 1000, scopes });
    const body: Record<string, unknown> = { access_token: token, token_type: 'Bearer', expires_in: ttl };
    if (scopes) body.scope = scopes.join(' ');
    return { status: 200, body };
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
