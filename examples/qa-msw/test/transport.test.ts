/**
 * Why the QA client needs `fetch`: msw's setupServer intercepts the global `fetch` (and http/https
 * requests), not undici's `request()` that @modelwire/client uses by default in Node. A real server
 * sits behind the mocked URL here, so a request msw misses visibly reaches it (HTTP 418).
 * (Not asserted, because it depends on connection reuse: `fetch: globalThis.fetch` evaluated BEFORE
 * `server.listen()` holds the unpatched fetch and may bypass msw. Use the arrow below, or create the
 * client after `listen()`.)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, ServerError } from '@modelwire/client';
import { createModelwireHandlers, createTestClient } from '@modelwire/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let realHits = 0;
const real = createServer((_req, res) => {
  realHits++;
  res.writeHead(418, { 'content-type': 'text/plain' }).end('the real network');
});
await new Promise<void>((resolve) => real.listen(0, '127.0.0.1', resolve));
const API = `http://127.0.0.1:${(real.address() as AddressInfo).port}/v1`;

// Created before server.listen(), as a client built at import time of the code under test would be.
const common = { baseUrl: API, retry: { maxRetries: 0 }, cache: false } as const;
const lateBound = createClient({ ...common, fetch: (input, init) => globalThis.fetch(input, init) });
const undiciDefault = createClient(common);
const oneLiner = createTestClient(common);

const server = setupServer(...createModelwireHandlers({ baseUrl: API }));
beforeAll(() => server.listen({ onUnhandledFrame: 'bypass', onUnhandledRequest: 'bypass' } as Parameters<typeof server.listen>[0]));
afterAll(() => {
  server.close();
  real.close();
});

const predict = (client: typeof lateBound) => client.predict('fraud-score', { amount: 25, country: 'FR' });

describe('which client transport msw intercepts', () => {
  it('fetch: (input, init) => globalThis.fetch(input, init) — msw answers, whenever the client was created', async () => {
    const before = realHits;
    const p = await predict(lateBound);
    expect(p.model.name).toBe('fraud-score');
    expect(realHits).toBe(before);
  });

  it('createTestClient(options) — the one line for QA: msw answers', async () => {
    const before = realHits;
    const p = await predict(oneLiner);
    expect(p.model.name).toBe('fraud-score');
    expect(realHits).toBe(before);
  });

  it('the default undici transport bypasses msw and reaches the network', async () => {
    const before = realHits;
    const error = await predict(undiciDefault).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ httpStatus: 418 });
    expect(realHits).toBe(before + 1);
  });
});
