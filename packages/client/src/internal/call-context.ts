import type { ModelwireEvent } from '../events.js';
import type { CallSpan } from '../telemetry/call-span.js';

/**
 * How a fallback answer came about.
 *
 * @example if (p.fallback?.reason === 'circuit_open') metrics.inc('fallback_open')
 */
export interface FallbackInfo {
  from: string;
  to: string;
  reason: 'circuit_open' | 'retries_exhausted';
}

/** The HTTP methods the operations use. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * A parsed success envelope plus what the pipeline learned on the way. `E` is the contract's
 * response type of the operation (the parser checked `status: success` and `result`).
 */
export interface Answer<E = any> {
  /** The parsed envelope; its shape depends on the operation. */
  envelope: E;
  /** Size of the raw body, used as the cache entry's size. */
  bytes: number;
  /** Version header echoed by the server, when any. */
  servedVersion: string | undefined;
  cached: boolean;
  stale: boolean;
  fallback: FallbackInfo | undefined;
  attempts: number;
}

/** Everything the stages of one logical call share. Stages copy it (never mutate) to change it. */
export interface CallContext {
  operation: string;
  method: HttpMethod;
  /** Path below baseUrl for a given model (the fallback swaps the model). */
  path: (model: string) => string;
  model: string | undefined;
  version: string | undefined;
  /** The JSON body for a given model/context, when the method has one. */
  body: ((ctx: CallContext) => unknown) | undefined;
  requestId: string;
  idempotencyKey: string | undefined;
  traceId: string;
  traceFlags: string;
  /** The token already obtained for the cache scope (first attempt only; retries ask again). */
  presetToken: string | undefined;
  /** Cache/coalescing key, when the operation is cacheable. */
  cacheKey: string | undefined;
  useCache: boolean;
  signal: AbortSignal | undefined;
  deadlineAt: number;
  /** True when the caller set its own deadline (coalesced callers then time out on their own). */
  perCallDeadline: boolean;
  timeoutMs: number;
  /** What the logical call did so far (one object shared by all its stages, also across retries and fallback). */
  counter: CallProgress;
  /** The call's recording OpenTelemetry span: attempts become its CLIENT children (docs/semantics.md "Telemetry"). */
  span: CallSpan | undefined;
  emit: (event: ModelwireEvent) => void;
  /** False when nobody listens: hot paths then skip building events. */
  observed: boolean;
}

/** What the stages report about one logical call while it runs. */
export interface CallProgress {
  /** HTTP attempts made so far, primary and backup together. */
  attempts: number;
  /** The call joined an identical call in flight (a follower). */
  coalesced: boolean;
  /** The backup the fallback stage turned to, also when the backup then failed. */
  fallback: FallbackInfo | undefined;
}

/** A pipeline stage: does its job around `next` (the rest of the pipeline). */
export type Stage = (ctx: CallContext, next: (ctx: CallContext) => Promise<Answer>) => Promise<Answer>;

/**
 * The fields every event of a call carries: the model (null for gateway operations), its pinned
 * version (or null) and the request id.
 *
 * @example ctx.emit({ type: 'cache_miss', ...callFields(ctx) });
 */
export function callFields(ctx: CallContext): { model: string | null; version: string | null; requestId: string } {
  return { model: ctx.model ?? null, version: ctx.version ?? null, requestId: ctx.requestId };
}
