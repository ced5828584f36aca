import { randomBytes, randomUUID } from 'node:crypto';

/** The ids the envelopes echo: the caller's request id and the W3C trace id. */
export interface RequestIds {
  requestId: string;
  traceId: string;
}

/** What may be echoed as a request id (the contract's pattern: it goes back out in a header). */
const REQUEST_ID = /^[!-~]{1,128}$/;

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Picks the ids an envelope must echo: `X-Request-Id`, else the body's `request_id`, else a new
 * UUID (an id outside the contract's `^[!-~]{1,128}$` is not echoed); the trace id of `traceparent`, else a new random one.
 *
 * @example
 * const ids = requestIds(new Headers({ 'x-request-id': 'r1' }));
 * ids.requestId; // 'r1'
 */
export function requestIds(headers: Headers, body?: unknown): RequestIds {
  const fromHeader = headers.get('x-request-id');
  const fromBody =
    body && typeof body === 'object' && typeof (body as { request_id?: unknown }).request_id === 'string'
      ? (body as { request_id: string }).request_id
      : undefined;
  // An id that could not travel in a header (non-ASCII, spaces, tabs, > 128 characters) is never echoed.
  const valid = (id: string | null | undefined) => (id && REQUEST_ID.test(id) ? id : undefined);
  const requestId = valid(fromHeader) ?? valid(fromBody) ?? randomUUID();
  const match = TRACEPARENT.exec(headers.get('traceparent') ?? '');
  const traceId = match?.[1] ?? randomBytes(16).toString('hex');
  return { requestId, traceId };
}
