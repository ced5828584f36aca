import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import { type HttpResponse, ResponseTooLarge, type Transport } from './transport.js';

/**
 * The Node-optimised transport: `undici.request` on a keep-alive pool, no WHATWG streams in the hot
 * path. Behaviour is identical to the ky transport (the same tests run against both): the request's
 * signal also aborts the body read, and a body above `maxResponseBytes` is cut off.
 *
 * @example
 * createClient({ baseUrl, transport: undiciTransport() });
 */
export function undiciTransport(options: { connections?: number } = {}): Transport {
  const dispatcher = new Agent({ connections: options.connections ?? 128, keepAliveTimeout: 10_000 });
  const transport: Transport = async (request) => {
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      dispatcher,
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
    // HTTP/1.1 framing holds a body to its Content-Length, so only a body without one needs counting
    // (undici's own reader is the faster path; the request's signal aborts either).
    const body = Number.isFinite(announced)
      ? await response.body.text()
      : await readLimited(response.body, response.statusCode, request.maxResponseBytes);
    return { status: response.statusCode, headers, body };
  };
  transport.close = () => dispatcher.close();
  return transport;
}

/**
 * Reads a body as UTF-8 with a running byte count, destroying it as soon as the count exceeds
 * `limit`. An abort of the request's signal destroys the body with the reason (undici), which
 * rejects here too.
 */
function readLimited(body: Dispatcher.ResponseData['body'], status: number, limit: number): Promise<string> {
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
    body.once('end', () => resolve((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)).toString('utf8')));
    body.once('error', reject);
    // Closed without 'end' or 'error' (destroyed elsewhere): the body is incomplete.
    body.once('close', () => reject(new Error('the response body closed before its end')));
  });
}
