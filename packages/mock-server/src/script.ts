/**
 * One scripted answer of a route (see the admin API in docs/semantics.md).
 *
 * @example
 * const r: ScriptedResponse = { status: 503, headers: { 'Retry-After': '0' } };
 */
export interface ScriptedResponse {
  /** HTTP status; omitted = the real handler's status (or 200 with `body`/`raw_body`). */
  status?: number;
  headers?: Record<string, string>;
  /** JSON body sent as is; omitted on an error status = a contract error envelope. */
  body?: unknown;
  /** Bytes sent as is (UTF-8), e.g. `"<html>"` or broken JSON. Wins over `body`. */
  raw_body?: string;
  /** Wait this long before answering (or before resetting). */
  delay_ms?: number;
  /** Destroy the socket instead of answering (a connection reset). */
  reset?: boolean;
  /** The body as parts, each `text` repeated `times` (deep or huge bodies without huge scripts). Wins over `raw_body` and `body`. */
  body_parts?: { text: string; times?: number }[];
  /** Send the body in pieces of this many bytes (with `chunk_interval_ms` between them): a trickle. */
  chunk_bytes?: number;
  /** The pause between two pieces of the body. */
  chunk_interval_ms?: number;
  /** Send the status, headers (with the full content-length) and this many body bytes, then nothing more: a stall. */
  stall_after_bytes?: number;
  /**
   * The whole HTTP answer as bytes (one character = one byte, latin1): status line, headers,
   * framing and body written to the socket as is, then the connection is closed. Wins over every
   * other field but `delay_ms`, `chunk_bytes`, `chunk_interval_ms` and `stall_after_bytes`.
   */
  raw_response?: string;
}

/**
 * A scripted route: requests with this method and exact path consume `responses` in order; then
 * `passthrough` (default: the real models answer) or `repeat_last`.
 *
 * @example
 * const route: ScriptedRoute = { method: 'POST', path: '/v1/models/fraud-score/predict', responses: [{ status: 503 }], then: 'passthrough' };
 */
export interface ScriptedRoute {
  method: string;
  path: string;
  responses: ScriptedResponse[];
  then?: 'passthrough' | 'repeat_last';
}

interface LoadedRoute extends ScriptedRoute {
  next: number;
}

/**
 * The scripts of the loaded scenario.
 *
 * @example
 * const book = new ScriptBook();
 * book.load([{ method: 'GET', path: '/v1/models', responses: [{ status: 500 }] }]);
 * book.take('GET', '/v1/models'); // { status: 500 }
 * book.take('GET', '/v1/models'); // undefined (passthrough)
 */
export class ScriptBook {
  private routes: LoadedRoute[] = [];

  /** Replaces every script. */
  load(routes: ScriptedRoute[]): void {
    this.routes = routes.map((r) => ({ ...r, method: r.method.toUpperCase(), next: 0 }));
  }

  /** Forgets every script. */
  clear(): void {
    this.routes = [];
  }

  /** The next scripted response of a request, or `undefined` when the real handlers answer. */
  take(method: string, path: string): ScriptedResponse | undefined {
    const route = this.routes.find((r) => r.method === method.toUpperCase() && r.path === path);
    if (!route || route.responses.length === 0) return undefined;
    if (route.next < route.responses.length) return route.responses[route.next++];
    return route.then === 'repeat_last' ? route.responses[route.responses.length - 1] : undefined;
  }
}
