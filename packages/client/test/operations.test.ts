import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  ConflictError,
  createClient,
  DeadlineExceededError,
  ManualClock,
  type ModelwireEvent,
  NotFoundError,
} from '../src/index.js';
import type { HttpRequest, HttpResponse } from '../src/transport/transport.js';

const baseUrl = 'http://127.0.0.1:1/v1';
const ok = (result: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ status: 'success', code: 'OK', message: 'ok', request_id: 'r', trace_id: 't', result, ...extra });
const job = (state: string, result?: unknown) => ({
  job_id: 'job_1',
  model: 'sentiment',
  version: '1',
  state,
  request_id: 'r',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...(result ? { result } : {}),
});

/** A routing fake: answers by "METHOD path" from a table of answer lists, records everything. */
function router(routes: Record<string, Array<Partial<HttpResponse>>>) {
  const requests: HttpRequest[] = [];
  const transport = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const key = `${req.method} ${new URL(req.url).pathname}`;
    const answer = routes[key]?.shift();
    if (!answer)
      return {
        status: 404,
        headers: {},
        body: JSON.stringify({ status: 'error', code: 'NOT_FOUND', message: `no route ${key}`, request_id: 'r', trace_id: 't' }),
      };
    return { status: 200, headers: {}, body: '{}', ...answer };
  };
  return { transport, requests };
}

