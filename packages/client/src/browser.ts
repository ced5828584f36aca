// Browser entry: ky over fetch only (no undici, no node: imports).
import { createClientWith, type ModelwireClient } from './client.js';
import type { ClientOptions } from './options.js';
import { kyTransport } from './transport/ky-transport.js';

export * from './public.js';

/**
 * Creates a modelwire client for browsers (ky over `fetch`).
 *
 * @example
 * const client = createClient({ baseUrl: 'https://gateway.example/v1', auth: { getToken: () => session.token } });
 */
export function createClient(options: ClientOptions): ModelwireClient {
  return createClientWith(options, (o) => kyTransport(o.fetch));
}
