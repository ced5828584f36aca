import { HttpResponse, http, type RequestHandler } from 'msw';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectionReset,
  httpError,
  jobLifecycle,
  latency,
  malformedJson,
  rateLimited,
  unavailable,
  unknownVersion,
  validationError,
} from '../src/index.js';
import { checkResponse, spec } from './contract-validator.js';
import { BASE, useMockServer } from './setup-server.js';

const { server, state } = useMockServer();

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  use?: () => RequestHandler[];
  auth?: boolean;
  status: number;
  before?: () => Promise<void>;
}

const TX = { amount: 129.5, country: 'FR', card_present: false };
const env = (data: unknown, extra: Record<string, unknown> = {}) => ({ request_id: 'r-contract', data, ...extra });
const AUTH = { tokens: ['t-all', { token: 't-read', scopes: ['models:read'] }, { token: 't-predict', scopes: ['models:predict'] }] };

async function newJob(model = 'sentiment'): Promise<string> {
  const res = await fetch(`${BASE}/models/${model}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(env({ text: 'love it' })),
  });
  return (await res.json()).result.job_id;
}
let jobId = '';
async function jobAfterReads(reads: number): Promise<void> {
  jobId = await newJob();
  for (let i = 0; i < reads; i++) await fetch(`${BASE}/models/sentiment/jobs/${jobId}`);
}

// Every operation × every status the handlers and scenario helpers can produce.
const cases: Case[] = [
  { name: 'healthLive ok', method: 'GET', path: '/health/live', status: 200 },
  {
    name: 'healthLive 503',
    method: 'GET',
    path: '/health/live',
    use: () => [unavailable(1, { operation: 'healthLive', retryAfterSeconds: 1 })],
    status: 503,
  },
  { name: 'healthLive 429', method: 'GET', path: '/health/live', use: () => [rateLimited(2, { operation: 'healthLive' })], status: 429 },
  { name: 'healthReady ok', method: 'GET', path: '/health/ready', status: 200 },
  { name: 'healthReady 503', method: 'GET', path: '/health/ready', use: () => [unavailable(1, { operation: 'healthReady' })], status: 503 },
  { name: 'healthReady 429', method: 'GET', path: '/health/ready', use: () => [rateLimited(2, { operation: 'healthReady' })], status: 429 },
  { name: 'listModels ok', method: 'GET', path: '/models', status: 200 },
  { name: 'listModels 401', method: 'GET', path: '/models', auth: true, status: 401 },
  { name: 'listModels 500', method: 'GET', path: '/models', use: () => [httpError(500, { operation: 'listModels' })], status: 500 },
  ...['fraud-score', 'fraud-score-backup', 'sentiment'].flatMap((m): Case[] => [
    { name: `modelHealth ${m}`, method: 'GET', path: `/models/${m}/health`, status: 200 },
    { name: `modelInfo ${m}`, method: 'GET', path: `/models/${m}/info`, status: 200 },
  ]),
  { name: 'modelHealth 404', method: 'GET', path: '/models/nope/health', status: 404 },
  { name: 'modelHealth 401', method: 'GET', path: '/models/sentiment/health', auth: true, status: 401 },
  {
    name: 'modelHealth 503',
    method: 'GET',
    path: '/models/sentiment/health',
    use: () => [unavailable(1, { operation: 'modelHealth', retryAfterSeconds: 5 })],
    status: 503,
  },
  { name: 'modelInfo 404', method: 'GET', path: '/models/nope/info', status: 404 },
  { name: 'modelInfo 401', method: 'GET', path: '/models/sentiment/info', auth: true, status: 401 },
  {
    name: 'modelInfo 403',
    method: 'GET',
    path: '/models/sentiment/info',
    auth: true,
    headers: { authorization: 'Bearer t-predict' },
    status: 403,
  },
  { name: 'predict fraud v2', method: 'POST', path: '/models/fraud-score/predict', body: env(TX), status: 200 },
  {
    name: 'predict fraud v1',
    method: 'POST',
    path: '/models/fraud-score/predict',
    body: env({ amount: 5000, country: 'US', hour: 3 }),
    headers: { 'x-model-version': '1' },
    status: 200,
  },
  { name: 'predict backup', method: 'POST', path: '/models/fraud-score-backup/predict', body: env({ amount: 12 }), status: 200 },
  { name: 'predict sentiment', method: 'POST', path: '/models/sentiment/predict', body: env({ text: 'terrible, broken' }), status: 200 },
  {
    name: 'predict with auth',
    method: 'POST',
    path: '/models/sentiment/predict',
    body: env({ text: 'ok' }),
    auth: true,
    headers: { authorization: 'Bearer t-all' },
    status: 200,
  },
  {
    name: 'predict latency',
    method: 'POST',
    path: '/models/sentiment/predict',
    body: env({ text: 'nice' }),
    use: () => [latency(5)],
    status: 200,
  },
  { name: 'predict 400 json', method: 'POST', path: '/models/sentiment/predict', rawBody: '{nope', status: 400 },
  { name: 'predict 400 envelope', method: 'POST', path: '/models/sentiment/predict', body: { data: 'x' }, status: 400 },
  { name: 'predict 401', method: 'POST', path: '/models/sentiment/predict', body: env({ text: 'x' }), auth: true, status: 401 },
  {
    name: 'predict 403',
    method: 'POST',
    path: '/models/sentiment/predict',
    body: env({ text: 'x' }),
    auth: true,
    headers: { authorization: 'Bearer t-read' },
    status: 403,
  },
  { name: 'predict 404 model', method: 'POST', path: '/models/nope/predict', body: env({}), status: 404 },
  {
    name: 'predict 404 version',
    method: 'POST',
    path: '/models/fraud-score/predict',
    body: env(TX),
    headers: { 'x-model-version': '9' },
    status: 404,
  },
  {
    name: 'predict unknownVersion()',
    method: 'POST',
    path: '/models/fraud-score/predict',
    body: env(TX),
    headers: { 'x-model-version': '2' },
    use: () => [unknownVersion('2')],
    status: 404,
  },
  {
    name: 'predict 408',
    method: 'POST',
    path: '/models/sentiment/predict',
    body: env({ text: 'x' }),
    use: () => [httpError(408)],
    status: 408,
  },
  {
    name: 'predict 413 real',
    method: 'POST',
    path: '/models/sentiment/predict',
    rawBody: JSON.stringify(env({ text: 'x'.repeat(10_500_000) })),
    status: 413,
  },
  { name: 'predict 422 real', method: 'POST', path: '/models/fraud-score/predict', body: env({ amount: 'lots', hour: 99 }), status: 422 },
  {
    name: 'predict 422 helper',
    method: 'POST',
    path: '/models/fraud-score/predict',
    body: env(TX),
    use: () => [validationError({ '/amount': 'too big' })],
    status: 422,
  },
  { name: 'predict 429', method: 'POST', path: '/models/fraud-score/predict', body: env(TX), use: () => [rateLimited(1)], status: 429 },
  { name: 'predict 500', method: 'POST', path: '/models/fraud-score/predict', body: env(TX), use: () => [httpError(500)], status: 500 },
  { name: 'predict 502', method: 'POST', path: '/models/fraud-score/predict', body: env(TX), use: () => [httpError(502)], status: 502 },
  {
    name: 'predict 503',
    method: 'POST',
    path: '/models/fraud-score/predict',
    body: env(TX),
    use: () => [unavailable(1, { retryAfterSeconds: 0 })],
    status: 503,
  },
  { name: 'predict 504', method: 'POST', path: '/models/fraud-score/predict', body: env(TX), use: () => [httpError(504)], status: 504 },
  {
    name: 'submitJob 202',
    method: 'POST',
    path: '/models/sentiment/jobs',
    body: env({ text: 'good' }, { callback_url: 'http://127.0.0.1:4010/nowhere' }),
    status: 202,
  },
  {
    name: 'submitJob 400',
    method: 'POST',
    path: '/models/sentiment/jobs',
    body: env({ text: 'x' }, { callback_url: 'not a url' }),
    status: 400,
  },
  { name: 'submitJob 401', method: 'POST', path: '/models/sentiment/jobs', body: env({ text: 'x' }), auth: true, status: 401 },
  { name: 'submitJob 404', method: 'POST', path: '/models/nope/jobs', body: env({ text: 'x' }), status: 404 },
  {
    name: 'submitJob 413',
    method: 'POST',
    path: '/models/sentiment/jobs',
    body: env({ text: 'x' }),
    use: () => [httpError(413, { operation: 'submitJob' })],
    status: 413,
  },
  { name: 'submitJob 422', method: 'POST', path: '/models/sentiment/jobs', body: env({ text: '' }), status: 422 },
  {
    name: 'submitJob 429',
    method: 'POST',
    path: '/models/sentiment/jobs',
    body: env({ text: 'x' }),
    use: () => [rateLimited(1, { operation: 'submitJob' })],
    status: 429,
  },
  {
    name: 'submitJob 500',
    method: 'POST',
    path: '/models/sentiment/jobs',
    body: env({ text: 'x' }),
    use: () => [httpError(500, { operation: 'submitJob' })],
    status: 500,
  },
  {
    name: 'submitJob 503',
    method: 'POST',
    path: '/models/sentiment/jobs',
    body: env({ text: 'x' }),
    use: () => [unavailable(1, { operation: 'submitJob' })],
    status: 503,
  },
  { name: 'getJob running', method: 'GET', path: '/models/sentiment/jobs/{job}', before: () => jobAfterReads(0), status: 200 },
  { name: 'getJob succeeded', method: 'GET', path: '/models/sentiment/jobs/{job}', before: () => jobAfterReads(1), status: 200 },
  { name: 'getJob final again', method: 'GET', path: '/models/sentiment/jobs/{job}', before: () => jobAfterReads(2), status: 200 },
  { name: 'cancelJob 409', method: 'DELETE', path: '/models/sentiment/jobs/{job}', before: () => jobAfterReads(2), status: 409 },
  {
    name: 'getJob failed (jobLifecycle)',
    method: 'GET',
    path: '/models/sentiment/jobs/{job}',
    use: () => jobLifecycle({ outcome: 'failed', state }),
    before: () => jobAfterReads(1),
    status: 200,
  },
  { name: 'cancelJob 200', method: 'DELETE', path: '/models/sentiment/jobs/{job}', before: () => jobAfterReads(0), status: 200 },
  { name: 'cancelJob 404', method: 'DELETE', path: '/models/sentiment/jobs/job_404', status: 404 },
  { name: 'cancelJob 401', method: 'DELETE', path: '/models/sentiment/jobs/job_1', auth: true, status: 401 },
  { name: 'getJob 404', method: 'GET', path: '/models/sentiment/jobs/job_404', status: 404 },
  { name: 'getJob 404 model', method: 'GET', path: '/models/nope/jobs/job_1', status: 404 },
  { name: 'getJob 401', method: 'GET', path: '/models/sentiment/jobs/job_1', auth: true, status: 401 },
  {
    name: 'feedback 202',
    method: 'POST',
    path: '/models/fraud-score/feedback',
    body: { request_id: 'r1', label: 'fraud', outcome: 'chargeback', score: 1, comment: 'confirmed' },
    status: 202,
  },
  { name: 'feedback 400', method: 'POST', path: '/models/fraud-score/feedback', rawBody: 'label=fraud', status: 400 },
  { name: 'feedback 401', method: 'POST', path: '/models/fraud-score/feedback', body: { request_id: 'r1' }, auth: true, status: 401 },
  { name: 'feedback 404', method: 'POST', path: '/models/nope/feedback', body: { request_id: 'r1' }, status: 404 },
  { name: 'feedback 422', method: 'POST', path: '/models/fraud-score/feedback', body: { request_id: '', score: 'high' }, status: 422 },
];

const produced = new Set<string>();
const noAuth = () => state.auth.configure(null);

describe('every mock response matches the contract', () => {
  it.each(cases)('$name', async (c) => {
    if (c.use) server.use(...c.use());
    if (c.before) await c.before();
    if (c.auth) state.auth.configure(AUTH);
    const path = c.path.replace('{job}', jobId);
    const res = await fetch(`${BASE}${path}`, {
      method: c.method,
      headers: {
        ...(c.body !== undefined || c.rawBody ? { 'content-type': 'application/json' } : {}),
        'x-request-id': `rid-${c.name.length}`,
        ...c.headers,
      },
      body: c.rawBody ?? (c.body === undefined ? undefined : JSON.stringify(c.body)),
    });
    noAuth();
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    const check = checkResponse(c.method, path, res.status, res.headers, text);
    expect(check.errors, `${check.operationId} ${res.status}: ${text.slice(0, 300)}`).toEqual([]);
    produced.add(`${check.operationId} ${res.status}`);
  });

  it('covers every operation of the contract', () => {
    const operations = new Set<string>();
    for (const item of Object.values(spec.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const op of Object.values(item)) if (op.operationId) operations.add(op.operationId);
    }
    const covered = new Set([...produced].map((p) => p.split(' ')[0]));
    expect([...operations].filter((o) => !covered.has(o))).toEqual([]);
    expect(produced.size).toBeGreaterThanOrEqual(50);
  });

  it('the job lifecycle reached every state it can serve', () => {
    expect(produced.has('getJob 200')).toBe(true);
    expect(produced.has('cancelJob 409')).toBe(true);
  });
});

describe('the contract check catches drift', () => {
  afterAll(() => server.resetHandlers());

  it('rejects a wrong envelope, an undeclared status and a request id mismatch', async () => {
    server.use(
      http.post(`${BASE}/models/drift/predict`, () =>
        HttpResponse.json(
          { status: 'error', code: 'OOPS', message: 'x', request_id: 'r' },
          { status: 503, headers: { 'X-Request-Id': 'r' } },
        ),
      ),
      http.get(`${BASE}/models/drift/info`, () =>
        HttpResponse.json(
          { status: 'success', code: 'OK', message: 'x', request_id: 'r', trace_id: 't', result: { name: 'drift' } },
          { headers: { 'X-Request-Id': 'other' } },
        ),
      ),
      http.get(`${BASE}/models/drift/health`, () => HttpResponse.json({}, { status: 418 })),
    );
    const a = await fetch(`${BASE}/models/drift/predict`, { method: 'POST', body: '{}' });
    const aCheck = checkResponse('POST', '/models/drift/predict', a.status, a.headers, await a.text());
    expect(aCheck.errors.join('\n')).toMatch(/trace_id/);
    expect(aCheck.errors.join('\n')).toMatch(/allowed values/);
    const b = await fetch(`${BASE}/models/drift/info`);
    const bCheck = checkResponse('GET', '/models/drift/info', b.status, b.headers, await b.text());
    expect(bCheck.errors.join('\n')).toMatch(/default_version/);
    expect(bCheck.errors.join('\n')).toMatch(/X-Request-Id other/);
    const c = await fetch(`${BASE}/models/drift/health`);
    expect(checkResponse('GET', '/models/drift/health', c.status, c.headers, await c.text()).errors).toEqual([
      'status 418 is not declared',
    ]);
    expect(checkResponse('PUT', '/models', 200, new Headers(), '{}').errors).toEqual(['no such operation in the contract']);
  });

  it('flags the deliberately broken scenarios (malformed JSON) and leaves network errors alone', async () => {
    server.use(malformedJson({ times: 1 }), connectionReset({ times: 1, operation: 'feedback' }));
    const res = await fetch(`${BASE}/models/sentiment/predict`, { method: 'POST', body: JSON.stringify(env({ text: 'x' })) });
    expect(checkResponse('POST', '/models/sentiment/predict', res.status, res.headers, await res.text()).errors).toEqual([
      'body is not JSON',
    ]);
    await expect(fetch(`${BASE}/models/sentiment/feedback`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('validates the examples of the contract itself (the validator reads the real schemas)', () => {
    const predict = spec.paths['/models/{model}/predict'].post.responses['200'].content['application/json'];
    expect(
      checkResponse(
        'POST',
        '/models/x/predict',
        200,
        new Headers({ 'x-request-id': predict.example.request_id }),
        JSON.stringify(predict.example),
      ).errors,
    ).toEqual([]);
  });
});
