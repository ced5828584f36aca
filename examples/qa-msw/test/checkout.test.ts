/**
 * What a QA engineer writes: the checkout service asks the fraud model before charging a card.
 * The gateway is mocked with @modelwire/msw; each test scripts one failure the service must survive.
 */
import { createMockState, createModelwireHandlers, jobLifecycle, latency, rateLimited, unavailable, validationError } from '@modelwire/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const API = 'http://127.0.0.1:4010/v1';

// The code under test: a tiny checkout decision with its own retry of 503s (plain fetch).
async function decide(
  amount: number,
  country: string,
  attempts = 3,
): Promise<{ decision: 'approve' | 'review' | 'reject'; tries: number }> {
  for (let tries = 1; ; tries++) {
    const res = await fetch(`${API}/models/fraud-score/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `order-${amount}` },
      body: JSON.stringify({ request_id: `order-${amount}`, data: { amount, country, card_present: false } }),
    });
    if (res.status === 503 && tries < attempts) continue;
    if (!res.ok) return { decision: 'review', tries };
    const { result } = await res.json();
    if (result.confidence < 0.6) return { decision: 'review', tries };
    return { decision: result.label === 'fraud' ? 'reject' : 'approve', tries };
  }
}

const state = createMockState();
const server = setupServer(...createModelwireHandlers({ state }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  state.reset();
});
afterAll(() => server.close());

describe('checkout against the mocked fraud model', () => {
  it('approves a small domestic order and rejects a large foreign night-time one', async () => {
    expect(await decide(25, 'FR')).toEqual({ decision: 'approve', tries: 1 });
    const res = await fetch(`${API}/models/fraud-score/predict`, {
      method: 'POST',
      body: JSON.stringify({ request_id: 'o2', data: { amount: 9000, country: 'US', card_present: false, hour: 2 } }),
    });
    expect((await res.json()).result.label).toBe('fraud');
  });

  it('survives two 503s from a restarting model', async () => {
    server.use(unavailable(2, { model: 'fraud-score' }));
    expect(await decide(25, 'FR')).toEqual({ decision: 'approve', tries: 3 });
  });

  it('sends the order to manual review when the model keeps failing', async () => {
    server.use(unavailable(5));
    expect(await decide(25, 'FR')).toEqual({ decision: 'review', tries: 3 });
  });

  it('sends the order to review on a 429 or a 422 instead of retrying', async () => {
    server.use(rateLimited(30, { times: 1 }));
    expect(await decide(25, 'FR')).toEqual({ decision: 'review', tries: 1 });
    server.use(validationError({ '/country': 'unknown country' }, { times: 1 }));
    expect(await decide(25, 'FR')).toEqual({ decision: 'review', tries: 1 });
  });

  it('still answers when the model is slow', async () => {
    server.use(latency(30));
    expect((await decide(25, 'FR')).decision).toBe('approve');
  });

  it('batch scoring: a job that fails is reported as failed', async () => {
    server.use(...jobLifecycle({ outcome: 'failed', state }));
    const submit = await fetch(`${API}/models/fraud-score/jobs`, {
      method: 'POST',
      body: JSON.stringify({ request_id: 'batch-1', data: { amount: 10 } }),
    });
    const { job_id } = (await submit.json()).result;
    let job = { state: 'queued' };
    for (let polls = 0; polls < 5 && !['succeeded', 'failed'].includes(job.state); polls++) {
      job = (await (await fetch(`${API}/models/fraud-score/jobs/${job_id}`)).json()).result;
    }
    expect(job.state).toBe('failed');
  });
});
