import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { InvalidInputError } from './errors/error-classes.js';
import type { ModelwireEvent } from './events.js';
import { DEFAULT_POLICY } from './generated/policy.js';
import type { Transport } from './transport/transport.js';

/**
 * How the client authenticates. Tokens are never logged, put in errors or used in clear as cache keys.
 *
 * @example
 * { token: process.env.MODELWIRE_TOKEN! }
 * { getToken: async ({ forceRefresh }) => session.accessToken(forceRefresh) }
 * { oidc: { tokenUrl: 'https://sso/realms/ml/protocol/openid-connect/token', clientId: 'orders', clientSecret } }
 */
export type AuthOptions =
  | { token: string }
  | { getToken: (options: { forceRefresh: boolean }) => string | Promise<string> }
  | { oidc: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string } };

/**
 * Retry policy; every field defaults to the contract's `x-modelwire-policy.retry`.
 *
 * @example
 * createClient({ baseUrl, retry: { maxRetries: 4, backoffMaxMs: 5_000, budget: false } });
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 2: three attempts in all). */
  maxRetries?: number;
  /** HTTP statuses worth retrying (default 408, 429, 500, 502, 503, 504). */
  retryOnStatus?: readonly number[];
  /** First backoff ceiling in ms (default 100). */
  backoffInitialMs?: number;
  /** Growth of the ceiling per retry (default 2). */
  backoffMultiplier?: number;
  /** Cap of the ceiling in ms (default 2000). */
  backoffMaxMs?: number;
  /** `full`: wait a random time in [0, ceiling] (default); `none`: wait the ceiling. */
  jitter?: 'full' | 'none';
  /** A server asking to wait longer than this (Retry-After) makes the call fail at once (default 30 s). */
  retryAfterCapMs?: number;
  /** Token-bucket retry budget shared by the whole client; `false` turns it off. */
  budget?: { maxTokens?: number; retryCost?: number; successRefill?: number } | false;
}

/**
 * Breaker policy per (model, pinned version); `false` turns breakers off.
 *
 * @example createClient({ baseUrl, breaker: { consecutiveFailures: 5, resetTimeoutMs: 30_000 } })
 */
export interface BreakerOptions {
  consecutiveFailures?: number;
  resetTimeoutMs?: number;
}

/**
 * Response cache policy; `false` turns the cache (and coalescing) off.
 *
 * @example createClient({ baseUrl, cache: { ttlMs: 10_000, maxBytes: 5e6, staleIfError: true } })
 */
export interface CacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  maxBytes?: number;
  /** Serve an expired answer (marked `stale`) when the model fails and no backup answers. */
  staleIfError?: boolean;
}

/**
 * Everything `createClient` accepts. Only `baseUrl` is required; every other default comes from the
 * contract's `x-modelwire-policy`.
 *
 * @example
 * const options: ClientOptions = { baseUrl: 'http://127.0.0.1:4010/v1', fallbacks: { 'fraud-score': 'fraud-score-backup' } };
 */
export interface ClientOptions {
  /** The gateway's API root including `/v1`, e.g. `http://127.0.0.1:4010/v1`. */
  baseUrl: string;
  auth?: AuthOptions;
  /** Backup model per model, or a function returning it. Depth 1. */
  fallbacks?: Record<string, string> | ((model: string) => string | undefined);
  retry?: RetryOptions;
  breaker?: BreakerOptions | false;
  cache?: CacheOptions | false;
  /** Overrides the credential-derived cache scope. */
  cacheScope?: string;
  /** Per-attempt timeout (ms). */
  timeoutMs?: number;
  /** Total time for a call, all attempts and waits included (ms). */
  deadlineMs?: number;
  /** Inputs whose JSON is larger than this are refused before sending. */
  maxInputBytes?: number;
  /** Results whose confidence is below this get `lowConfidence: true`. */
  minConfidence?: number;
  /** Receives request/response/retry/cache/breaker/fallback events (for metrics and tracing). */
  onEvent?: (event: ModelwireEvent) => void;
  /** A fetch implementation for the ky transport (tests, proxies, browsers). */
  fetch?: typeof fetch;
  /** A transport replacing HTTP entirely (tests). */
  transport?: Transport;
  /** Returns the active trace context's `traceparent`, e.g. from OpenTelemetry. */
  traceparent?: () => string | undefined;
  /** The clock (tests). */
  clock?: Clock;
  /** Randomness for jitter and ids (tests). */
  random?: () => number;
  /** Extra headers on every request (names on the allow-list only are logged). */
  headers?: Record<string, string>;
}

