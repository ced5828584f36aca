/**
 * One HTTP request as the pipeline's last stage sends it.
 *
 * @example const transport: Transport = async (req: HttpRequest) => myHttp(req.method, req.url, req.headers, req.body);
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the attempt (per-attempt timeout, deadline, caller): it must also stop the body read. */
  signal: AbortSignal;
  /** Stop reading and reject with `ResponseTooLarge` once the (decoded) body exceeds this many bytes. */
  maxResponseBytes: number;
}

/** One HTTP answer; header names are lower-case. @example ({ status: 200, headers: { 'x-model-version': '2' }, body: '{…}' }) */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * Sends one request and reads its whole body. Rejects with the signal's reason when aborted (also
 * while the body is being read), with `ResponseTooLarge` once the body exceeds
 * `request.maxResponseBytes`, and with any other error when the connection fails (the pipeline turns
 * those into `ConnectionError`). HTTP error statuses resolve.
 *
 * @example
 * const transport: Transport = async (req) => ({ status: 200, headers: {}, body: '{}' });
 */
export type Transport = ((request: HttpRequest) => Promise<HttpResponse>) & {
  /** Releases pooled connections (called by `client.close()` for transports the client created). */
  close?: () => Promise<void>;
};

/**
 * How a transport reports a body above `request.maxResponseBytes` (announced by `Content-Length` or
 * counted while reading): it stops reading and rejects with this; the client turns it into
 * `MalformedResponseError` code `RESPONSE_TOO_LARGE`.
 *
 * @example if (bytes > request.maxResponseBytes) throw new ResponseTooLarge(status, bytes);
 */
export class ResponseTooLarge extends Error {
  constructor(
    readonly status: number,
    readonly bytes: number,
  ) {
    super(`the response body is larger than the limit (at least ${bytes} bytes)`);
    this.name = 'ResponseTooLarge';
  }
}

/**
 * How a transport reports a body that is not UTF-8 (RFC 8259 §8.1): it decodes with a fatal decoder
 * and rejects with this instead of replacing the bytes silently. The client treats it as a body
 * that is not JSON: `MalformedResponseError` on a 2xx, the status's kind with its default code
 * otherwise (docs/semantics.md "How an answer is read").
 *
 * @example throw new BodyNotUtf8(response.status, headers);
 */
export class BodyNotUtf8 extends Error {
  constructor(
    readonly status: number,
    readonly headers: HttpResponse['headers'],
  ) {
    super(`the response body is not UTF-8 (HTTP ${status})`);
    this.name = 'BodyNotUtf8';
  }
}
