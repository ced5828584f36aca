import { Agent, buildConnector, type Dispatcher, request as undiciRequest } from 'undici';
import { decodeUtf8Body } from './decode-utf8-body.js';
import { withLoopbackRefusedHint } from './loopback-refused-hint.js';
import { skipInterimAnswers } from './skip-interim-answers.js';
import { type HttpResponse, ResponseTooLarge, type Transport } from './transport.js';

/**
 * The Node-optimised transport: `undici.request` on a keep-alive pool, no WHATWG streams in the hot
 * path. Behaviour is identical to the ky transport (the same tests run against both): the request's
 * signal also aborts the body read, a body above `maxResponseBytes` is cut off, a body that is not
 * UTF-8 is refused (`BodyNotUtf8`), redirects are not followed, and interim 1xx answers are skipped.
 *
 * Pass your own undici `Dispatcher` (an `Agent` with TLS options for mTLS or a custom CA, a
 * `ProxyAgent`, …) to send through it; the client then never closes it. A dispatcher of yours does not
 * get the interim-1xx-skipping connector (build yours with `buildConnector` if your gateway sends them).
 *
 * @example
 * createClient({ baseUrl, transport: undiciTransport() });
 * createClient({ baseUrl, transport: undiciTransport({ dispatcher: new Agent({ connect: { ca, cert, key } }) }) });
 */
export function undiciTransport(options: { connections?: number; dispatcher?: Dispatcher } = {}): Transport {
  const own = options.dispatcher === undefined;
  // A caller's dispatcher (mTLS, custom CA, proxy) is used as is and never closed by us.
  const dispatcher =
    options.dispatcher ??
    new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 10_000, connect: interimSkippingConnector() });
  const transport: Transport = async (request) => {
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      dispatcher,
    }).catch((error: unknown) => {
      throw withLoopbackRefusedHint(error, request.url);
    });
    const headers: HttpResponse['headers'] = {};
    for (const [name, value] of Object.entries(response.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const announced = headers['content-length'] === undefined ? Number.NaN : Number(headers['content-length']);
    if (announced > request.maxResponseBytes) {
      response.body.destroy();
      throw new ResponseTooLarge(response.statusCode, announced);
    }
    // One reader for every body: undici's body.bytes() copies the bytes once more (measured +2–8 % CPU per call).
    const bytes = await readLimited(response.body, response.statusCode, request.maxResponseBytes);
    return { status: response.statusCode, headers, body: decodeUtf8Body(bytes, response.statusCode, headers) };
  };
  if (own) transport.close = () => dispatcher.close();
  return transport;
}

/**
 * undici's default connector, with interim 1xx answers skipped on HTTP/1.1 connections (undici
 * itself destroys the connection on an unsolicited `100 Continue`; see skip-interim-answers.ts).
 * HTTP/2 (negotiated by ALPN over TLS) frames interim answers itself and is left alone.
 */
function interimSkippingConnector(): buildConnector.connector {
  const connect = buildConnector({});
  return (options, done) =>
    connect(options, (error, socket) => {
      if (error !== null) return done(error, null);
      const isHttp2 = 'alpnProtocol' in socket && socket.alpnProtocol === 'h2';
      done(null, isHttp2 ? socket : skipInterimAnswers(socket));
    });
}

/**
 * Reads a body with a running byte count, destroying it as soon as the count exceeds `limit` (a
 * body framed by a Content-Length within the limit never does: HTTP/1.1 holds it to that length). An
 * abort of the request's signal destroys the body with the reason (undici), which rejects here too.
 */
function readLimited(body: Dispatcher.ResponseData['body'], status: number, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        reject(new ResponseTooLarge(status, size));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    body.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    body.once('error', reject);
    // Closed without 'end' or 'error' (destroyed elsewhere): the body is incomplete. The flag spares an
    // Error (and its stack) on every whole body, whose 'close' follows 'end' (measured: +20 % CPU per call).
    body.once('close', () => {
      if (!ended) reject(new Error('the response body closed before its end'));
    });
  });
}
