import { describe, expect, it } from 'vitest';
import { createClientMetrics } from '../src/client-metrics.ts';
import { Histogram, Registry, Series } from '../src/prometheus.ts';

describe('Prometheus text format', () => {
  it('renders counters with escaped labels, HELP and TYPE first', () => {
    const registry = new Registry();
    const c = registry.add(new Series('x_total', 'Things.', 'counter'));
    c.inc({ path: 'a"b\\c\nd' });
    c.inc({ path: 'a"b\\c\nd' }, 2);
    c.inc();
    expect(registry.render()).toBe('# HELP x_total Things.\n# TYPE x_total counter\nx_total{path="a\\"b\\\\c\\nd"} 3\nx_total 1\n');
  });

  it('renders cumulative histogram buckets, +Inf, sum and count', () => {
    const registry = new Registry();
    const h = registry.add(new Histogram('lat_seconds', 'Latency.', [0.1, 1]));
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe({ model: 'm' }, v);
    expect(registry.render().split('\n')).toEqual([
      '# HELP lat_seconds Latency.',
      '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{model="m",le="0.1"} 2',
      'lat_seconds_bucket{model="m",le="1"} 3',
      'lat_seconds_bucket{model="m",le="+Inf"} 4',
      'lat_seconds_sum{model="m"} 3.65',
      'lat_seconds_count{model="m"} 4',
      '',
    ]);
  });

  it('maps client events to metrics (latency in seconds, breaker state gauge follows transitions)', () => {
    const { registry, onEvent } = createClientMetrics();
    const call = { model: 'm', version: null, requestId: 'r' };
    onEvent({ type: 'response', ...call, attempt: 1, method: 'POST', path: '/models/m/predict', status: 503, latencyMs: 30 });
    onEvent({
      type: 'request_error',
      ...call,
      attempt: 2,
      method: 'POST',
      path: '/models/m/predict',
      errorCode: 'CONNECTION_ERROR',
      latencyMs: 2,
    });
    onEvent({ type: 'breaker_open', model: 'm', version: null });
    onEvent({ type: 'breaker_half_open', model: 'm', version: null });
    const text = registry.render();
    expect(text).toContain('modelwire_requests_total{model="m",status="503"} 1');
    expect(text).toContain('modelwire_requests_total{model="m",status="connection_error"} 1');
    expect(text).toContain('modelwire_request_duration_seconds_bucket{model="m",le="0.025"} 1'); // the 2 ms one
    expect(text).toContain('modelwire_request_duration_seconds_bucket{model="m",le="0.05"} 2');
    expect(text).toContain('modelwire_request_duration_seconds_sum{model="m"} 0.032');
    expect(text).toContain('modelwire_breaker_state{model="m",version=""} 1');
    expect(text).toContain('modelwire_breaker_transitions_total{model="m",version="",state="open"} 1');
  });
});
