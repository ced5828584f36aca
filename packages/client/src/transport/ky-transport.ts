import ky from 'ky';
import { decodeUtf8Body } from './decode-utf8-body.js';
import { type HttpResponse, ResponseTooLarge, type Transport } from './transport.js';

/**
 * The universal transport: ky over `fetch` (browsers, Deno, Bun, Node). ky's own retries and timeout
 * are off — the pipeline owns both, so retries never stack. The request's signal also aborts the
 * body read (fetch's streams honour it), a body above `maxResponseBytes` is cut off, a body that is
 * not UTF-8 is refused (`BodyNotUtf8`), and redirects are never followed (docs/semantics.md "How an
 * answer is read"). Interim 1xx answers are the fetch implementation's business: browsers skip them;
 * Node's own fetch (undici) fails the request on an unsolicited `100 Continue` (nodejs/undici#197) —
 * in Node the default `undiciTransport()` skips them.
 *
 * @example
 * createClient({ baseUrl, transport: kyTransport(fetch) });
 */
export function kyTransport(fetchImpl?: typeof fetch): Transport {
  const client = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    // Following a redirect would re-send the bearer token and the input to wherever Location points.
    redirect: 'manual',
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return async (request) => {
    const response = await client(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    // In a browser a manual redirect is opaque (status 0, no headers, no body): it becomes the
    // Server error a 3xx is, with httpStatus 0 and code HTTP_REDIRECT (Node's fetch shows the real 3xx).
    if (response.type === 'opaqueredirect') return opaqueRedirect();
    const headers: HttpResponse['headers'] = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const announced = Number(headers['content-length']);
    if (announced > request.maxResponseBytes) {
      void response.body?.cancel().catch(() => {});
      throw new ResponseTooLarge(response.status, announced);
    }
    const bytes = await readLimited(response, request.maxResponseBytes);
    return { status: response.status, headers, body: decodeUtf8Body(bytes, response.status, headers) };
  };
}

/** The answer standing for a browser's opaque redirect: an error envelope the parser reads like any 3xx body. */
function opaqueRedirect(): HttpResponse {
  const body = {
    status: 'error',
    code: 'HTTP_REDIRECT',
    message: 'the server answered with a redirect, which is not followed (the browser hides its status and Location)',
  };
  return { status: 0, headers: {}, body: JSON.stringify(body) };
}

/** Reads a (decoded) body with a running byte count, cancelling it once the count exceeds `limit`. */
async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
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
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}
