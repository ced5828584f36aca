import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { ModelwireEvent } from './events.js';
import type { FleetPolicy } from './fleet/fleet-cache.js';
import { type RedisCommands, type RedisLike, redisCommands } from './fleet/redis-commands.js';
import { DEFAULT_POLICY } from './generated/policy.js';
import type { TelemetryOptions } from './telemetry/otel-api.js';
import type { Transport } from './transport/transport.js';
import { checkMinConfidence, invalidOption, nonNegative, nonNegativeInteger, positive, positiveInteger, shown } from './validation.js';

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
  | { oidc: OidcOptions };

/**
 * OIDC client credentials (docs/semantics.md, Auth). The client authenticates with its secret
 * (`client_secret_post`, the default, or `client_secret_basic`) or with a key (`private_key_jwt`).
 *
 * @example
 * { tokenUrl, clientId: 'orders', clientSecret, authMethod: 'client_secret_basic' }
 * { tokenUrl, clientId: 'orders', authMethod: 'private_key_jwt', privateKeyPem: readFileSync('orders.pem', 'utf8'), keyId: 'orders-2026' }
 */
export interface OidcOptions {
  tokenUrl: string;
  clientId: string;
  /** `client_secret_post` / `client_secret_basic`: the client's secret. */
  clientSecret?: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
  /** How the client authenticates at the token endpoint (default `client_secret_post`). */
  authMethod?: 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';
  /** `private_key_jwt`: the private key, PKCS#8 PEM (RSA or EC P-256). */
  privateKeyPem?: string;
  /** `private_key_jwt`: the `kid` the identity provider knows the key by. */
  keyId?: string;
  /** `private_key_jwt`: `RS256` or `ES256` (default from the key type). */
  algorithm?: 'RS256' | 'ES256';
  /** `private_key_jwt`: the assertion's `aud` (default `tokenUrl`; Keycloak also accepts its issuer URL). */
  audience?: string;
}

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
  /** Answers whose (decoded) body is larger than this fail with `MalformedResponseError` code `RESPONSE_TOO_LARGE` (default 10 MiB). */
  maxResponseBytes?: number;
  /** JSON answers nested deeper than this (arrays and objects) are not accepted (default 100). */
  maxJsonDepth?: number;
  /** Results whose confidence is below this get `lowConfidence: true`. */
  minConfidence?: number;
  /** Receives request/response/retry/cache/breaker/fallback events (for metrics and tracing). */
  onEvent?: (event: ModelwireEvent) => void;
  /** A fetch implementation for the ky transport (tests, proxies, browsers). */
  fetch?: typeof fetch;
  /**
   * Node: your own undici `Dispatcher` (an `Agent` with `connect: { ca, cert, key }` for mTLS or a
   * custom CA, a `ProxyAgent`, …) for every request, the token endpoint's too; the client never closes it.
   */
  dispatcher?: Dispatcher;
  /** A transport replacing HTTP entirely (tests). */
  transport?: Transport;
  /** Returns a `traceparent` to continue when a call has none (without OpenTelemetry, or to override its active context). */
  traceparent?: () => string | undefined;
  /**
   * Fleet mode (docs/semantics.md "Fleet mode"): a shared cache on your Redis (node-redis ≥ 5 or ioredis
   * client, connected by you and never closed by the client) as the second level behind the in-memory one.
   */
  fleet?: FleetOptions;
  /**
   * OpenTelemetry spans and metrics (docs/semantics.md "Telemetry"): on by default when
   * `@opentelemetry/api` is installed (its global providers); pass providers to use others, `false` to turn it off.
   */
  telemetry?: TelemetryOptions | false;
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
  maxResponseBytes: number;
  maxJsonDepth: number;
  minConfidence: number | undefined;
  onEvent: ((event: ModelwireEvent) => void) | undefined;
  transport: Transport | undefined;
  traceparent: (() => string | undefined) | undefined;
  telemetry: TelemetryOptions | false | undefined;
  fleet: { redis: RedisCommands; policy: FleetPolicy } | undefined;
  clock: Clock;
  random: () => number;
  headers: Record<string, string>;
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
  if (!options || typeof options !== 'object') invalidOption('createClient needs an options object with baseUrl');
  const P = DEFAULT_POLICY;
  return {
    baseUrl: resolveBaseUrl(options.baseUrl),
    auth: checkAuth(options.auth),
    fallbackFor: resolveFallbacks(options.fallbacks),
    retry: resolveRetry(options.retry ?? {}),
    breaker: resolveBreaker(options.breaker),
    cache: resolveCache(options.cache),
    cacheScope: options.cacheScope,
    timeoutMs: positive('timeoutMs', options.timeoutMs, P.timeoutMs),
    deadlineMs: positive('deadlineMs', options.deadlineMs, P.deadlineMs),
    maxInputBytes: positiveInteger('maxInputBytes', options.maxInputBytes, P.maxInputBytes),
    maxResponseBytes: positiveInteger('maxResponseBytes', options.maxResponseBytes, P.maxResponseBytes),
    maxJsonDepth: positiveInteger('maxJsonDepth', options.maxJsonDepth, P.maxJsonDepth),
    minConfidence: checkMinConfidence(options.minConfidence),
    onEvent: options.onEvent,
    transport: options.transport,
    traceparent: options.traceparent,
    telemetry: checkTelemetry(options.telemetry),
    ...checkHttpChoice(options),
    fleet: resolveFleet(options.fleet),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    headers: options.headers ?? {},
  };
}

