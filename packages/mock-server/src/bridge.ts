import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Reads a node:http request body completely.
 *
 * @example
 * const raw = await readIncoming(req);
 */
export async function readIncoming(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Builds the Fetch `Request` msw handlers expect from a node:http request.
 *
 * @example
 * const request = toFetchRequest(req, body, 'http://127.0.0.1:4010');
 */
export function toFetchRequest(req: IncomingMessage, body: Buffer, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
  });
}

/**
 * Writes a Fetch `Response` to a node:http response (the body is buffered; the mock's bodies are small).
 *
 * @example
 * await writeFetchResponse(res, new Response('{}', { status: 200 }));
 */
export async function writeFetchResponse(
  res: ServerResponse,
  response: Response,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // The body is re-sent decoded and whole: framing headers of the original no longer apply.
    if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding') headers[name] = value;
  });
  res.writeHead(response.status, { ...extraHeaders, ...headers, 'content-length': String(body.length) });
  res.end(body);
}
