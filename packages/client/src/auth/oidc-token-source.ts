import { scopeFor } from '../cache-key.js';
import type { Clock } from '../clock.js';
import { AuthError } from '../errors/error-classes.js';
import type { OidcOptions } from '../options.js';
import type { Transport } from '../transport/transport.js';
import { clientCredentials } from './client-authentication.js';
import type { FailurePause } from './failure-pause.js';
import { RecentSecrets } from './recent-secrets.js';
import { type TokenProblem, tokenFailure } from './token-failure.js';
import type { TokenSource } from './token-source.js';
import { untilAborted } from './until-aborted.js';

/** A token endpoint's answer is a few hundred bytes; anything near this is not a token. */
const TOKEN_RESPONSE_MAX_BYTES = 1_048_576;

/** What the OIDC token source needs besides the `oidc` options (all from the resolved client options). */
export interface OidcSourceDeps {
  transport: Transport;
  clock: Clock;
  /** The contract's `token_refresh_skew_ms`. */
  skewMs: number;
  /** Bounds each token request (the client's `timeoutMs`). */
  timeoutMs: number;
  pause: FailurePause;
}

/** A token and the two moments that matter: when to refresh it, and when it stops being valid. */
interface HeldToken {
  token: string;
  dueAt: number;
  expiresAt: number;
}

/**
 * OIDC client credentials (docs/semantics.md, Auth): one token for every call until it is due
 * (`min(skew, lifetime / 2)` before it expires), one token request at a time that no single
 * caller's abort cancels, a failed refresh that keeps the still-valid token, and failures that pause
 * token requests for every caller.
 *
 * @example
 * const source = oidcTokenSource({ tokenUrl, clientId: 'svc', clientSecret }, { transport, clock, skewMs: 30_000, timeoutMs: 10_000, pause });
 * await source.token(false);
 */
export function oidcTokenSource(oidc: OidcOptions, deps: OidcSourceDeps): TokenSource {
  const { clock, pause } = deps;
  const scope = scopeFor({ oidc });
  const recent = new RecentSecrets();
  if (oidc.clientSecret) recent.add(oidc.clientSecret);
  let held: HeldToken | undefined;
  let refreshing: Promise<string> | undefined;
  let lastFailure: AuthError | undefined;

  async function requestToken(): Promise<string> {
    const startedAt = clock.now();
    const request = await tokenRequest(oidc, clock.wallMs());
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    let answer: Awaited<ReturnType<Transport>>;
    try {
      answer = await deps.transport({ ...request, signal: timeout, maxResponseBytes: TOKEN_RESPONSE_MAX_BYTES });
    } catch (cause) {
      const problem: TokenProblem = timeout.aborted
        ? { kind: 'timeout', timeoutMs: deps.timeoutMs, cause }
        : { kind: 'unreachable', cause };
      throw tokenFailure(oidc.tokenUrl, problem, recent.list());
    }
    const json = parseJson(answer.body);
    if (answer.status !== 200 || typeof json?.access_token !== 'string' || json.access_token === '') {
      throw tokenFailure(oidc.tokenUrl, { kind: 'answer', status: answer.status, body: answer.body }, recent.list());
    }
    const lifetimeMs = (typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 300) * 1000;
    const expiresAt = startedAt + lifetimeMs;
    held = { token: json.access_token, dueAt: expiresAt - Math.min(deps.skewMs, lifetimeMs / 2), expiresAt };
    recent.add(json.access_token);
    return json.access_token;
  }

  /** The shared refresh: records its outcome in the pause, whoever started it. */
  function refresh(): Promise<string> {
    refreshing ??= requestToken()
      .then(
        (token) => {
          pause.succeeded();
          lastFailure = undefined;
          return token;
        },
        (error: unknown) => {
          pause.failed(clock.now());
          lastFailure =
            error instanceof AuthError ? error : tokenFailure(oidc.tokenUrl, { kind: 'unreachable', cause: error }, recent.list());
          throw lastFailure;
        },
      )
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  return {
    async token(forceRefresh, signal) {
      // The gateway refused the held token (401): it is never sent again.
      if (forceRefresh) held = undefined;
      const now = clock.now();
      if (held && now < held.dueAt) return held.token;
      const stillValid = held && now < held.expiresAt ? held.token : undefined;
      const pausedMs = pause.remainingMs(now);
      if (pausedMs > 0 && !refreshing) {
        if (stillValid !== undefined) return stillValid;
        throw pausedError(lastFailure, pausedMs, pause.count);
      }
      try {
        return await untilAborted(refresh(), signal);
      } catch (error) {
        if (stillValid !== undefined && error instanceof AuthError && error.code === 'TOKEN_UNAVAILABLE') return stillValid;
        throw error;
      }
    },
    scope: () => scope,
    refreshable: true,
    secrets: () => recent.list(),
  };
}

/** The token request: method, URL, headers and form body for the configured client authentication. */
async function tokenRequest(oidc: OidcOptions, wallMs: number) {
  let credentials: Awaited<ReturnType<typeof clientCredentials>>;
  try {
    credentials = await clientCredentials(oidc, wallMs);
  } catch (cause) {
    throw new AuthError('could not sign the client assertion: check oidc.privateKeyPem (PKCS#8 PEM) and oidc.algorithm', {
      code: 'TOKEN_UNAVAILABLE',
      cause,
    });
  }
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...credentials.form });
  if (oidc.scope) form.set('scope', oidc.scope);
  return {
    method: 'POST' as const,
    url: oidc.tokenUrl,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'accept-encoding': 'identity',
      ...credentials.headers,
    },
    body: form.toString(),
  };
}

/** The last failure again, for a caller that arrives while token requests are paused. */
function pausedError(last: AuthError | undefined, pausedMs: number, failures: number): AuthError {
  const why = last?.message ?? 'the token endpoint failed';
  const error = new AuthError(
    `${why} (token requests paused for another ${Math.ceil(pausedMs)} ms after ${failures} failure${failures === 1 ? '' : 's'})`,
    { code: 'TOKEN_UNAVAILABLE', cause: last },
  );
  return Object.assign(error, {
    idpStatus: last?.idpStatus,
    oauthError: last?.oauthError,
    oauthErrorDescription: last?.oauthErrorDescription,
  });
}

function parseJson(body: string): { access_token?: unknown; expires_in?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as { access_token?: unknown; expires_in?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