function resolveBaseUrl(baseUrl: unknown): string {
  const rule = 'baseUrl must be an absolute http or https URL such as http://127.0.0.1:4010/v1';
  let base: URL;
  try {
    if (typeof baseUrl !== 'string') throw new TypeError('not a string');
    base = new URL(baseUrl);
  } catch {
    invalidOption(`${rule}, got ${shown(baseUrl)}`);
  }
  // Only the scheme is shown: the rest of a URL may hold credentials.
  if (base.protocol !== 'http:' && base.protocol !== 'https:') invalidOption(`${rule}, got a ${base.protocol} URL`);
  return base.href.replace(/\/+$/, '');
}

function checkAuth(auth: AuthOptions | undefined): AuthOptions | undefined {
  if (auth === undefined) return undefined;
  const ok =
    ('token' in auth && typeof auth.token === 'string' && auth.token.length > 0) ||
    ('getToken' in auth && typeof auth.getToken === 'function') ||
    ('oidc' in auth && typeof auth.oidc?.tokenUrl === 'string' && typeof auth.oidc.clientId === 'string');
  if (!ok) invalidOption('auth must be { token }, { getToken } or { oidc: { tokenUrl, clientId, clientSecret } }');
  if ('oidc' in auth) checkOidc(auth.oidc);
  return auth;
}

function checkOidc(oidc: OidcOptions): void {
  const method = oidc.authMethod ?? 'client_secret_post';
  if (method !== 'client_secret_post' && method !== 'client_secret_basic' && method !== 'private_key_jwt') {
    invalidOption(`auth.oidc.authMethod must be 'client_secret_post', 'client_secret_basic' or 'private_key_jwt', got ${shown(method)}`);
  }
  if (method === 'private_key_jwt') {
    if (typeof oidc.privateKeyPem !== 'string' || !oidc.privateKeyPem.includes('-----BEGIN PRIVATE KEY-----')) {
      invalidOption('auth.oidc.privateKeyPem must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) for private_key_jwt');
    }
    if (oidc.algorithm !== undefined && oidc.algorithm !== 'RS256' && oidc.algorithm !== 'ES256') {
      invalidOption(`auth.oidc.algorithm must be 'RS256' or 'ES256', got ${shown(oidc.algorithm)}`);
    }
  } else if (typeof oidc.clientSecret !== 'string' || oidc.clientSecret === '') {
    invalidOption(`auth.oidc.clientSecret is required for ${method}`);
  }
}

function resolveFallbacks(fallbacks: ClientOptions['fallbacks']): (model: string) => string | undefined {
  if (typeof fallbacks === 'function') return fallbacks;
  return (model) => (fallbacks && Object.hasOwn(fallbacks, model) ? fallbacks[model] : undefined);
}

function resolveRetry(r: RetryOptions): ResolvedOptions['retry'] {
  const P = DEFAULT_POLICY.retry;
  const budget =
    r.budget === false
      ? false
      : {
          maxTokens: nonNegative('retry.budget.maxTokens', r.budget?.maxTokens, P.budget.maxTokens),
          retryCost: nonNegative('retry.budget.retryCost', r.budget?.retryCost, P.budget.retryCost),
          successRefill: nonNegative('retry.budget.successRefill', r.budget?.successRefill, P.budget.successRefill),
        };
  const maxRetries = nonNegativeInteger('retry.maxRetries', r.maxRetries, P.maxRetries);
  const jitter = r.jitter ?? (P.jitter as 'full' | 'none');
  if (jitter !== 'full' && jitter !== 'none') invalidOption(`retry.jitter must be 'full' or 'none', got ${shown(jitter)}`);
  return {
    maxRetries,
    retryOnStatus: new Set(r.retryOnStatus ?? P.retryOnStatus),
    backoffInitialMs: nonNegative('retry.backoffInitialMs', r.backoffInitialMs, P.backoffInitialMs),
    backoffMultiplier: positive('retry.backoffMultiplier', r.backoffMultiplier, P.backoffMultiplier),
    backoffMaxMs: nonNegative('retry.backoffMaxMs', r.backoffMaxMs, P.backoffMaxMs),
    jitter,
    retryAfterCapMs: nonNegative('retry.retryAfterCapMs', r.retryAfterCapMs, P.retryAfterCapMs),
    budget,
  };
}

function resolveBreaker(b: BreakerOptions | false | undefined): ResolvedOptions['breaker'] {
  if (b === false) return false;
  const P = DEFAULT_POLICY.breaker;
  return {
    consecutiveFailures: positiveInteger('breaker.consecutiveFailures', b?.consecutiveFailures, P.consecutiveFailures),
    resetTimeoutMs: nonNegative('breaker.resetTimeoutMs', b?.resetTimeoutMs, P.resetTimeoutMs),
  };
}

