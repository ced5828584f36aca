import ky from 'ky';
import { type HttpResponse, ResponseTooLarge, type Transport } from './transport.js';

/**
 * The universal transport: ky over `fetch` (browsers, Deno, Bun, Node). ky's own retries and timeout
 * are off — the pipeline owns both, so retries never stack. The request's signal also aborts the
 * body read (fetch's streams honour it), and a body above `maxResponseBytes` is cut off.
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
    const announced = Number(headers['content-length']);
    if (announced > request.maxResponseBytes) {
      void response.body?.cancel().catch(() => {});
      throw new ResponseTooLarge(response.status, announced);
    }
    return { status: response.status, headers, body: await readLimited(response, request.maxResponseBytes) };
  };
}

const utf8 = new TextDecoder();

/** Reads a (decoded) body as UTF-8 with a running byte count, cancelling it once the count exceeds `limit`. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      throw new ResponseTooLarge(response.status, size);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return utf8.decode(chunks[0] as Uint8Array);
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return utf8.decode(whole);
}
