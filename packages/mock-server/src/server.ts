import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockState, createModelwireHandlers, errorCodeForStatus, errorEnvelope, type MockState, requestIds } from '@modelwire/msw';
import { getResponse, type RequestHandler } from 'msw';
import { handleAdmin } from './admin.js';
import { isShaped, writeShaped } from './body-shaping.js';
import { readIncoming, toFetchRequest, writeFetchResponse } from './bridge.js';
import { createIssuerVerifier, type IssuerOptions } from './issuer-verifier.js';
import { discoverJwksUri } from './oidc-discovery.js';
import { writeRawResponse } from './raw-response.js';
import { RequestLog } from './request-log.js';
import { ScriptBook, type ScriptedResponse } from './script.js';

/** Methods node's fetch `Request` accepts (TRACE, TRACK and CONNECT it refuses). */
const FETCH_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Headers a browser may read from the mock's answers. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Request-Id, X-Model-Version, Retry-After, Location',
};

/**
 * Options of {@link startMockServer}.
 *
 * @example
 * const options: MockServerOptions = { port: 0 };
 */
export interface MockServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * The msw handlers to serve, or a factory that gets the API base URL and state once the port is
   * known (default: `createModelwireHandlers({ baseUrl, state })`).
   */
  handlers?: RequestHandler[] | ((context: { baseUrl: string; state: MockState }) => RequestHandler[]);
  /** The state behind the default handlers and the admin API (default: a fresh one). */
  state?: MockState;
  /**
   * Check bearer tokens against a real OIDC issuer instead of the admin API's tokens (the CLI's
   * `--oidc-issuer`, `--audience`, `--roles`). Its discovery document is read before listening.
   */
  issuer?: IssuerOptions;
}

/**
 * A running mock server.
 *
 * @example
 * const server = await startMockServer();
 * await fetch(`${server.apiUrl}/health/live`);
 * await server.close();
 */
export interface MockServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url + '/v1'` */
  apiUrl: string;
  port: number;
  state: MockState;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Serves the `@modelwire/msw` handlers over node:http on 127.0.0.1, with the admin API of
 * docs/semantics.md (`/__admin/reset`, `/__admin/scenario`, `/__admin/requests`).
 *
 * @example
 * const server = await startMockServer({ port: 0 });
 * console.log(server.apiUrl); // http://127.0.0.1:54321/v1
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const state = options.state ?? createMockState();
  if (options.issuer) {
    const jwksUri = await discoverJwksUri(options.issuer.issuer);
    state.auth.useVerifier(createIssuerVerifier(options.issuer, jwksUri, state.now));
  }
  const scripts = new ScriptBook();
  const log = new RequestLog();
  let origin = '';
  let handlers: RequestHandler[] = [];

  async function answerScripted(req: IncomingMessage, res: ServerResponse, body: Buffer, script: ScriptedResponse): Promise<boolean> {
    if (script.delay_ms) await sleep(script.delay_ms);
    if (script.reset) {
      req.socket.destroy();
      return true;
    }
    if (script.raw_response !== undefined) {
      await writeRawResponse(req.socket, script);
      return true;
    }
    const headers: Record<string, string> = { ...CORS_HEADERS, ...lowerKeys(script.headers ?? {}) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const ids = requestIds(toHeaders(req), parsed);
    headers['x-request-id'] ??= ids.requestId;
    if (isShaped(script)) {
      await writeShaped(req, res, script, headers);
      return true;
    }
    if (script.raw_body !== undefined) {
      headers['content-type'] ??= 'application/json';
      const status = script.status ?? 200;
      // 204 and 304 answers carry no body (the fetch Response refuses one).
      const body = NULL_BODY_STATUSES.has(status) ? null : script.raw_body;
      await writeFetchResponse(res, new Response(body, { status, headers }));
      return true;
    }
    if (script.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      await writeFetchResponse(res, new Response(JSON.stringify(script.body), { status: script.status ?? 200, headers }));
      return true;
    }
    if (script.status !== undefined && script.status >= 400) {
      const envelope = errorEnvelope(ids, errorCodeForStatus(script.status), `scripted HTTP ${script.status}`);
      headers['content-type'] ??= 'application/json';
      await writeFetchResponse(res, new Response(JSON.stringify(envelope), { status: script.status, headers }));
      return true;
    }
    // No body and a success (or no) status: the real handlers answer, with the script's status and headers.
    return false;
  }

  async function answerReal(req: IncomingMessage, res: ServerResponse, body: Buffer, script?: ScriptedResponse): Promise<void> {
    const request = toFetchRequest(req, body, origin);
    let response = await getResponse(handlers, request, { quiet: true });
    if (!response) {
      const ids = requestIds(request.headers);
      const envelope = errorEnvelope(
        ids,
        'NOT_FOUND',
        `no route ${request.method} ${new URL(request.url).pathname}: see openapi/modelwire.yaml`,
      );
      response = new Response(JSON.stringify(envelope), {
        status: 404,
        headers: { 'content-type': 'application/json', 'x-request-id': ids.requestId },
      });
    }
    // msw's HttpResponse.error() (the connectionReset scenario) is a network error: drop the connection.
    if (response.type === 'error') {
      req.socket.destroy();
      return;
    }
    const extra: Record<string, string> = {};
    for (const [name, value] of Object.entries(lowerKeys(script?.headers ?? {}))) extra[name] = value;
    if (script?.status !== undefined || Object.keys(extra).length > 0) {
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(extra)) headers.set(name, value);
      response = new Response(response.body, { status: script?.status ?? response.status, headers });
    }
    await writeFetchResponse(res, response, CORS_HEADERS);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readIncoming(req);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path.startsWith('/__admin/')) {
      const answer = handleAdmin(method, path, body.toString('utf8'), { scripts, log, state });
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, answer.body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(payload);
      return;
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS_HEADERS,
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    // fetch's Request refuses these methods (and the API has no use for them): answer 405, not a crash.
    if (!FETCH_METHODS.has(method)) {
      const ids = requestIds(toHeaders(req));
      res.writeHead(405, {
        ...CORS_HEADERS,
        'content-type': 'application/json',
        allow: 'GET, POST, DELETE, OPTIONS',
        'x-request-id': ids.requestId,
      });
      res.end(JSON.stringify(errorEnvelope(ids, 'METHOD_NOT_ALLOWED', `${method} is not allowed: the API uses GET, POST and DELETE`)));
      return;
    }
    log.add(method, path, req.headers, body.toString('utf8'));
    const script = scripts.take(method, path);
    if (script && (await answerScripted(req, res, body, script))) return;
    await answerReal(req, res, body, script);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const ids = requestIds(toHeaders(req));
      const message = `mock server failed: ${error instanceof Error ? error.message : String(error)}`;
      res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': ids.requestId });
      res.end(JSON.stringify(errorEnvelope(ids, 'INTERNAL', message)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`modelwire-mock: port ${options.port} on 127.0.0.1 is in use; pass --port 0 for a free one`)
          : error,
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const apiUrl = `${origin}/v1`;
  handlers =
    typeof options.handlers === 'function'
      ? options.handlers({ baseUrl: apiUrl, state })
      : (options.handlers ?? createModelwireHandlers({ baseUrl: apiUrl, state }));

  return {
    url: origin,
    apiUrl,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return headers;
}