/** Options normalised once, with defaults applied. */
export interface ResolvedOptions {
  baseUrl: string;
  auth: AuthOptions | undefined;
  fallbackFor: (model: string) => string | undefined;
  retry: {
    maxRetries: number;
    retryOnStatus: ReadonlySet<number>;
    backoffInitialMs: number;
    backoffMultiplier: number;
    backoffMaxMs: number;
    jitter: 'full' | 'none';
    retryAfterCapMs: number;
    budget: { maxTokens: number; retryCost: number; successRefill: number } | false;
  };
  breaker: { consecutiveFailures: number; resetTimeoutMs: number } | false;
  cache: { ttlMs: number; maxEntries: number; maxBytes: number; staleIfError: boolean } | false;
  cacheScope: string | undefined;
  timeoutMs: number;
  deadlineMs: number;
  maxInputBytes: number;
  minConfidence: number | undefined;
  onEvent: ((event: ModelwireEvent) => void) | undefined;
  fetch: typeof fetch | undefined;
  transport: Transport | undefined;
  traceparent: (() => string | undefined) | undefined;
  clock: Clock;
  random: () => number;
  headers: Record<string, string>;
}

function invalid(message: string): never {
  throw new InvalidInputError(message, { code: 'INVALID_OPTIONS' });
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    invalid(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return v;
}

function checkMinConfidence(value: number | undefined): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1)))
    invalid(`minConfidence must be a number in [0, 1], got ${String(value)}`);
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = nonNegative(name, value, fallback);
  if (v === 0) invalid(`${name} must be > 0`);
  return v;
}

