import { request } from 'node:http';
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

/** What a raw HTTP client sees of one answer: headers, each body piece with its arrival time, and the end (if any). */
interface Observed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  pieces: { at: number; bytes: number }[];
  body: string;
  ended: boolean;
}

/** POSTs to the predict route and watches the answer for at most `watchMs`, then drops the socket. */
function observe(watchMs: number): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = request(`${h.server.url}${PREDICT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'rid-s' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const seen: Observed = { status: res.statusCode ?? 0, headers: res.headers, pieces: [], body: '', ended: false };
      const chunks: Buffer[] = [];
      const finish = () => {
        clearTimeout(timer);
        seen.body = Buffer.concat(chunks).toString('utf8');
        res.destroy();
        resolve(seen);
      };
      const timer = setTimeout(finish, watchMs);
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        seen.pieces.push({ at: Date.now() - started, bytes: chunk.length });
      });
      res.on('end', () => {
        seen.ended = true;
        finish();
      });
    });
    req.end('{"request_id":"rid-s","data":{"amount":1}}');
  });
}

const script = async (response: Record<string, unknown>) =>
  expect((await h.admin('scenario', { routes: [{ method: 'POST', path: PREDICT, responses: [response] }] })).status).toBe(204);

describe('shaped bodies (body_parts, chunk_bytes, stall_after_bytes)', () => {
  it('body_parts repeats each part: a deep body with the full content-length', async () => {
    await script({
      status: 503,
      body_parts: [
        { text: '[', times: 1000 },
        { text: ']', times: 1000 },
      ],
    });
    const seen = await observe(2000);
    expect(seen.ended).toBe(true);
    expect(seen.status).toBe(503);
    expect(seen.body).toBe(`${'['.repeat(1000)}${']'.repeat(1000)}`);
    expect(seen.headers['content-length']).toBe('2000');
    expect(seen.headers['x-request-id']).toBe('rid-s');
  });

  it('chunk_bytes + chunk_interval_ms trickle the whole body in timed pieces', async () => {
    await script({ status: 200, raw_body: '0123456789ab', chunk_bytes: 4, chunk_interval_ms: 60 });
    const seen = await observe(2000);
    expect(seen.ended).toBe(true);
    expect(seen.body).toBe('0123456789ab');
    // Three writes 60 ms apart: a busy client may read two at once, but never gets the last before 120 ms.
    expect(seen.pieces.length).toBeGreaterThanOrEqual(2);
    expect(seen.pieces.at(-1)?.at ?? 0).toBeGreaterThanOrEqual(110);
  });

  it('stall_after_bytes sends the headers (full content-length) and n bytes, then nothing', async () => {
    await script({ status: 200, raw_body: '{"status":"success","result":{}}', stall_after_bytes: 5 });
    const seen = await observe(300);
    expect(seen.ended).toBe(false);
    expect(seen.status).toBe(200);
    expect(seen.headers['content-length']).toBe('32');
    expect(seen.body).toBe('{"sta');
  });

  it('rejects a part repeated zero times', async () => {
    const res = await h.admin('scenario', {
      routes: [{ method: 'POST', path: PREDICT, responses: [{ body_parts: [{ text: 'x', times: 0 }] }] }],
    });
    expect(res.status).toBe(400);
  });
});
