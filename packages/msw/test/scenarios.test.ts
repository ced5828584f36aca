import { createHmac } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  connectionReset,
  jobLifecycle,
  latency,
  malformedJson,
  rateLimited,
  unavailable,
  unknownVersion,
  validationError,
} from '../src/index.js';
import { BASE, predict, useMockServer } from './setup-server.js';

const { server, state } = useMockServer();
const TX = { amount: 20 };

describe('scenario helpers', () => {
  it('unavailable(n) answers 503 n times, then the model recovers', async () => {
    server.use(unavailable(2, { model: 'fraud-score', retryAfterSeconds: 1 }));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await predict('fraud-score', TX)).status);
    expect(statuses).toEqual([503, 503, 200]);
    // Only the targeted model is affected.
    server.use(unavailable(1, { model: 'fraud-score' }));
    expect((await predict('fraud-score-backup', TX)).status).toBe(200);
    const res = await predict('fraud-score', TX, { 'x-request-id': 'u1' });
    expect(await res.json()).toMatchObject({ code: 'MODEL_UNAVAILABLE', request_id: 'u1' });
  });

  it('latency(ms) delays and then the real model answers', async () => {
    server.use(latency(40));
    const started = performance.now();
    const res = await predict('sentiment', { text: 'great' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect((await res.json()).result.label).toBe('positive');
  });

  it('validationError(fields) answers 422 with the field errors', async () => {
    server.use(validationError({ '/amount': 'must be below 10000' }));
    const res = await predict('fraud-score', TX);
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: '/amount', message: 'must be below 10000' }]);
  });

  it('rateLimited(s) answers 429 with Retry-After, times limits it', async () => {
    server.use(rateLimited(7, { times: 1 }));
    const res = await predict('fraud-score', TX);
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await predict('fraud-score', TX)).status).toBe(200);
  });

  it('malformedJson() answers a body that does not parse', async () => {
    server.use(malformedJson());
    const res = await predict('fraud-score', TX);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('connectionReset() fails at the network level', async () => {
    server.use(connectionReset({ times: 1 }));
    await expect(predict('fraud-score', TX)).rejects.toThrow(TypeError);
    expect((await predict('fraud-score', TX)).status).toBe(200);
  });

  it('unknownVersion(v) retires a pinned version only', async () => {
    server.use(unknownVersion('1', { model: 'fraud-score' }));
    expect((await predict('fraud-score', TX, { 'x-model-version': '1' })).status).toBe(404);
    expect((await predict('fraud-score', TX, { 'x-model-version': '2' })).status).toBe(200);
    expect((await predict('fraud-score', TX)).status).toBe(200);
  });

  it('jobLifecycle() runs queued → running → failed and POSTs a signed callback', async () => {
    const received: Array<{ signature: string | null; body: string }> = [];
    const jobs = jobLifecycle({ outcome: 'failed', webhookSecret: 's3cret', state });
    server.use(
      ...jobs,
      http.post('https://orders.example.internal/hooks/modelwire', async ({ request }) => {
        received.push({ signature: request.headers.get('x-modelwire-signature'), body: await request.text() });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const submit = await fetch(`${BASE}/models/fraud-score/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: 'job-1', data: TX, callback_url: 'https://orders.example.internal/hooks/modelwire' }),
    });
    const { job_id } = (await submit.json()).result;
    const read = async () => (await (await fetch(`${BASE}/models/fraud-score/jobs/${job_id}`)).json()).result;
    expect((await read()).state).toBe('running');
    expect(received).toHaveLength(0);
    const failed = await read();
    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({ code: 'INTERNAL', message: 'model raised an exception' });
    expect(received).toHaveLength(1);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(received[0]?.signature ?? '') ?? [];
    expect(v1).toBe(createHmac('sha256', 's3cret').update(`${t}.${received[0]?.body}`).digest('hex'));
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(300);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ request_id: 'job-1', result: { job_id, state: 'failed' } });
    expect(jobs.store.callbacks[0]).toMatchObject({ status: 204, state: 'failed' });
  });
});
