import { scopeFor } from './cache-key.js';
import type { Clock } from './clock.js';
import { AuthError } from './errors/error-classes.js';
import { sha256Hex } from './internal/sha256.js';
import type { AuthOptions } from './options.js';
import type { Transport } from './transport/transport.js';

/** Supplies bearer tokens and the cache scope they imply. */
export interface TokenSource {
  /** The token to send (undefined: no auth). `forceRefresh` after a 401. */
  token(forceRefresh: boolean): Promise<string | undefined>;
  /** The cache scope for a call that sends `token`. */
  scope(token: string | undefined): string;
  /** Whether a 401 is worth one retry with a fresh token. */
  readonly refreshable: boolean;
  /** Secrets to scrub from any text that could leave the client. */
  secrets(): string[];
}

/**
 * Builds the token source for the `auth` option: a static token, a provider, or OIDC client
 * credentials (token cached until `skewMs` before expiry, one refresh at a time).
 *
 * @example
 * const source = tokenSource({ oidc: { tokenUrl, clientId: 'svc', clientSecret } }, transport, clock, 30_000);
 * await source.token(false);
 */
export function tokenSource(auth: AuthOptions | undefined, transport: Transport, clock: Clock, skewMs: number): TokenSource {
  if (!auth) return { token: async () => undefined, scope: () => 'anonymous', refreshable: false, secrets: () => [] };
  if ('token' in auth) {
    const scope = scopeFor({ token: auth.token });
    return { token: async () => auth.token, scope: () => scope, refreshable: false, secrets: () => [auth.token] };
  }
  if ('getToken' in auth) {
    const seen = new Set<string>();
    return {
      async token(forceRefresh) {
        const token = await auth.getToken({ forceRefresh });
        if (seen.size < 16) seen.add(token);
        return token;
      },
      scope: (token) => (token === undefined ? 'anonymous' : `token:${sha256Hex(`token\n${token}`)}`),
      refreshable: true,
      secrets: () => [...seen],
    };
  }
  return oidcTokenSource(auth.oidc, transport, clock, skewMs);
}

function oidcTokenSource(
  oidc: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string },
  transport: Transport,
  clock: Clock,
  skewMs: number,
): TokenSource {
  const scope = scopeFor({ oidc });
  let current: { token: string; expiresAt: number } | undefined;
  let refreshing: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: oidc.clientId, client_secret: oidc.clientSecret });
    if (oidc.scope) form.set('scope', oidc.scope);
    let response: Awaited<ReturnType<Transport>>;
    try {
      response = await transport({
        method: 'POST',
        url: oidc.tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new AuthError(`could not reach the OIDC token endpoint ${oidc.tokenUrl}`, { code: 'UNAUTHENTICATED', cause });
    }
    let json: { access_token?: unknown; expires_in?: unknown } | undefined;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    if (response.status !== 200 || typeof json?.access_token !== 'string') {
      throw new AuthError(
        `OIDC token endpoint answered HTTP ${response.status} without an access_token: check clientId/clientSecret for ${oidc.tokenUrl}`,
        { code: 'UNAUTHENTICATED', httpStatus: response.status },
      );
    }
    const lifetimeMs = (typeof json.expires_in === 'number' ? json.expires_in : 300) * 1000;
    current = { token: json.access_token, expiresAt: clock.now() + lifetimeMs - Math.min(skewMs, lifetimeMs / 2) };
    return json.access_token;
  }

  return {
    async token(forceRefresh) {
      if (!forceRefresh && current && clock.now() < current.expiresAt) return current.token;
      // One refresh at a time: concurrent callers share the same token request.
      refreshing ??= fetchToken().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    scope: () => scope,
    refreshable: true,
    secrets: () => (current ? [current.token, oidc.clientSecret] : [oidc.clientSecret]),
  };
}
