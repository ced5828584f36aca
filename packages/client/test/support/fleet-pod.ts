import { createClient, type FleetOptions, type ModelwireEvent } from '../../src/index.js';

/**
 * One instance of a fleet in a test: a client in fleet mode (quorum 2, breaker opening at the first failure, no
 * retries) that records its events.
 *
 * @example const a = fleetPod(gateway.url, redis, 'pod-a'); await a.client.predict('fraud-score', { amount: 1 });
 */
export function fleetPod(baseUrl: string, redis: FleetOptions['redis'], name: string) {
  const events: ModelwireEvent[] = [];
  const client = createClient({
    baseUrl,
    retry: { maxRetries: 0 },
    breaker: { consecutiveFailures: 1, resetTimeoutMs: 60_000 },
    fleet: { redis, quorum: 2, instanceId: name },
    onEvent: (e) => events.push(e),
  });
  return { client, events };
}
