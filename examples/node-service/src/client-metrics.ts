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

/**
 * Creates the registry and the `onEvent` handler to pass to `createClient`.
 *
 * @example
 * const metrics = createClientMetrics();
 * const client = createClient({ baseUrl, onEvent: metrics.onEvent });
 * res.end(metrics.registry.render());
 */
export function createClientMetrics(registry = new Registry()) {
  const requests = registry.add(
    new Series(
      'modelwire_requests_total',
      'HTTP attempts to the gateway by model and status (the HTTP status, or the failure kind).',
      'counter',
    ),
  );
  const retries = registry.add(new Series('modelwire_retries_total', 'Retries scheduled by the client, by model.', 'counter'));
  const cacheHits = registry.add(new Series('modelwire_cache_hits_total', 'Predictions served from the client cache.', 'counter'));
  const cacheMisses = registry.add(new Series('modelwire_cache_misses_total', 'Predictions not in the client cache.', 'counter'));
  const breakerTransitions = registry.add(
    new Series('modelwire_breaker_transitions_total', 'Circuit breaker state changes, by model, version and new state.', 'counter'),
  );
  const breakerState = registry.add(
    new Series('modelwire_breaker_state', 'Current circuit breaker state: 0 closed, 1 half-open, 2 open.', 'gauge'),
  );
  const fallbacks = registry.add(new Series('modelwire_fallbacks_total', 'Calls answered by a backup model, by reason.', 'counter'));
  const latency = registry.add(
    new Histogram('modelwire_request_duration_seconds', 'Latency of one HTTP attempt to the gateway.', LATENCY_BUCKETS),
  );

  function onEvent(event: ModelwireEvent): void {
    switch (event.type) {
      case 'response': {
        const model = event.model ?? '';
        requests.inc({ model, status: String(event.status) });
        latency.observe({ model }, event.latencyMs / 1000);
        break;
      }
      case 'request_error': {
        const model = event.model ?? '';
        requests.inc({ model, status: event.kind.toLowerCase() });
        latency.observe({ model }, event.latencyMs / 1000);
        break;
      }
      case 'retry':
        retries.inc({ model: event.model ?? '' });
        break;
      case 'cache_hit':
        cacheHits.inc({ model: event.model });
        break;
      case 'cache_miss':
        cacheMisses.inc({ model: event.model });
        break;
      case 'breaker_open':
      case 'breaker_half_open':
      case 'breaker_close': {
        const labels = { model: event.model, version: event.version ?? '' };
        breakerTransitions.inc({ ...labels, state: BREAKER_STATE_NAME[event.type] });
        breakerState.set(labels, BREAKER_STATE_VALUE[event.type]);
        break;
      }
      case 'fallback':
        fallbacks.inc({ from: event.from, to: event.to, reason: event.reason });
        break;
      default:
        // request, cache_stale, coalesced: not exported here.
        break;
    }
  }

  return { registry, onEvent };
}
