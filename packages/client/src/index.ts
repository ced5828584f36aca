/**
 * The Node entry of `@modelwire/client` (browsers get the same API through the `browser` export
 * condition, with the ky transport): {@link createClient} and everything the client exports.
 *
 * @module index
 */
// Node entry: the undici transport by default (fast path), ky when a custom `fetch` is given.
import { createClientWith, type ModelwireClient } from './client.js';
import type { ClientOptions } from './options.js';
import { loadOtelApi } from './telemetry/load-otel-api.js';
import { kyTransport } from './transport/ky-transport.js';
import { undiciTransport } from './transport/undici-transport.js';

export * from './public.js';
export { undiciTransport };

/**
 * Creates a modelwire client (Node: undici transport — on your own `dispatcher` if given — unless you pass `fetch` or `transport`).
 *
 * @example
 * import { createClient } from '@modelwire/client';
 * const client = createClient({ baseUrl: 'http://127.0.0.1:4010/v1', auth: { token: 't-alice' } });
 * const p = await client.predict('fraud-score', { amount: 120, country: 'FR', card_present: false });
 * console.log(p.result.label, p.confidence, p.requestId);
 */
export function createClient(options: ClientOptions): ModelwireClient {
  return createClientWith(
    options,
    (o) => (o.fetch ? kyTransport(o.fetch) : undiciTransport(o.dispatcher ? { dispatcher: o.dispatcher } : {})),
    loadOtelApi,
  );
}
