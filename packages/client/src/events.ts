/** The breaker states. @example client.breakerState('fraud-score') === 'open' */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Everything the client reports, for metrics (Prometheus, OTel) and logs. Events never carry request
 * bodies or tokens; `headers` in request events are already redacted.
 *
 * @example
 * createClient({ baseUrl, onEvent: (e) => { if (e.type === 'response') histogram.observe(e.latencyMs); } });
 */
export type ModelwireEvent =
  | { type: 'request'; model?: string; method: string; url: string; requestId: string; attempt: number; headers: Record<string, string> }
  | { type: 'response'; model?: string; method: string; url: string; requestId: string; attempt: number; status: number; latencyMs: number }
  | { type: 'request_error'; model?: string; requestId: string; attempt: number; kind: string; latencyMs: number }
  | { type: 'retry'; model?: string; requestId: string; attempt: number; delayMs: number; reason: string }
  | { type: 'cache_hit' | 'cache_miss' | 'cache_stale'; model: string; requestId: string }
  | { type: 'coalesced'; model: string; requestId: string }
  | { type: 'breaker_open' | 'breaker_half_open' | 'breaker_close'; model: string; version: string | null }
  | { type: 'fallback'; from: string; to: string; reason: string; requestId: string };

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
