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
  signal: AbortSignal;
}

/** One HTTP answer; header names are lower-case. @example ({ status: 200, headers: { 'x-model-version': '2' }, body: '{…}' }) */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * Sends one request. Rejects with the signal's reason when aborted, and with any other error when the
 * connection fails (the pipeline turns those into `ConnectionError`). HTTP error statuses resolve.
 *
 * @example
 * const transport: Transport = async (req) => ({ status: 200, headers: {}, body: '{}' });
 */
export type Transport = ((request: HttpRequest) => Promise<HttpResponse>) & {
  /** Releases pooled connections (called by `client.close()` for transports the client created). */
  close?: () => Promise<void>;
};
