import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkResponse } from '../../msw/test/contract-validator.js';
import { harness } from './helpers.js';

let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.server.close());

const PREDICT = '/v1/models/fraud-score/predict';

it('scripted error statuses without a body answer contract-valid envelopes', async () => {
  const statuses = [400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504];
  await h.admin('scenario', { routes: [{ method: 'POST', path: PREDICT, responses: statuses.map((status) => ({ status })) }] });
  for (const status of statuses) {
    const res = await h.predict('fraud-score', { amount: 1 }, { 'x-request-id': `s-${status}` });
    expect(res.status).toBe(status);
    const check = checkResponse('POST', '/models/fraud-score/predict', res.status, res.headers, await res.text());
    expect(check.errors, `status ${status}`).toEqual([]);
  }
});

it('real answers over HTTP are contract-valid too', async () => {
  await h.admin('reset', {});
  const calls: Array<[string, string, unknown?]> = [
    ['GET', '/health/ready'],
    ['GET', '/models'],
    ['GET', '/models/fraud-score/info'],
    ['GET', '/models/fraud-score/health'],
    ['POST', '/models/sentiment/predict', { request_id: 'r', data: { text: 'good' } }],
    ['POST', '/models/sentiment/jobs', { request_id: 'r', data: { text: 'good' } }],
    ['POST', '/models/sentiment/feedback', { request_id: 'r', label: 'positive' }],
  ];
  for (const [method, path, body] of calls) {
    const res = await fetch(`${h.server.apiUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const check = checkResponse(method, path, res.status, res.headers, await res.text());
    expect(check.errors, `${method} ${path}`).toEqual([]);
  }
});
