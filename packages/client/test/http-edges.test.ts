import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createClient,
  kyTransport,
  MalformedResponseError,
  type ModelwireEvent,
  ServerError,
  UnavailableError,
  undiciTransport,
} from '../src/index.js';
import { type ScriptServer, startScriptServer } from './support/script-server.js';
import { TRANSPORTS as transports } from './support/transports.js';

// docs/semantics.md "How an answer is read (HTTP edges)", over real HTTP with both transports.

let server: ScriptServer;
beforeAll(async () => {
  server = await startScriptServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const PREDICT = '/models/fraud-score/predict';
const BACKUP = '/models/fraud-score-backup/predict';
const envelope = (label: string) =>
  `{"status":"success","code":"OK","message":"ok","request_id":"r","trace_id":"t","model":{"name":"fraud-score","version":"2"},"result":{"label":"${label}"}}`;
/** The envelope with a byte that is never valid UTF-8 (0xFF) inside the label. */
const invalidUtf8Envelope = Buffer.from(envelope('legXit').replace('X', '\u00ff'), 'latin1');

describe.each(transports)('HTTP edges with the %s transport', (_name, makeTransport) => {
  const client = (extra: Record<string, unknown> = {}) =>
    createClient({
      baseUrl: server.url,
      transport: makeTransport(),
      retry: { maxRetries: 2, backoffInitialMs: 1, backoffMaxMs: 2, jitter: 'none' },
      cache: false,
      ...extra,
    });

  it('a 302 is not followed: one request, a Server error HTTP_302, not retried', async () => {
    server.script(PREDICT, { status: 302, raw: '', headers: { location: `${server.url}${BACKUP}` } });
    const error = await client()
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('HTTP_302');
    expect(error.httpStatus).toBe(302);
    expect(error.attempts).toBe(1);
    expect(server.seen.map((s) => s.path)).toEqual([PREDICT]);
  });

  it('a 2xx body with an invalid UTF-8 byte is malformed (a response event, not retried), never decoded with U+FFFD', async () => {
    const events: ModelwireEvent[] = [];
    server.script(PREDICT, { status: 200, raw: invalidUtf8Envelope });
    const error = await client({ onEvent: (e: ModelwireEvent) => events.push(e) })
      .predict('fraud-score', { amount: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.code).toBe('MALFORMED_RESPONSE');
    expect(server.seen).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'call_end']);
  });

  it('a 503 body that is not UTF-8 keeps the status kind and its default code (framed or chunked)', async () => {
    server.script(PREDICT, { status: 503, raw: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) });
    server.script(PREDICT, { status: 503, raw: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), chunked: true });
    for (const amount of [1, 2]) {
      const error = await client({ retry: { maxRetries: 0 } })
        .predict('fraud-score', { amount })
        .catch((e) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.code).toBe('MODEL_UNAVAILABLE');
    }
  });

  it('a body that is valid UTF-8 (multi-byte, also chunked) is read as before', async () => {
    server.script(PREDICT, { status: 200, raw: envelope('légit €') }, { status: 200, raw: envelope('légit €'), chunked: true });
    for (const amount of [1, 2]) expect((await client().predict('fraud-score', { amount })).result.label).toBe('légit €');
  });
});

describe('interim answers with the undici transport', () => {
  // Node's own fetch (the ky transport in Node) fails on an unsolicited 100 Continue (nodejs/undici#197);
  // browsers skip interim answers natively. See ky-transport.ts.
  // One connection, so every answer after the first arrives on a kept-alive socket.
  const transport = undiciTransport({ connections: 1 });
  afterAll(() => transport.close?.());

  it('skips 100, 102 and 103 before the final answer, on one kept-alive connection, also before a chunked body', async () => {
    const c = createClient({ baseUrl: server.url, transport, retry: { maxRetries: 0 }, cache: false });
    server.script(
      PREDICT,
      { status: 200, raw: envelope('one'), interim: ['continue'] },
      { status: 200, raw: envelope('two'), interim: ['continue', 'processing', 'early-hints'] },
      { status: 200, raw: envelope('three'), interim: ['early-hints'], chunked: true },
    );
    const labels: unknown[] = [];
    for (const amount of [1, 2, 3]) labels.push((await c.predict('fraud-score', { amount })).result.label);
    expect(labels).toEqual(['one', 'two', 'three']);
    // The three answers came on one connection: the skipping re-arms at each request.
    expect(new Set(server.seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it('skips an interim block that arrives in pieces (separate TCP writes)', async () => {
    const pieces = ['HTTP/1.1 100 Con', 'tinue\r\n', '\r', '\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.', '1 200 OK\r\n'];
    const body = envelope('pieces');
    const raw = createServer((socket: Socket) => {
      socket.setNoDelay(true);
      socket.once('data', async () => {
        for (const piece of pieces) {
          socket.write(piece, 'latin1');
          // Let the client read each piece on its own.
          await new Promise((next) => setImmediate(next));
        }
        socket.end(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((listening) => raw.listen(0, '127.0.0.1', listening));
    const { port } = raw.address() as { port: number };
    const pieceTransport = undiciTransport();
    try {
      const c = createClient({ baseUrl: `http://127.0.0.1:${port}/v1`, transport: pieceTransport, retry: { maxRetries: 0 }, cache: false });
      expect((await c.predict('fraud-score', { amount: 1 })).result.label).toBe('pieces');
    } finally {
      await pieceTransport.close?.();
      await new Promise((closed) => raw.close(closed));
    }
  });

  it('never touches a body that looks like an interim answer', async () => {
    const c = createClient({ baseUrl: server.url, transport, retry: { maxRetries: 0 }, cache: false });
    server.script(PREDICT, { status: 503, raw: 'HTTP/1.1 100 Continue\r\n\r\n', chunked: true });
    const error = await c.predict('fraud-score', { amount: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain('HTTP/1.1 100 Continue');
  });
});

describe('redirects with the ky transport in a browser', () => {
  it('an opaque redirect (status 0) is a Server error with httpStatus 0 and code HTTP_REDIRECT', async () => {
    const opaque = () => {
      const response = new Response(null);
      Object.defineProperties(response, { type: { value: 'opaqueredirect' }, status: { value: 0 }, ok: { value: false } });
      return Promise.resolve(response);
    };
    const client = createClient({ baseUrl: 'http://gateway.invalid/v1', transport: kyTransport(opaque as typeof fetch), cache: false });
    const error = await client.predict('fraud-score', { amount: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('HTTP_REDIRECT');
    expect(error.httpStatus).toBe(0);
    expect(error.attempts).toBe(1);
  });
});
