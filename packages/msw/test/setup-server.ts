import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createModelwireHandlers } from '../src/index.js';
import { createMockState } from '../src/state.js';

export const BASE = 'http://127.0.0.1:4010/v1';
export const ORIGIN = 'http://127.0.0.1:4010';

/** One msw server with the default handlers for a test file; handlers added with `use` are dropped after each test. */
export function useMockServer(options: { now?: () => number } = {}) {
  const state = createMockState({ now: options.now });
  const server = setupServer(...createModelwireHandlers({ state }));
  // msw 3 calls it onUnhandledFrame, msw 2 onUnhandledRequest: pass both so the tests run on either.
  beforeAll(() => server.listen({ onUnhandledFrame: 'error', onUnhandledRequest: 'error' } as Parameters<typeof server.listen>[0]));
  afterEach(() => {
    server.resetHandlers();
    state.reset();
  });
  afterAll(() => server.close());
  return { server, state };
}

/** POSTs a prediction envelope. */
export function predict(model: string, data: unknown, headers: Record<string, string> = {}) {
  return fetch(`${BASE}/models/${model}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ request_id: headers['x-request-id'] ?? 'req-1', data }),
  });
}
