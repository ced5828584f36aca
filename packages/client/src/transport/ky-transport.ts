import ky from 'ky';
import type { HttpResponse, Transport } from './transport.js';

/**
 * The universal transport: ky over `fetch` (browsers, Deno, Bun, Node). ky's own retries and timeout
 * are off — the pipeline owns both, so retries never stack.
 *
 * @example
 * createClient({ baseUrl, transport: kyTransport(fetch) });
 */
export function kyTransport(fetchImpl?: typeof fetch): Transport {
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return async (request) => {
    const response = await client(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    const headers: HttpResponse['headers'] = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  };
}
