import { connect } from 'node:net';
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

const script = async (response: Record<string, unknown>) =>
  expect((await h.admin('scenario', { routes: [{ method: 'POST', path: PREDICT, responses: [response] }] })).status).toBe(204);

/** Sends one predict request on a raw socket and returns every byte the server wrote until it closed (or `watchMs`). */
function rawExchange(watchMs = 2000): Promise<{ bytes: Buffer; closed: boolean; pieces: number }> {
  const { port } = new URL(h.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed, pieces: chunks.length });
    };
    const timer = setTimeout(done, watchMs);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      closed = true;
      done();
    });
    const body = '{"request_id":"rid-r","data":{"amount":1}}';
    socket.write(
      `POST ${PREDICT} HTTP/1.1\r\nHost: 127.0.0.1\r\n` + `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });
}

describe('raw_response (the answer as bytes on the wire)', () => {
  it('writes the bytes as is (latin1: one character = one byte), then closes the connection', async () => {
    const raw = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\u00ffok';
    await script({ raw_response: raw });
    const seen = await rawExchange();
    expect(seen.closed).toBe(true);
    expect(seen.bytes.equals(Buffer.from(raw, 'latin1'))).toBe(true);
  });

  it('trickles the raw bytes with chunk_bytes / chunk_interval_ms', async () => {
    await script({ raw_response: 'HTTP/1.1 204 No Content\r\n\r\n', chunk_bytes: 8, chunk_interval_ms: 20 });
    const seen = await rawExchange();
    expect(seen.bytes.toString('latin1')).toBe('HTTP/1.1 204 No Content\r\n\r\n');
    expect(seen.pieces).toBeGreaterThan(1);
  });

  it('stall_after_bytes stops sending and keeps the connection open', async () => {
    await script({ raw_response: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', stall_after_bytes: 6 });
    const seen = await rawExchange(300);
    expect(seen.closed).toBe(false);
    expect(seen.bytes.toString('latin1')).toBe('HTTP/1');
  });

  it('refuses characters above U+00FF (they are not bytes)', async () => {
    const res = await h.admin('scenario', {
      routes: [{ method: 'POST', path: PREDICT, responses: [{ raw_response: 'HTTP/1.1 200 \u65e5' }] }],
    });
    expect(res.status).toBe(400);
  });

  it('a scripted 204 or 304 goes out without a body', async () => {
    await script({ status: 204, raw_body: '' });
    // node:http keeps the connection open after a 204: watch briefly instead of waiting for a close.
    const seen = await rawExchange(300);
    expect(seen.bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
  });
});

describe('methods fetch cannot carry', () => {
  it('answers TRACE with 405 METHOD_NOT_ALLOWED, not a crash', async () => {
    const { port } = new URL(h.server.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const text = Buffer.concat(chunks).toString('latin1');
        if (text.includes('}')) {
          socket.destroy();
          resolve({ status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
        }
      });
      socket.write(`TRACE ${PREDICT} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
    expect(answer.status).toBe(405);
    expect(answer.body).toContain('"code":"METHOD_NOT_ALLOWED"');
  });
});
