/**
 * Prometheus metrics fed by @modelwire/client's `onEvent` hook: requests by status, retries, cache
 * hits/misses, breaker transitions and state, fallbacks, and an attempt latency histogram.
 */
import type { ModelwireEvent } from '@modelwire/client';
import { Histogram, Registry, Series } from './prometheus.ts';

/** Latency buckets (seconds): from a cache-speed 5 ms to the 10 s default per-attempt timeout. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

const BREAKER_STATE_VALUE = { breaker_close: 0, breaker_half_open: 1, breaker_open: 2 } as const;
const BREAKER_STATE_NAME = { breaker_close: 'closed', breaker_half_open: 'half_open', breaker_open: 'open' } as const;

/** Gateway operations (health, list models) have no model: they are labelled `""`. */
const modelLabel = (event: { model: string | null }) => event.model ?? '';

function registerSeries(registry: Registry) {
  const counter = (name: string, help: string) => registry.add(new Series(name, help, 'counter'));
  return {
    requests: counter(
      'modelwire_requests_total',
      'HTTP attempts to the gateway by model and status (the HTTP status, or why there was no answer).',
    ),
    retries: counter('modelwire_retries_total', 'Retries scheduled by the client, by model.'),
    cacheHits: counter('modelwire_cache_hits_total', 'Predictions served from the client cache.'),
    cacheMisses: counter('modelwire_cache_misses_total', 'Predictions not in the client cache.'),
    breakerTransitions: counter('modelwire_breaker_transitions_total', 'Circuit breaker state changes, by model, version and new state.'),
    breakerState: registry.add(
      new Series('modelwire_breaker_state', 'Current circuit breaker state: 0 closed, 1 half-open, 2 open.', 'gauge'),
    ),
    fallbacks: counter('modelwire_fallbacks_total', 'Calls answered by a backup model, by reason.'),
    latency: registry.add(
      new Histogram('modelwire_request_duration_seconds', 'Latency of one HTTP attempt to the gateway.', LATENCY_BUCKETS),
    ),
  };
}

/**
 * Creates the registry and the `onEvent` handler to pass to `createClient`.
 *
 * @example
 * const metrics = createClientMetrics();
 * const client = createClient({ baseUrl, onEvent: metrics.onEvent });
 * res.end(metrics.registry.render());
 */
export function createClientMetrics(registry = new Registry()) {
  const m = registerSeries(registry);

  function onEvent(event: ModelwireEvent): void {
    switch (event.type) {
      case 'response':
        m.requests.inc({ model: modelLabel(event), status: String(event.status) });
        m.latency.observe({ model: modelLabel(event) }, event.latencyMs / 1000);
        break;
      case 'request_error':
        m.requests.inc({ model: modelLabel(event), status: event.errorCode.toLowerCase() });
        m.latency.observe({ model: modelLabel(event) }, event.latencyMs / 1000);
        break;
      case 'retry':
        m.retries.inc({ model: modelLabel(event) });
        break;
      case 'cache_hit':
        m.cacheHits.inc({ model: modelLabel(event) });
        break;
      case 'cache_miss':
        m.cacheMisses.inc({ model: modelLabel(event) });
        break;
      case 'breaker_open':
      case 'breaker_half_open':
      case 'breaker_close': {
        const labels = { model: modelLabel(event), version: event.version ?? '' };
        m.breakerTransitions.inc({ ...labels, state: BREAKER_STATE_NAME[event.type] });
        m.breakerState.set(labels, BREAKER_STATE_VALUE[event.type]);
        break;
      }
      case 'fallback':
        // `model` is the primary model the caller asked for.
        m.fallbacks.inc({ from: modelLabel(event), to: event.to, reason: event.reason });
        break;
      default:
        // request, cache_stale, coalesced: not exported here.
        break;
    }
  }

  return { registry, onEvent };
}
