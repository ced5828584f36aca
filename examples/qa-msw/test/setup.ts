/**
 * Shared setup for the QA tests: one msw server with the @modelwire/msw handlers, a request log, and a
 * client factory wired the way msw needs it.
 */
import { type ClientOptions, ManualClock } from '@modelwire/client';
import { createMockState, createModelwireHandlers, createTestClient } from '@modelwire/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** The handlers' default base URL: nothing listens there, msw answers everything. */
export const API = 'http://127.0.0.1:4010/v1';

/** One request as msw saw it. */
export interface Seen {
  path: string;
  requestId: string | null;
  idempotencyKey: string | null;
}

/**
 * Starts msw for a test file and returns the server, a per-test request log, and `makeClient`.
 *
 * @example
 * const mock = useModelwireMock();
 * it('…', async () => { mock.server.use(unavailable(2)); await mock.makeClient().predict('fraud-score', { amount: 1 }); });
 */
export function useModelwireMock() {
  const state = createMockState();
  const server = setupServer(...createModelwireHandlers({ state }));
  const seen: Seen[] = [];
  server.events.on('request:start', ({ request }) => {
    seen.push({
      path: new URL(request.url).pathname,
      requestId: request.headers.get('x-request-id'),
      idempotencyKey: request.headers.get('idempotency-key'),
    });
  });
  // msw 3 calls the option onUnhandledFrame, msw 2 onUnhandledRequest: a request no handler knows fails the test.
  beforeAll(() => server.listen({ onUnhandledFrame: 'error', onUnhandledRequest: 'error' } as Parameters<typeof server.listen>[0]));
  beforeEach(() => {
    seen.length = 0;
  });
  afterEach(() => {
    server.resetHandlers();
    state.reset();
  });
  afterAll(() => server.close());

  /**
   * A client as production configures it (backup model, token), made by `createTestClient`, which
   * sends through msw (the default Node transport, undici's `request()`, is not seen by msw), plus:
   * - `clock`: a ManualClock, so backoff and Retry-After waits are recorded instead of slept, and the
   *   breaker's 30 s reset is `clock.advance(30_000)`.
   */
  function makeClient(options: Partial<ClientOptions> = {}) {
    const clock = new ManualClock();
    const client = createTestClient({
      baseUrl: API,
      auth: { token: 'qa-token' },
      fallbacks: { 'fraud-score': 'fraud-score-backup' },
      clock,
      ...options,
    });
    return { client, clock };
  }

  return { server, state, seen, makeClient };
}
