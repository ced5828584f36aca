import type { ModelwireEvent } from '../events.js';
import type { OtelAttributes, OtelMeter } from './otel-api.js';
import { serverOf } from './url-full.js';

/** The semconv advisory buckets of `http.client.request.duration` (seconds). */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const BREAKER_STATE = { breaker_open: 'open', breaker_half_open: 'half-open', breaker_close: 'closed' } as const;
const CACHE_RESULT = { cache_hit: 'hit', cache_miss: 'miss', cache_stale: 'stale' } as const;

/**
 * The metrics of docs/semantics.md "Telemetry", derived from the event stream alone (so they can never
 * disagree with `onEvent`): returns the listener that records each event into its instrument.
 *
 * @example const record = metricsFromEvents(meter, 'http://127.0.0.1:4010/v1'); record(event);
 */
export function metricsFromEvents(meter: OtelMeter, baseUrl: string): (event: ModelwireEvent) => void {
  const server = serverOf(baseUrl);
  const httpDuration = meter.createHistogram('http.client.request.duration', {
    description: 'Duration of HTTP client requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
  });
  const callDuration = meter.createHistogram('modelwire.client.call.duration', {
    description: 'End-to-end duration of modelwire calls (retries, fallback and waits included).',
    unit: 's',
  });
  const calls = meter.createCounter('modelwire.client.calls', { description: 'modelwire calls by outcome.', unit: '{call}' });
  const retries = meter.createCounter('modelwire.client.retries', { description: 'Retried attempts.', unit: '{retry}' });
  const cacheLookups = meter.createCounter('modelwire.client.cache.lookups', { description: 'Cache lookups by result.', unit: '{lookup}' });
  const coalesced = meter.createCounter('modelwire.client.coalesced', {
    description: 'Calls that joined an identical call in flight.',
    unit: '{call}',
  });
  const transitions = meter.createCounter('modelwire.client.breaker.transitions', {
    description: 'Breaker state changes.',
    unit: '{transition}',
  });
  const fleetUnavailable = meter.createCounter('modelwire.client.fleet.unavailable', {
    description: 'Times fleet mode lost Redis and went local-only.',
    unit: '{event}',
  });
  const fallbacks = meter.createCounter('modelwire.client.fallbacks', { description: 'Calls handed to the backup model.', unit: '{call}' });
  const model = (event: { model: string | null }): OtelAttributes => (event.model === null ? {} : { 'modelwire.model': event.model });
  const attempt = (method: string): OtelAttributes => ({
    'http.request.method': method,
    'server.address': server.address,
    'server.port': server.port,
  });

  return (event) => {
    switch (event.type) {
      case 'response': {
        const attributes: OtelAttributes = { ...attempt(event.method), 'http.response.status_code': event.status };
        if (event.status >= 400) attributes['error.type'] = String(event.status);
        httpDuration.record(event.latencyMs / 1000, attributes);
        return;
      }
      case 'request_error':
        httpDuration.record(event.latencyMs / 1000, { ...attempt(event.method), 'error.type': event.errorCode });
        return;
      case 'retry':
        retries.add(1, { ...model(event), 'error.type': event.errorCode });
        return;
      case 'cache_hit':
        cacheLookups.add(1, { ...model(event), 'modelwire.cache.result': 'hit', 'modelwire.cache.tier': event.tier });
        return;
      case 'cache_miss':
      case 'cache_stale':
        cacheLookups.add(1, { ...model(event), 'modelwire.cache.result': CACHE_RESULT[event.type] });
        return;
      case 'fleet_unavailable':
        fleetUnavailable.add(1);
        return;
      case 'coalesced':
        coalesced.add(1, model(event));
        return;
      case 'breaker_open':
      case 'breaker_half_open':
      case 'breaker_close':
        transitions.add(1, { ...model(event), 'modelwire.breaker.state': BREAKER_STATE[event.type] });
        return;
      case 'fallback':
        fallbacks.add(1, { ...model(event), 'modelwire.fallback.to': event.to, 'modelwire.fallback.reason': event.reason });
        return;
      case 'call_end': {
        const attributes: OtelAttributes = { 'modelwire.operation': event.operation, ...model(event), 'modelwire.outcome': event.outcome };
        calls.add(1, attributes);
        callDuration.record(event.latencyMs / 1000, attributes);
        return;
      }
      default:
        return;
    }
  };
}
