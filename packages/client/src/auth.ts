import { scopeFor } from './cache-key.js';
import type { Clock } from './clock.js';
import { AbortedError, AuthError } from './errors/error-classes.js';
import type { AuthOptions } from './options.js';
import type { Transport } from './transport/transport.js';

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

/** A token endpoint's answer is a few hundred bytes; anything near this is not a token. */
const TOKEN_RESPONSE_MAX_BYTES = 1_048_576;

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
  return oidcTokenSource(auth.oidc, transport, clock, skewMs);
}

function oidcTokenSource(
  oidc: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string },
  transport: Transport,
  clock: Clock,
  skewMs: number,
): TokenSource {
  const scope = scopeFor({ oidc });
  const recent = new RecentSecrets();
  recent.add(oidc.clientSecret);
  let current: { token: string; expiresAt: number } | undefined;
  let refreshing: Promise<string> | undefined;

  async function fetchToken(signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: oidc.clientId, client_secret: oidc.clientSecret });
    if (oidc.scope) form.set('scope', oidc.scope);
    let response: Awaited<ReturnType<Transport>>;
    try {
      response = await transport({
        method: 'POST',
        url: oidc.tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'accept-encoding': 'identity' },
        body: form.toString(),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
        maxResponseBytes: TOKEN_RESPONSE_MAX_BYTES,
      });
    } catch (cause) {
      throw new AuthError(`could not reach the OIDC token endpoint ${oidc.tokenUrl}`, { code: 'TOKEN_UNAVAILABLE', cause });
    }
    let json: { access_token?: unknown; expires_in?: unknown } | undefined;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    if (response.status !== 200 || typeof json?.access_token !== 'string') {
      // No httpStatus: the token endpoint's status must not look like the model's (no retry, no breaker count).
      throw new AuthError(
        `OIDC token endpoint answered HTTP ${response.status} without an access_token: check clientId/clientSecret for ${oidc.tokenUrl}`,
        { code: response.status === 401 || response.status === 400 ? 'UNAUTHENTICATED' : 'TOKEN_UNAVAILABLE' },
      );
    }
    const lifetimeMs = (typeof json.expires_in === 'number' ? json.expires_in : 300) * 1000;
    current = { token: json.access_token, expiresAt: clock.now() + lifetimeMs - Math.min(skewMs, lifetimeMs / 2) };
    recent.add(json.access_token);
    return json.access_token;
  }

  return {
    async token(forceRefresh, signal) {
      if (!forceRefresh && current && clock.now() < current.expiresAt) return current.token;
      // One refresh at a time: concurrent callers share the same token request, which no single
      // caller's abort cancels (it has its own timeout); each caller stops waiting on its own signal.
      refreshing ??= fetchToken(undefined).finally(() => {
        refreshing = undefined;
      });
      return untilAborted(refreshing, signal);
    },
    scope: () => scope,
    refreshable: true,
    secrets: () => recent.list(),
  };
}

/** `work`, or the signal's abort as `AbortedError` when it comes first (`work` goes on for others). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  const aborted = () => new AbortedError('the call was aborted while waiting for a token', { code: 'ABORTED', cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The last few secrets handed out (tokens rotate; earlier ones may still be echoed by a server). */
class RecentSecrets {
  private readonly items: string[] = [];

  add(secret: string): void {
    if (this.items.includes(secret)) return;
    this.items.push(secret);
    if (this.items.length > 32) this.items.shift();
  }

  list(): string[] {
    return this.items;
  }
}
