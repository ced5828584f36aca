// Bring your own HTTP client (issue 14): the caller's undici Dispatcher, for mTLS, custom CAs
// and proxies — over real TLS on 127.0.0.1 with certificates made at test time; the client never closes them.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect as netConnect } from 'node:net';
import { Agent, ProxyAgent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, createClient, InvalidInputError } from '../src/index.js';
import { makeTestCerts, type TestCerts } from './support/test-certs.js';

let certs: TestCerts;
let gateway: Server;
let baseUrl: string;
let proxy: Server;
let proxyUrl: string;
/** host:port of every CONNECT the proxy tunnelled. */
const tunnelled: string[] = [];
let served = 0;

const envelope = (requestId: unknown) =>
  JSON.stringify({
    status: 'success',
    code: 'OK',
    message: 'ok',
    request_id: requestId,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    model: { name: 'fraud-score', version: '2' },
    result: { label: 'legit', score: 0.1, confidence: 0.9 },
  });

beforeAll(async () => {
  certs = makeTestCerts();
  // mTLS: only clients with a certificate signed by the test CA get through the handshake.
  gateway = createHttpsServer(
    { ca: certs.ca, cert: certs.serverCert, key: certs.serverKey, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      served++;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(envelope(req.headers['x-request-id'])));
    },
  );
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(gateway.address() as AddressInfo).port}/v1`;
  // A forward proxy that tunnels CONNECT to 127.0.0.1 only.
  proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket, head) => {
    const [host, port] = (req.url ?? '').split(':');
    tunnelled.push(req.url ?? '');
    if (host !== '127.0.0.1') return socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = netConnect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => gateway.close(resolve));
  await new Promise((resolve) => proxy.close(resolve));
});

const data = { amount: 12.5 };
const noRetry = { retry: { maxRetries: 1, backoffInitialMs: 1, jitter: 'none' as const }, cache: false as const, breaker: false as const };

describe('your own undici dispatcher (mTLS)', () => {
  it('with the client certificate: predicts; after close() your dispatcher still works', async () => {
    const dispatcher = new Agent({ connect: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    const client = createClient({ baseUrl, dispatcher, ...noRetry });
    const p = await client.predict('fraud-score', data);
    expect(p.result.label).toBe('legit');
    await client.close();
    const after = await request(`${baseUrl}/health/ready`, { dispatcher });
    await after.body.text();
    expect(after.statusCode).toBe(200);
    await dispatcher.close();
  });

  it('without a client certificate: a typed ConnectionError after the retries the policy allows, nothing served', async () => {
    const dispatcher = new Agent({ connect: { ca: certs.ca } });
    const client = createClient({ baseUrl, dispatcher, ...noRetry });
    const before = served;
    const error = await client.predict('fraud-score', data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('CONNECTION_ERROR');
    expect((error as ConnectionError).attempts).toBe(2);
    expect(served).toBe(before);
    await client.close();
    await dispatcher.close();
  });

  it('without the test CA: the server certificate is refused (a typed ConnectionError)', async () => {
    const dispatcher = new Agent({ connect: { cert: certs.clientCert, key: certs.clientKey } });
    const client = createClient({ baseUrl, dispatcher, ...noRetry });
    await expect(client.predict('fraud-score', data)).rejects.toBeInstanceOf(ConnectionError);
    await client.close();
    await dispatcher.close();
  });
});

describe('your own proxy', () => {
  it('a ProxyAgent tunnels the predict (and its TLS with your client certificate) through the proxy', async () => {
    const dispatcher = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    const client = createClient({ baseUrl, dispatcher, ...noRetry });
    tunnelled.length = 0;
    expect((await client.predict('fraud-score', data)).result.label).toBe('legit');
    expect(tunnelled).toEqual([new URL(baseUrl).host]);
    await client.close();
    await dispatcher.close();
  });
});

describe('one way to send', () => {
  it('fetch and dispatcher together are refused before anything is sent', () => {
    const dispatcher = new Agent();
    expect(() => createClient({ baseUrl, dispatcher, fetch })).toThrow(InvalidInputError);
    expect(() => createClient({ baseUrl, dispatcher: {} as Agent })).toThrow(/undici Dispatcher/);
  });
});
