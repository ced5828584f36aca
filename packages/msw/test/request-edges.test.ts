import { describe, expect, it } from 'vitest';
import { CONTRACT_ROUTES } from '../src/routes.js';
import { spec } from './contract-validator.js';
import { BASE, useMockServer } from './setup-server.js';

useMockServer();

const body = JSON.stringify({ request_id: 'rid-e', data: { amount: 1 } });

describe('requests a validating gateway refuses', () => {
  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a JSON body not labelled application/json', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
      const res = await fetch(`${BASE}/models/fraud-score/predict`, { method: 'POST', body, headers });
      expect(res.status, contentType).toBe(415);
      expect((await res.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const fb = await fetch(`${BASE}/models/fraud-score/feedback`, {
      method: 'POST',
      body: JSON.stringify({ request_id: 'r' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(fb.status).toBe(415);
  });

  it('accepts application/json with a charset and +json media types', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.modelwire+json']) {
      const res = await fetch(`${BASE}/models/fraud-score/predict`, { method: 'POST', body, headers: { 'content-type': contentType } });
      expect(res.status, contentType).toBe(200);
    }
  });

  it('answers 405 with Allow to a method the contract does not declare on a known path', async () => {
    const res = await fetch(`${BASE}/models/fraud-score/predict`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await res.json()).code).toBe('METHOD_NOT_ALLOWED');
    expect((await fetch(`${BASE}/no/such/path`)).status).toBe(404);
  });

  it('answers 400 to an Idempotency-Key outside 1 to 128 characters', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'k'.repeat(129) };
    const res = await fetch(`${BASE}/models/fraud-score/predict`, { method: 'POST', body, headers });
    expect(res.status).toBe(400);
  });

  it('never echoes a request id that could not travel in a header', async () => {
    const long = 'r'.repeat(129);
    const res = await fetch(`${BASE}/models/fraud-score/predict`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-request-id': long },
    });
    expect(res.headers.get('x-request-id')).not.toBe(long);
    const unicode = await fetch(`${BASE}/models/fraud-score/predict`, {
      method: 'POST',
      body: JSON.stringify({ request_id: '\u65e51', data: { amount: 1 } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(unicode.status).toBe(400);
    expect(unicode.headers.get('x-request-id')).toMatch(/^[!-~]{1,128}$/);
  });
});

it('the route table matches the contract (paths and methods)', () => {
  const fromSpec = Object.entries(spec.paths as Record<string, Record<string, unknown>>).map(([path, item]) => ({
    path,
    methods: Object.keys(item)
      .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))
      .map((k) => k.toUpperCase())
      .sort(),
  }));
  expect(CONTRACT_ROUTES.map((r) => ({ path: r.path, methods: [...r.methods].sort() }))).toEqual(fromSpec);
});
