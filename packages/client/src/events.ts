/** The breaker states. @example client.breakerState('fraud-score') === 'open' */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** What every event is about: the model (null for gateway operations) and its pinned version (or null). */
export interface About {
  model: string | null;
  version: string | null;
}

/** Events that belong to one logical call. */
export interface InCall extends About {
  requestId: string;
}

/** Why an attempt ended without an HTTP answer. */
export type AttemptErrorCode = 'TIMEOUT' | 'CONNECTION_ERROR' | 'ABORTED';

/**
 * Everything the client reports, for metrics (Prometheus, OTel) and logs: exactly the events of
 * docs/semantics.md "Events", with camelCase fields, in that order. Events never carry tokens,
 * headers, URLs or inference inputs/outputs; `path` is the operation path below `baseUrl`.
 *
 * @example
 * createClient({
 *   baseUrl,
 *   onEvent: (e) => {
 *     if (e.type === 'response') histogram.observe({ model: e.model ?? 'gateway', status: e.status }, e.latencyMs);
 *     if (e.type === 'retry') retries.inc({ model: e.model ?? 'gateway', code: e.errorCode });
 *   },
 * });
 */
export type ModelwireEvent =
  | ({ type: 'cache_hit'; tier: 'memory' | 'redis' } & InCall)
  | ({ type: 'coalesced'; tier: 'memory' | 'redis' } & InCall)
  | ({ type: 'cache_miss' | 'cache_stale' } & InCall)
  | ({ type: 'fleet_entry_rejected'; reason: string } & About)
  | { type: 'fleet_unavailable'; reason: string }
  | { type: 'fleet_available' }
  | ({ type: 'request'; attempt: number; method: string; path: string } & InCall)
  | ({ type: 'response'; attempt: number; method: string; path: string; status: number; latencyMs: number } & InCall)
  | ({ type: 'request_error'; attempt: number; method: string; path: string; errorCode: AttemptErrorCode; latencyMs: number } & InCall)
  | ({
      type: 'breaker_open' | 'breaker_half_open' | 'breaker_close' /** Opened on the fleet's word (a quorum of other instances). */;
      fleet?: true;
    } & About)
  | ({ type: 'retry'; attempt: number; delayMs: number; errorCode: string } & InCall)
  | ({ type: 'fallback'; to: string; reason: 'circuit_open' | 'retries_exhausted' } & InCall)
  | ({ type: 'call_end' } & CallEnd & InCall);

/** How a logical call settled: the last event of every call (docs/semantics.md "Events"). */
export interface CallEnd {
  /** The snake_case operation name: `predict`, `submit_job`, `get_job`, … */
  operation: string;
  /** `ok`, or the error's `code` (`MODEL_UNAVAILABLE`, `TIMEOUT`, `DEADLINE_EXCEEDED`, …). */
  outcome: string;
  /** End to end, retries, fallback and token wait included. */
  latencyMs: number;
  attempts: number;
  cached: boolean;
  coalesced: boolean;
  /** The backup model that was called, or null. */
  fallback: string | null;
}

/** Calls the user's hook without letting its exceptions break a call. */
export function emitter(hook: ((event: ModelwireEvent) => void) | undefined): (event: ModelwireEvent) => void {
  if (!hook) return () => {};
  return (event) => {
    try {
      hook(event);
    } catch {
      // A metrics hook must never change the outcome of a call.
    }
  };
}