/**
 * Validates options and fills every default from the contract's policy. Bad options fail here, once,
 * with a message naming the option.
 *
 * @example
 * const resolved = resolveOptions({ baseUrl: 'http://127.0.0.1:4010/v1' });
 * resolved.retry.maxRetries; // 2
 */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') invalid('createClient needs an options object with baseUrl');
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    invalid(`baseUrl must be an absolute URL such as http://127.0.0.1:4010/v1, got ${JSON.stringify(options.baseUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') invalid('baseUrl must use http: or https:');
  const auth = options.auth;
  if (auth !== undefined) {
    const ok =
      ('token' in auth && typeof auth.token === 'string' && auth.token.length > 0) ||
      ('getToken' in auth && typeof auth.getToken === 'function') ||
      ('oidc' in auth && typeof auth.oidc?.tokenUrl === 'string' && typeof auth.oidc.clientId === 'string');
    if (!ok) invalid('auth must be { token }, { getToken } or { oidc: { tokenUrl, clientId, clientSecret } }');
  }
  const P = DEFAULT_POLICY;
  const r = options.retry ?? {};
  const budget =
    r.budget === false
      ? false
      : {
          maxTokens: nonNegative('retry.budget.maxTokens', r.budget?.maxTokens, P.retry.budget.maxTokens),
          retryCost: nonNegative('retry.budget.retryCost', r.budget?.retryCost, P.retry.budget.retryCost),
          successRefill: nonNegative('retry.budget.successRefill', r.budget?.successRefill, P.retry.budget.successRefill),
        };
  const maxRetries = nonNegative('retry.maxRetries', r.maxRetries, P.retry.maxRetries);
  if (!Number.isInteger(maxRetries)) invalid('retry.maxRetries must be an integer');
  const jitter = r.jitter ?? (P.retry.jitter as 'full' | 'none');
  if (jitter !== 'full' && jitter !== 'none') invalid(`retry.jitter must be 'full' or 'none', got ${String(jitter)}`);
  const b = options.breaker;
  const c = options.cache;
  const fallbacks = options.fallbacks;
  const fallbackFor =
    typeof fallbacks === 'function'
      ? fallbacks
      : (model: string) => (fallbacks && Object.hasOwn(fallbacks, model) ? fallbacks[model] : undefined);
  return {
    baseUrl: base.href.replace(/\/+$/, ''),
    auth,
    fallbackFor,
    retry: {
      maxRetries,
      retryOnStatus: new Set(r.retryOnStatus ?? P.retry.retryOnStatus),
      backoffInitialMs: nonNegative('retry.backoffInitialMs', r.backoffInitialMs, P.retry.backoffInitialMs),
      backoffMultiplier: positive('retry.backoffMultiplier', r.backoffMultiplier, P.retry.backoffMultiplier),
      backoffMaxMs: nonNegative('retry.backoffMaxMs', r.backoffMaxMs, P.retry.backoffMaxMs),
      jitter,
      retryAfterCapMs: nonNegative('retry.retryAfterCapMs', r.retryAfterCapMs, P.retry.retryAfterCapMs),
      budget,
    },
    breaker:
      b === false
        ? false
        : {
            consecutiveFailures: positive('breaker.consecutiveFailures', b?.consecutiveFailures, P.breaker.consecutiveFailures),
            resetTimeoutMs: nonNegative('breaker.resetTimeoutMs', b?.resetTimeoutMs, P.breaker.resetTimeoutMs),
          },
    cache:
      c === false
        ? false
        : {
            ttlMs: nonNegative('cache.ttlMs', c?.ttlMs, P.cache.ttlMs),
            maxEntries: positive('cache.maxEntries', c?.maxEntries, P.cache.maxEntries),
            maxBytes: positive('cache.maxBytes', c?.maxBytes, P.cache.maxBytes),
            staleIfError: c?.staleIfError ?? P.cache.staleIfError,
          },
    cacheScope: options.cacheScope,
    timeoutMs: positive('timeoutMs', options.timeoutMs, P.timeoutMs),
    deadlineMs: positive('deadlineMs', options.deadlineMs, P.deadlineMs),
    maxInputBytes: positive('maxInputBytes', options.maxInputBytes, P.maxInputBytes),
    minConfidence: checkMinConfidence(options.minConfidence),
    onEvent: options.onEvent,
    fetch: options.fetch,
    transport: options.transport,
    traceparent: options.traceparent,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    headers: options.headers ?? {},
  };
}

/**
 * Validates the per-call options every operation shares; only the fields present are checked, so
 * the common call with no options costs nothing.
 *
 * @example checkCallOptions({ timeoutMs: 0 }); // throws InvalidInputError: timeoutMs must be > 0
 */
export function checkCallOptions(call: {
  requestId?: unknown;
  timeoutMs?: unknown;
  deadlineMs?: unknown;
  version?: unknown;
  minConfidence?: unknown;
  signal?: unknown;
}): void {
  if (call.requestId !== undefined && (typeof call.requestId !== 'string' || call.requestId.length < 1 || call.requestId.length > 128)) {
    invalid(`requestId must be a string of 1 to 128 characters, got ${JSON.stringify(call.requestId)}`);
  }
  for (const name of ['timeoutMs', 'deadlineMs'] as const) {
    const v = call[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0))
      invalid(`${name} must be a finite number > 0, got ${String(v)}`);
  }
  if (call.version !== undefined && (typeof call.version !== 'string' || call.version.length < 1 || call.version.length > 64)) {
    invalid(`version must be a string of 1 to 64 characters (e.g. '2'), got ${JSON.stringify(call.version)}`);
  }
  const mc = call.minConfidence;
  if (mc !== undefined && (typeof mc !== 'number' || !(mc >= 0 && mc <= 1)))
    invalid(`minConfidence must be a number in [0, 1], got ${String(mc)}`);
  const signal = call.signal as AbortSignal | undefined;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function')) {
    invalid('signal must be an AbortSignal (e.g. AbortSignal.timeout(5000) or controller.signal)');
  }
}
