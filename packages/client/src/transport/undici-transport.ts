import { Agent, request as undiciRequest } from 'undici';
import type { HttpResponse, Transport } from './transport.js';

/**
 * The Node-optimised transport: `undici.request` on a keep-alive pool, no WHATWG streams in the hot
 * path. Behaviour is identical to the ky transport (the same tests run against both).
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
    return { status: response.statusCode, headers, body: await response.body.text() };
  };
  transport.close = () => dispatcher.close();
  return transport;
}
