import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

let h: Awaited<ReturnType<typeof harness>>;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
let callbackUrl = '';

beforeAll(async () => {
  h = await harness();
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await h.server.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  received.length = 0;
  await h.admin('reset', {});
});

const submit = (key: string) =>
  fetch(`${h.server.apiUrl}/models/sentiment/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ request_id: 'job-req', data: { text: 'great product' }, callback_url: callbackUrl }),
  });
const read = async (id: string) => (await (await fetch(`${h.server.apiUrl}/models/sentiment/jobs/${id}`)).json()).result;

describe('jobs over HTTP', () => {
  it('runs queued → running → succeeded and POSTs a signed callback', async () => {
    const res = await submit('k1');
    expect(res.status).toBe(202);
    const job = (await res.json()).result;
    expect(job.state).toBe('queued');
    expect(res.headers.get('location')).toBe(`${h.server.apiUrl}/models/sentiment/jobs/${job.job_id}`);
    expect((await (await submit('k1')).json()).result.job_id).toBe(job.job_id);
    expect((await read(job.job_id)).state).toBe('running');
    const done = await read(job.job_id);
    expect(done.state).toBe('succeeded');
    expect(done.result.label).toBe('positive');
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-modelwire-signature'])) ?? [];
    expect(v1).toBe(createHmac('sha256', 'whsec_modelwire_mock').update(`${t}.${body}`).digest('hex'));
    expect(JSON.parse(body).result).toMatchObject({ job_id: job.job_id, state: 'succeeded' });
    const cancel = await fetch(`${h.server.apiUrl}/models/sentiment/jobs/${job.job_id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(409);
  });

  it('follows the scenario job lifecycle and webhook secret', async () => {
    await h.admin('scenario', { jobs: { outcome: 'failed', webhook_secret: 's3cret' } });
    const job = (await (await submit('k2')).json()).result;
    await read(job.job_id);
    const failed = await read(job.job_id);
    expect(failed.state).toBe('failed');
    expect(failed.error.code).toBe('INTERNAL');
    const { headers, body } = received[0]!;
    const [, t] = /^t=(\d+)/.exec(String(headers['x-modelwire-signature'])) ?? [];
    expect(String(headers['x-modelwire-signature'])).toContain(createHmac('sha256', 's3cret').update(`${t}.${body}`).digest('hex'));
    const callbacks = (await (await fetch(`${h.server.url}/__admin/callbacks`)).json()).callbacks;
    expect(callbacks[0]).toMatchObject({ jobId: job.job_id, state: 'failed', status: 204 });
  });

  it('cancels a running job and answers 404 for an unknown one', async () => {
    const job = (await (await submit('k3')).json()).result;
    const cancel = await fetch(`${h.server.apiUrl}/models/sentiment/jobs/${job.job_id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(200);
    expect((await cancel.json()).result.state).toBe('canceled');
    const missing = await fetch(`${h.server.apiUrl}/models/sentiment/jobs/job_999999`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('NOT_FOUND');
  });
});