describe('jobs, feedback, info, health', () => {
  it('submits a job with a callback, polls it with backoff until it succeeds', async () => {
    const clock = new ManualClock();
    const { transport, requests } = router({
      'POST /v1/models/sentiment/jobs': [{ status: 202, body: ok(job('queued'), { code: 'ACCEPTED' }) }],
      'GET /v1/models/sentiment/jobs/job_1': [
        { body: ok(job('queued')) },
        { body: ok(job('running')) },
        { body: ok(job('succeeded', { label: 'positive', confidence: 0.8 })) },
      ],
    });
    const client = createClient({ baseUrl, transport, clock });
    const submitted = await client.submitJob('sentiment', { text: 'great' }, { callbackUrl: 'http://127.0.0.1:9/hook' });
    expect(submitted).toMatchObject({ jobId: 'job_1', state: 'queued' });
    const body = JSON.parse(requests[0]?.body as string);
    expect(body.callback_url).toBe('http://127.0.0.1:9/hook');
    expect(body.meta.input_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(requests[0]?.headers['idempotency-key']).toBeDefined();
    const done = await client.waitForJob('sentiment', 'job_1');
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ label: 'positive', confidence: 0.8 });
    expect(clock.sleeps).toEqual([250, 375]);
  });

  it('waitForJob gives up at its timeout and honours abort', async () => {
    const clock = new ManualClock();
    const running = Array.from({ length: 50 }, () => ({ body: ok(job('running')) }));
    const client = createClient({ baseUrl, transport: router({ 'GET /v1/models/sentiment/jobs/job_1': running }).transport, clock });
    await expect(client.waitForJob('sentiment', 'job_1', { timeoutMs: 1000 })).rejects.toBeInstanceOf(DeadlineExceededError);
    const controller = new AbortController();
    controller.abort();
    await expect(client.waitForJob('sentiment', 'job_1', { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it('cancelling a finished job is a ConflictError; an unknown job is NotFound', async () => {
    const { transport } = router({
      'DELETE /v1/models/sentiment/jobs/job_1': [
        {
          status: 409,
          body: JSON.stringify({ status: 'error', code: 'CONFLICT', message: 'job already succeeded', request_id: 'r', trace_id: 't' }),
        },
      ],
    });
    const client = createClient({ baseUrl, transport });
    await expect(client.cancelJob('sentiment', 'job_1')).rejects.toBeInstanceOf(ConflictError);
    await expect(client.getJob('sentiment', 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('sends feedback with an idempotency key', async () => {
    const { transport, requests } = router({
      'POST /v1/models/fraud-score/feedback': [{ status: 202, body: ok({ feedback_id: 'fb_1', accepted: true }) }],
    });
    const client = createClient({ baseUrl, transport });
    expect(await client.feedback('fraud-score', { requestId: 'req-1', label: 'fraud' })).toEqual({ feedbackId: 'fb_1', accepted: true });
    expect(JSON.parse(requests[0]?.body as string)).toEqual({ request_id: 'req-1', label: 'fraud' });
    expect(requests[0]?.headers['idempotency-key']).toBeDefined();
  });

  it("reads model info and uses the model's min_confidence for lowConfidence", async () => {
    const { transport } = router({
      'GET /v1/models/fraud-score/info': [
        {
          body: ok({
            name: 'fraud-score',
            default_version: '2',
            versions: [],
            traffic: [],
            input_schema: {},
            output_schema: {},
            thresholds: { min_confidence: 0.7 },
          }),
        },
      ],
      'POST /v1/models/fraud-score/predict': [{ body: ok({ confidence: 0.65 }, { model: { name: 'fraud-score', version: '2' } }) }],
    });
    const client = createClient({ baseUrl, transport });
    expect((await client.modelInfo('fraud-score')).thresholds.min_confidence).toBe(0.7);
    expect((await client.predict('fraud-score', { a: 1 })).lowConfidence).toBe(true);
  });

  it('lists models and reads gateway and model health', async () => {
    const { transport, requests } = router({
      'GET /v1/models': [{ body: ok({ models: [{ name: 'fraud-score', default_version: '2', versions: ['1', '2'] }] }) }],
      'GET /v1/health/ready': [{ body: ok({ state: 'ok' }) }],
      'GET /v1/health/live': [{ body: ok({ state: 'ok' }) }],
      'GET /v1/models/fraud-score/health': [{ body: ok({ model: 'fraud-score', state: 'ready', versions: [] }) }],
    });
    const client = createClient({ baseUrl, transport });
    expect((await client.listModels()).map((m) => m.name)).toEqual(['fraud-score']);
    expect(await client.health()).toEqual({ state: 'ok' });
    expect(await client.health({ probe: 'live' })).toEqual({ state: 'ok' });
    expect((await client.modelHealth('fraud-score')).state).toBe('ready');
    expect(requests.every((r) => r.headers['x-request-id'] && r.headers.traceparent)).toBe(true);
  });
});

describe('OIDC client credentials', () => {
  it('fetches a token once, caches it until near expiry, refreshes once on 401', async () => {
    const clock = new ManualClock();
    let issued = 0;
    const tokenCalls: string[] = [];
    const requests: HttpRequest[] = [];
    const transport = async (req: HttpRequest): Promise<HttpResponse> => {
      if (req.url.endsWith('/oauth/token')) {
        tokenCalls.push(req.body as string);
        issued++;
        return { status: 200, headers: {}, body: JSON.stringify({ access_token: `at-${issued}`, token_type: 'Bearer', expires_in: 60 }) };
      }
      requests.push(req);
      if (req.headers.authorization === 'Bearer at-2' && requests.length === 3) {
        return {
          status: 401,
          headers: {},
          body: JSON.stringify({ status: 'error', code: 'UNAUTHENTICATED', message: 'expired', request_id: 'r', trace_id: 't' }),
        };
      }
      return { status: 200, headers: {}, body: ok({ confidence: 1 }, { model: { name: 'm', version: '1' } }) };
    };
    const client = createClient({
      baseUrl,
      clock,
      transport,
      cache: false,
      auth: {
        oidc: { tokenUrl: 'http://127.0.0.1:1/oauth/token', clientId: 'svc', clientSecret: 's3cret-value', scope: 'models:predict' },
      },
    });
    await Promise.all([client.predict('m', { a: 1 }), client.predict('m', { a: 2 })]);
    expect(issued).toBe(1);
    expect(tokenCalls[0]).toContain('grant_type=client_credentials');
    expect(tokenCalls[0]).toContain('scope=models%3Apredict');
    clock.advance(31_000); // 60 s token, refreshed 30 s before expiry
    await client.predict('m', { a: 3 });
    expect(issued).toBe(3); // refreshed at expiry, then once more after the 401
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer at-1', 'Bearer at-1', 'Bearer at-2', 'Bearer at-3']);
  });
});

describe('waiting for a token', () => {
  const oidc = { tokenUrl: 'http://127.0.0.1:1/oauth/token', clientId: 'svc', clientSecret: 's3cret-value' };

  /** A token endpoint that answers only when `release()` is called; model calls succeed. */
  function slowTokenEndpoint() {
    let release = () => {};
    let tokenRequests = 0;
    const transport = async (req: HttpRequest): Promise<HttpResponse> => {
      if (req.url.endsWith('/oauth/token')) {
        tokenRequests++;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { status: 200, headers: {}, body: JSON.stringify({ access_token: 'at-1', expires_in: 3600 }) };
      }
      return { status: 200, headers: {}, body: ok({ confidence: 1 }, { model: { name: 'm', version: '1' } }) };
    };
    return { transport, release: () => release(), requests: () => tokenRequests };
  }

  it("ends at the call's deadline with DeadlineExceeded; the shared token request goes on for the next call", async () => {
    const clock = new ManualClock();
    const idp = slowTokenEndpoint();
    const client = createClient({ baseUrl, clock, transport: idp.transport, cache: false, auth: { oidc } });
    const first = client.predict('m', { a: 1 }, { deadlineMs: 600, requestId: 'rid-1' }).catch((e: unknown) => e);
    const second = client.predict('m', { a: 2 }, { deadlineMs: 5_000 });
    await Promise.resolve();
    clock.advance(600);
    const error = await first;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', requestId: 'rid-1' });
    idp.release();
    expect((await second).attempts).toBe(1);
    expect(idp.requests()).toBe(1);
  });

  it("a caller's abort ends only its own wait, not the token request others share", async () => {
    const idp = slowTokenEndpoint();
    const client = createClient({ baseUrl, transport: idp.transport, cache: false, auth: { oidc } });
    const controller = new AbortController();
    const aborted = client.predict('m', { a: 1 }, { signal: controller.signal }).catch((e: unknown) => e);
    const other = client.predict('m', { a: 2 });
    await Promise.resolve();
    controller.abort();
    expect(await aborted).toBeInstanceOf(AbortedError);
    idp.release();
    expect((await other).attempts).toBe(1);
    expect(idp.requests()).toBe(1);
  });
});

describe('trace context and events', () => {
  it('continues the caller trace and reports latency-bearing events without secrets', async () => {
    const events: ModelwireEvent[] = [];
    const requests: HttpRequest[] = [];
    const client = createClient({
      baseUrl,
      auth: { token: 'tkn-abcdef' },
      onEvent: (e) => events.push(e),
      transport: async (req) => {
        requests.push(req);
        return { status: 200, headers: {}, body: ok({}, { model: { name: 'm', version: '1' } }) };
      },
    });
    await client.predict('m', { a: 1 }, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(requests[0]?.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/);
    const response = events.find((e) => e.type === 'response');
    expect(response && 'latencyMs' in response && response.latencyMs >= 0).toBe(true);
    const request = events.find((e) => e.type === 'request');
    expect(request).toEqual({
      type: 'request',
      model: 'm',
      version: null,
      requestId: expect.any(String),
      attempt: 1,
      method: 'POST',
      path: '/models/m/predict',
    });
    expect(JSON.stringify(events)).not.toContain('tkn-abcdef');
    expect(events.map((e) => e.type)).toEqual(['cache_miss', 'request', 'response', 'call_end']);
    const throwing = createClient({
      baseUrl,
      transport: async () => ({ status: 200, headers: {}, body: ok({}) }),
      onEvent: () => {
        throw new Error('bad hook');
      },
    });
    await expect(throwing.predict('m', { a: 1 })).resolves.toBeDefined();
  });
});

describe('token provider', () => {
  it('is asked once per call (cache scope and first attempt share the token)', async () => {
    let asked = 0;
    const requests: HttpRequest[] = [];
    const client = createClient({
      baseUrl,
      auth: { getToken: () => `tok-${++asked}` },
      transport: async (req) => {
        requests.push(req);
        return { status: 200, headers: {}, body: ok({}, { model: { name: 'm', version: '1' } }) };
      },
    });
    await client.predict('m', { a: 1 });
    expect(asked).toBe(1);
    expect(requests[0]?.headers.authorization).toBe('Bearer tok-1');
  });
});

describe('client methods', () => {
  it('stay bound when taken off the client, and reject (never throw) on bad input', async () => {
    const client = createClient({ baseUrl, transport: async () => ({ status: 200, headers: {}, body: ok({ state: 'ok' }) }) });
    const { health, feedback } = client;
    await expect(health()).resolves.toEqual({ state: 'ok' });
    const pending = feedback('m', { requestId: '' });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
