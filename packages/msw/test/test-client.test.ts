import { createClient } from '@modelwire/client';
import { describe, expect, it } from 'vitest';
import { createTestClient, DEFAULT_BASE_URL, unavailable } from '../src/index.js';
import { useMockServer } from './setup-server.js';

const { server } = useMockServer();
const TX = { amount: 12, country: 'FR', card_present: true };

describe('createTestClient: one line for QA', () => {
  it('is seen by msw: real model answers and scenario helpers apply', async () => {
    const client = createTestClient({ retry: { maxRetries: 1, backoffInitialMs: 1, jitter: 'none' } });
    server.use(unavailable(1, { model: 'fraud-score' }));
    const p = await client.predict('fraud-score', TX);
    expect(p.attempts).toBe(2);
    expect(p.result.label).toMatch(/^(fraud|legit)$/);
    await client.close();
  });

  it('keeps the caller options, including another base URL the handlers do not serve', async () => {
    const client = createTestClient({ baseUrl: 'http://127.0.0.1:4011/v1', retry: { maxRetries: 0 } });
    // onUnhandledRequest: 'error' makes msw refuse the request: the miss is loud, not a real connection.
    await expect(client.health()).rejects.toMatchObject({ code: 'CONNECTION_ERROR' });
    await client.close();
  });
});

describe('a client msw cannot see says so', () => {
  it('names the fix when the default Node transport finds nothing on loopback', async () => {
    // Port 9 (discard) on loopback: nothing listens on this machine kind; the default transport bypasses msw.
    const client = createClient({ baseUrl: 'http://127.0.0.1:9/v1', retry: { maxRetries: 0 } });
    const error = (await client.health().catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CONNECTION_ERROR' });
    expect(error.message).toContain('createTestClient');
    expect(error.message).toContain('ECONNREFUSED');
    await client.close();
    expect(DEFAULT_BASE_URL).toBe('http://127.0.0.1:4010/v1');
  });
});
