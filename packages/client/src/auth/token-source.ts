import { scopeFor } from '../cache-key.js';
import { AuthError } from '../errors/error-classes.js';
import type { AuthOptions } from '../options.js';
import { type OidcSourceDeps, oidcTokenSource } from './oidc-token-source.js';
import { RecentSecrets } from './recent-secrets.js';

/** Supplies bearer tokens and the cache scope they imply. */
export interface TokenSource {
  /** The token to send (undefined: no auth). `forceRefresh` after a 401; `signal` cancels a token request. */
  token(forceRefresh: boolean, signal?: AbortSignal): Promise<string | undefined>;
  /** The cache scope for a call that sends `token`. */
  scope(token: string | undefined): string;
  /** Whether a 401 is worth one retry with a fresh token. */
  readonly refreshable: boolean;
  /** Secrets to scrub from any text that could leave the client. */
  secrets(): string[];
}

/**
 * Builds the token source for the `auth` option: a static token, a provider, or OIDC client
 * credentials (see oidc-token-source.ts).
 *
 * @example
 * const source = tokenSource({ oidc: { tokenUrl, clientId: 'svc', clientSecret } }, { transport, clock, skewMs: 30_000, timeoutMs: 10_000, pause });
 * await source.token(false);
 */
export function tokenSource(auth: AuthOptions | undefined, deps: OidcSourceDeps): TokenSource {
  if (!auth) return { token: async () => undefined, scope: () => 'anonymous', refreshable: false, secrets: () => [] };
  if ('token' in auth) {
    const scope = scopeFor({ token: auth.token });
    return { token: async () => auth.token, scope: () => scope, refreshable: false, secrets: () => [auth.token] };
  }
  if ('getToken' in auth) {
    const recent = new RecentSecrets();
    return {
      async token(forceRefresh) {
        let token: unknown;
        try {
          token = await auth.getToken({ forceRefresh });
        } catch (cause) {
          throw new AuthError('the auth.getToken provider failed; no request was sent', { code: 'TOKEN_UNAVAILABLE', cause });
        }
        if (typeof token !== 'string' || token === '') {
          throw new AuthError('auth.getToken must return a non-empty string (the bearer token)', { code: 'TOKEN_UNAVAILABLE' });
        }
        recent.add(token);
        return token;
      },
      scope: (token) => scopeFor(token === undefined ? undefined : { token }),
      refreshable: true,
      secrets: () => recent.list(),
    };
  }
  return oidcTokenSource(auth.oidc, deps);
}
