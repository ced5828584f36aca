import type { IncomingHttpHeaders } from 'node:http';

/**
 * One request the mock received (admin routes excluded).
 *
 * @example
 * const entry: LoggedRequest = { seq: 1, method: 'GET', path: '/v1/models', headers: { accept: '*\/*' }, body: null };
 */
export interface LoggedRequest {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Header names lower-case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the raw string; `null` when empty. */
  body: unknown;
}

/**
 * The in-memory request log behind `GET /__admin/requests`.
 *
 * @example
 * const log = new RequestLog();
 * log.add('GET', '/v1/models', {}, '');
 */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  private seq = 0;

  /** Records a request. */
  add(method: string, path: string, headers: IncomingHttpHeaders, rawBody: string): LoggedRequest {
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    let body: unknown = null;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    this.seq += 1;
    const entry = { seq: this.seq, method, path, headers: flat, body };
    this.entries.push(entry);
    return entry;
  }

  /** Empties the log and restarts `seq` at 1. */
  clear(): void {
    this.entries.length = 0;
    this.seq = 0;
  }
}