function resolveCache(c: CacheOptions | false | undefined): ResolvedOptions['cache'] {
  if (c === false) return false;
  const P = DEFAULT_POLICY.cache;
  return {
    ttlMs: nonNegative('cache.ttlMs', c?.ttlMs, P.ttlMs),
    maxEntries: positiveInteger('cache.maxEntries', c?.maxEntries, P.maxEntries),
    maxBytes: positive('cache.maxBytes', c?.maxBytes, P.maxBytes),
    staleIfError: c?.staleIfError ?? P.staleIfError,
  };
}

function checkTelemetry(telemetry: unknown): TelemetryOptions | false | undefined {
  if (telemetry === undefined || telemetry === false) return telemetry;
  if (typeof telemetry !== 'object' || telemetry === null)
    invalidOption(`telemetry must be false or { tracerProvider?, meterProvider? }, got ${shown(telemetry)}`);
  const { tracerProvider, meterProvider } = telemetry as TelemetryOptions;
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== 'function')
    invalidOption('telemetry.tracerProvider must have getTracer()');
  if (meterProvider !== undefined && typeof meterProvider?.getMeter !== 'function')
    invalidOption('telemetry.meterProvider must have getMeter()');
  return telemetry as TelemetryOptions;
}

/** At most one way to send: a transport, a fetch, or a dispatcher (all optional). Returns nothing to resolve. */
function checkHttpChoice(options: ClientOptions): Record<string, never> {
  const given = (['transport', 'fetch', 'dispatcher'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) invalidOption(`give only one of transport, fetch and dispatcher, got ${given.join(' and ')}`);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') invalidOption('fetch must be a fetch function');
  if (options.dispatcher !== undefined && typeof (options.dispatcher as { dispatch?: unknown })?.dispatch !== 'function') {
    invalidOption('dispatcher must be an undici Dispatcher (Agent, Pool, ProxyAgent, …)');
  }
  return {};
}

/** Fleet mode's options (docs/semantics.md "Fleet mode"). */
export interface FleetOptions {
  /** Your connected node-redis (≥ 5, client or cluster) or ioredis client. */
  redis: RedisLike;
  /** Key prefix (default `modelwire`): entries live at `<prefix>:cache:<cache key>`. */
  prefix?: string;
  /** Bound of every Redis operation in ms (default 50); a slower Redis is a miss, never a failed call. */
  opTimeoutMs?: number;
  /** How long past its TTL an entry stays in Redis for stale-if-error (default 300000). */
  staleWindowMs?: number;
  /** Authenticates entries (HMAC-SHA256): entries without the right mac are never served. */
  hmacKey?: string;
  /** How many OTHER instances must report a breaker open before this one opens it (default 3, at least 2). */
  quorum?: number;
  /** This instance's name in breaker reports (default a random UUID). */
  instanceId?: string;
}

function fleetQuorum(quorum: unknown): number {
  if (quorum === undefined) return 3;
  // A quorum of one would let a single bad instance open the breaker for the whole fleet.
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 2)
    invalidOption(`fleet.quorum must be an integer ≥ 2, got ${shown(quorum)}`);
  return quorum;
}

function resolveFleet(fleet: FleetOptions | undefined): ResolvedOptions['fleet'] {
  if (fleet === undefined) return undefined;
  if (typeof fleet !== 'object' || fleet === null)
    invalidOption(`fleet must be { redis, prefix?, opTimeoutMs?, staleWindowMs?, hmacKey? }, got ${shown(fleet)}`);
  const { redis } = fleet;
  if (typeof redis?.get !== 'function' || typeof redis?.set !== 'function')
    invalidOption('fleet.redis must be a node-redis or ioredis client');
  if (fleet.prefix !== undefined && (typeof fleet.prefix !== 'string' || fleet.prefix === ''))
    invalidOption(`fleet.prefix must be a non-empty string, got ${shown(fleet.prefix)}`);
  if (fleet.hmacKey !== undefined && (typeof fleet.hmacKey !== 'string' || fleet.hmacKey.length < 16)) {
    invalidOption('fleet.hmacKey must be a string of at least 16 characters');
  }
  if (fleet.instanceId !== undefined && (typeof fleet.instanceId !== 'string' || fleet.instanceId === '')) {
    invalidOption(`fleet.instanceId must be a non-empty string, got ${shown(fleet.instanceId)}`);
  }
  return {
    redis: redisCommands(redis),
    policy: {
      prefix: fleet.prefix ?? 'modelwire',
      opTimeoutMs: positive('fleet.opTimeoutMs', fleet.opTimeoutMs, 50),
      staleWindowMs: nonNegative('fleet.staleWindowMs', fleet.staleWindowMs, 300_000),
      hmacKey: fleet.hmacKey,
      quorum: fleetQuorum(fleet.quorum),
      instanceId: fleet.instanceId ?? crypto.randomUUID(),
    },
  };
}
