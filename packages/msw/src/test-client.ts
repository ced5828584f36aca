import { type ClientOptions, createClient, type ModelwireClient } from '@modelwire/client';
import { DEFAULT_BASE_URL } from './handlers/context.js';

/**
 * The `fetch` to give `@modelwire/client` in tests that mock with msw: it reads `globalThis.fetch`
 * on every call, so it is the one msw patched in `server.listen()` whenever the client was created.
 *
 * @example createClient({ baseUrl, fetch: mswFetch })
 */
export const mswFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/**
 * A `@modelwire/client` that msw's `setupServer` sees (it sends through {@link mswFetch}), on
 * {@link DEFAULT_BASE_URL} unless `options.baseUrl` says otherwise. Every other option is yours.
 *
 * @example
 * const server = setupServer(...createModelwireHandlers());
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = createTestClient({ retry: { maxRetries: 0 } });
 * await client.predict('fraud-score', { amount: 12, country: 'FR', card_present: true });
 */
export function createTestClient(options: Partial<ClientOptions> = {}): ModelwireClient {
  return createClient({ baseUrl: DEFAULT_BASE_URL, fetch: mswFetch, ...options });
}
