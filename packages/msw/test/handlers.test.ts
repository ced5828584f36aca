import { describe, expect, it } from 'vitest';
import { createMockState, createModelwireHandlers, DEFAULT_BASE_URL, predictHandler } from '../src/index.js';
import { BASE, ORIGIN, predict, useMockServer } from './setup-server.js';

let now = 1_800_000_000_000;
const { state } = useMockServer({ now: () => now });

describe('handlers', () => {
  it('lists models, health and info', async () => {
    const list = await (await fetch(`${BASE}/models`)).json();
    expect(list.result.models.map((m: { name: string }) => m.name)).toEqual(['fraud-score', 'fraud-score-backup', 'sentiment']);
    const health = await (await fetch(`${BASE}/models/fraud-score/health`)).json();
    expect(health.result).toEqual({
      model: 'fraud-score',
      state: 'ready',
      versions: [
        { version: '1', state: 'ready' },
        { version: '2', state: 'ready' },
      ],
    });
    const info = await (await fetch(`${BASE}/models/sentiment/info`)).json();
    expect(info.result.input_schema.required).toEqual(['text']);
  });

  it('predicts with the default or pinned version and echoes ids', async () => {
    const res = await predict(
      'fraud-score',
      { amount: 10 },
      { 'x-request-id': 'abc', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    );
    expect(res.headers.get('x-model-version')).toBe('2');
    expect(res.headers.get('x-request-id')).toBe('abc');
    const body = await res.json();
    expect(body).toMatchObject({
      request_id: 'abc',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      model: { name: 'fraud-score', version: '2' },
    });
    const v1 = await predict('fraud-score', { amount: 10 }, { 'x-model-version': '1' });
    expect((await v1.json()).model.version).toBe('1');
    expect((await predict('fraud-score', { amount: 10 }, { 'x-model-version': '3' })).status).toBe(404);
  });

  it('uses the body request_id when there is no X-Request-Id header', async () => {
    const res = await fetch(`${BASE}/models/sentiment/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: 'from-body', data: {} }),
    });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.request_id).toBe('from-body');
    expect(body.errors).toEqual([{ field: '/text', message: "must have required property 'text'" }]);
  });

  it('makes jobs idempotent per Idempotency-Key and advances them on reads', async () => {
    const submit = () =>
      fetch(`${BASE}/models/fraud-score/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'same', 'x-model-version': '1' },
        body: JSON.stringify({ request_id: 'j1', data: { amount: 50 } }),
      });
    const a = (await (await submit()).json()).result;
    const b = (await (await submit()).json()).result;
    expect(b.job_id).toBe(a.job_id);
    expect(a).toMatchObject({ state: 'queued', version: '1', model: 'fraud-score' });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await (await fetch(`${BASE}/models/fraud-score/jobs/${a.job_id}`)).json()).result.state);
    expect(states).toEqual(['running', 'succeeded', 'succeeded']);
    // Another model cannot see the job.
    expect((await fetch(`${BASE}/models/sentiment/jobs/${a.job_id}`)).status).toBe(404);
  });

  it('records feedback', async () => {
    const res = await fetch(`${BASE}/models/sentiment/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: 'p1', label: 'positive' }),
    });
    expect(res.status).toBe(202);
    expect((await res.json()).result).toEqual({ feedback_id: 'fb_000001', accepted: true });
    expect(state.feedback).toEqual([{ feedback_id: 'fb_000001', model: 'sentiment', body: { request_id: 'p1', label: 'positive' } }]);
  });

  it('issues OIDC tokens and expires them on the injected clock', async () => {
    state.auth.configure({ oidc_clients: [{ client_id: 'svc', client_secret: 's', token_ttl_s: 10, scopes: ['models:read'] }] });
    const res = await fetch(`${ORIGIN}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 's' }),
    });
    const { access_token, expires_in, scope } = await res.json();
    expect([expires_in, scope]).toEqual([10, 'models:read']);
    const auth = { authorization: `Bearer ${access_token}` };
    expect((await fetch(`${BASE}/models`, { headers: auth })).status).toBe(200);
    expect((await predict('sentiment', { text: 'x' }, auth)).status).toBe(403);
    now += 10_000;
    expect((await fetch(`${BASE}/models`, { headers: auth })).status).toBe(401);
  });

  it('answers unknown routes under the base URL with 404 NOT_FOUND', async () => {
    const res = await fetch(`${BASE}/models/sentiment/explain`, { method: 'PUT' });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('NOT_FOUND');
  });

  it('builds handlers for another base URL and rejects a relative one', () => {
    expect(createModelwireHandlers({ baseUrl: 'http://localhost:9/api/v1/', state: createMockState() })).toHaveLength(12);
    expect(() => predictHandler({ baseUrl: '/v1' })).toThrow(/absolute URL/);
    expect(DEFAULT_BASE_URL).toBe('http://127.0.0.1:4010/v1');
  });
});
