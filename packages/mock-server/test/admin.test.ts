import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.server.close());
beforeEach(async () => {
  expect((await h.admin('reset', {})).status).toBe(204);
});

const PREDICT = '/v1/models/fraud-score/predict';
const TX = { amount: 129.5, country: 'FR', card_present: false };

describe('real models over HTTP', () => {
  it('serves health, predictions and echoes ids', async () => {
    const live = await fetch(`${h.server.apiUrl}/health/live`);
    expect(live.status).toBe(200);
    const res = await h.predict('fraud-score', TX, {
      'x-request-id': 'rid-7',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('rid-7');
    expect(res.headers.get('x-model-version')).toBe('2');
    const body = await res.json();
    expect(body).toMatchObject({ status: 'success', request_id: 'rid-7', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(body.model).toEqual({ name: 'fraud-score', version: '2' });
    expect(body.result.label).toBe('legit');
  });

  it('pins versions and answers 404 for an unknown one', async () => {
    const v1 = await h.predict('fraud-score', TX, { 'x-model-version': '1' });
    expect(v1.headers.get('x-model-version')).toBe('1');
    expect((await v1.json()).model.version).toBe('1');
    const v9 = await h.predict('fraud-score', TX, { 'x-model-version': '9', 'x-request-id': 'r9' });
    expect(v9.status).toBe(404);
    expect(await v9.json()).toMatchObject({ status: 'error', code: 'NOT_FOUND', request_id: 'r9' });
  });

  it('answers unknown routes with a 404 envelope', async () => {
    for (const path of ['/nope', '/v1/nope', '/v1/models/fraud-score/explain']) {
      const res = await fetch(`${h.server.url}${path}`, { headers: { 'x-request-id': 'x1' } });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ status: 'error', code: 'NOT_FOUND', request_id: 'x1' });
    }
  });
});

describe('POST /__admin/scenario', () => {
  it('consumes scripted responses in order, then passes through', async () => {
    await h.admin('scenario', {
      routes: [
        {
          method: 'POST',
          path: PREDICT,
          responses: [{ status: 503, headers: { 'Retry-After': '0' } }, { status: 500 }],
          then: 'passthrough',
        },
      ],
    });
    const first = await h.predict('fraud-score', TX, { 'x-request-id': 'abc' });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('0');
    expect(first.headers.get('x-request-id')).toBe('abc');
    expect(await first.json()).toMatchObject({ status: 'error', code: 'MODEL_UNAVAILABLE', request_id: 'abc' });
    const second = await h.predict('fraud-score', TX);
    expect(second.status).toBe(500);
    expect((await second.json()).code).toBe('INTERNAL');
    const third = await h.predict('fraud-score', TX);
    expect(third.status).toBe(200);
    // Other routes are untouched by the script.
    expect((await h.predict('fraud-score-backup', TX)).status).toBe(200);
  });

  it('repeats the last response with then: repeat_last', async () => {
    await h.admin('scenario', {
      routes: [
        {
          method: 'post',
          path: PREDICT,
          responses: [{ status: 429, headers: { 'Retry-After': '3' } }],
          then: 'repeat_last',
        },
      ],
    });
    for (let i = 0; i < 3; i++) {
      const res = await h.predict('fraud-score', TX);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
    }
  });

  it('sends body and raw_body as given', async () => {
    await h.admin('scenario', {
      routes: [
        {
          method: 'POST',
          path: PREDICT,
          responses: [
            { status: 200, body: { hello: 'world' } },
            { status: 502, raw_body: '<html>bad gateway</html>', headers: { 'Content-Type': 'text/html' } },
            { raw_body: '{"status":"succ' },
          ],
        },
      ],
    });
    const a = await h.predict('fraud-score', TX);
    expect(await a.json()).toEqual({ hello: 'world' });
    const b = await h.predict('fraud-score', TX);
    expect(b.status).toBe(502);
    expect(b.headers.get('content-type')).toBe('text/html');
    expect(await b.text()).toBe('<html>bad gateway</html>');
    const c = await h.predict('fraud-score', TX);
    expect(c.status).toBe(200);
    expect(c.headers.get('content-type')).toBe('application/json');
    expect(await c.text()).toBe('{"status":"succ');
  });

  it('delays, and resets connections', async () => {
    await h.admin('scenario', { routes: [{ method: 'POST', path: PREDICT, responses: [{ delay_ms: 60 }, { reset: true }] }] });
    const started = performance.now();
    const slow = await h.predict('fraud-score', TX);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(slow.status).toBe(200);
    expect((await slow.json()).result.label).toBe('legit');
    await expect(h.predict('fraud-score', TX)).rejects.toThrow();
    expect((await h.predict('fraud-score', TX)).status).toBe(200);
  });

  it('overrides the real answer with a success status and headers', async () => {
    await h.admin('scenario', {
      routes: [{ method: 'GET', path: '/v1/models', responses: [{ status: 203, headers: { 'X-Extra': 'yes' } }] }],
    });
    const res = await fetch(`${h.server.apiUrl}/models`);
    expect(res.status).toBe(203);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect((await res.json()).result.models).toHaveLength(3);
  });

  it('rejects an invalid scenario with a useful message', async () => {
    const res = await h.admin('scenario', { routes: [{ method: 'POST', responses: [] }] });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/path/);
    const bad = await fetch(`${h.server.url}/__admin/scenario`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
  });
});

describe('GET /__admin/requests and reset', () => {
  it('logs requests with lower-case headers and parsed bodies, not admin calls', async () => {
    await h.predict('sentiment', { text: 'great' }, { 'x-request-id': 'r-log', 'Idempotency-Key': 'k1' });
    await fetch(`${h.server.apiUrl}/models/sentiment/feedback`, { method: 'POST', body: 'not json' });
    const log = await h.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      seq: 1,
      method: 'POST',
      path: '/v1/models/sentiment/predict',
      body: { request_id: 'r-log', data: { text: 'great' } },
    });
    const headers = log[0]?.headers as Record<string, string>;
    expect(headers['x-request-id']).toBe('r-log');
    expect(headers['idempotency-key']).toBe('k1');
    expect(Object.keys(headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(log[1]).toMatchObject({ seq: 2, body: 'not json' });
  });

  it('reset clears the log, scripts and auth', async () => {
    await h.admin('scenario', { routes: [{ method: 'GET', path: '/v1/models', responses: [{ status: 500 }] }], auth: { tokens: ['t'] } });
    await fetch(`${h.server.apiUrl}/health/live`);
    await h.admin('reset', {});
    expect(await h.requests()).toEqual([]);
    expect((await fetch(`${h.server.apiUrl}/models`)).status).toBe(200);
  });
});
