import { MalformedResponseError } from '../errors/error-classes.js';
import { errorFromResponse } from '../errors/from-response.js';
import type { FieldError, ModelwireError } from '../errors/modelwire-error.js';
import { parseRetryAfter } from '../retry-after.js';
import type { BodyNotUtf8, HttpResponse } from '../transport/transport.js';
import { byteLength } from './byte-length.js';
import type { Answer } from './call-context.js';
import { freezeWithinDepth } from './freeze-within-depth.js';

function snippet(text: string): string {
  // Only the start is quoted: a huge body is not scanned whole.
  const flat = text.slice(0, 480).replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || '(empty body)';
}

/** Marks a body that is JSON but nested deeper than `maxJsonDepth`: on a 2xx malformed, else a non-JSON error body. */
const TOO_DEEP = Symbol('too deep');

/** The parsed body frozen, undefined when it is not JSON, `TOO_DEEP` when nested deeper than `maxDepth`. */
function tryJson(text: string, maxDepth: number): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  return freezeWithinDepth(json, maxDepth) ? json : TOO_DEEP;
}

/** What the parser needs besides the answer: the call's ids, the wall clock (Retry-After) and the depth limit. */
export interface ParseContext {
  requestId: string;
  traceId: string;
  wallMs: number;
  maxJsonDepth: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns an HTTP answer into an `Answer` (2xx success envelope) or the typed error it stands for.
 * A 2xx that is not the contract's envelope (or is JSON nested deeper than `maxJsonDepth`) is a
 * `MalformedResponseError` that quotes what came back; a non-2xx whose body is not a usable
 * envelope is its status's error with the default code.
 *
 * @example
 * const result = parseResponse(response, { requestId, traceId, wallMs: Date.now(), maxJsonDepth: 100 });
 * if (result instanceof ModelwireError) throw result;
 */
export function parseResponse(response: HttpResponse, ids: ParseContext): Answer | ModelwireError {
  const json = tryJson(response.body, ids.maxJsonDepth);
  if (response.status >= 200 && response.status < 300) {
    // Every result in the contract is an object; an array, string or null is not the envelope.
    if (!isObject(json) || json.status !== 'success' || !isObject(json.result)) {
      const what =
        json === undefined
          ? `a non-JSON body: ${snippet(response.body)}`
          : json === TOO_DEEP
            ? `JSON nested deeper than maxJsonDepth (${ids.maxJsonDepth}): ${snippet(response.body)}`
            : `JSON that is not the success envelope: ${snippet(response.body)}`;
      return new MalformedResponseError(
        `HTTP ${response.status} carried ${what} (expected {status:"success", code, message, request_id, trace_id, result}); check baseUrl points at the model gateway's /v1`,
        { code: 'MALFORMED_RESPONSE', httpStatus: response.status, requestId: ids.requestId, traceId: ids.traceId },
      );
    }
    return {
      envelope: json,
      bytes: byteLength(response.body),
      servedVersion: response.headers['x-model-version'],
      cached: false,
      stale: false,
      fallback: undefined,
      attempts: 0,
    };
  }
  const envelope = isObject(json) && json.status === 'error' ? json : undefined;
  const errors = Array.isArray(envelope?.errors)
    ? (envelope.errors as unknown[])
        .filter(isObject)
        .map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }) as FieldError)
    : undefined;
  return errorFromResponse({
    status: response.status,
    code: typeof envelope?.code === 'string' ? envelope.code : undefined,
    message: typeof envelope?.message === 'string' ? envelope.message : `non-envelope body: ${snippet(response.body)}`,
    requestId: typeof envelope?.request_id === 'string' ? envelope.request_id : ids.requestId,
    traceId: typeof envelope?.trace_id === 'string' ? envelope.trace_id : ids.traceId,
    errors,
    retryAfterMs: parseRetryAfter(response.headers['retry-after'], ids.wallMs),
  });
}

/**
 * The error for an answer whose body is not UTF-8: the same as for a body that is not JSON —
 * `MalformedResponseError` on a 2xx, the status's kind with its default code otherwise (its
 * `Retry-After` still counts).
 *
 * @example throw undecodableAnswer(new BodyNotUtf8(200, {}), { requestId, traceId, wallMs: Date.now(), maxJsonDepth: 100 });
 */
export function undecodableAnswer(answer: BodyNotUtf8, ids: ParseContext): ModelwireError {
  if (answer.status >= 200 && answer.status < 300) {
    return new MalformedResponseError(
      `HTTP ${answer.status} carried a body that is not UTF-8 (an invalid byte sequence); JSON must be UTF-8`,
      { code: 'MALFORMED_RESPONSE', httpStatus: answer.status, requestId: ids.requestId, traceId: ids.traceId },
    );
  }
  return errorFromResponse({
    status: answer.status,
    message: 'non-envelope body: not UTF-8',
    requestId: ids.requestId,
    traceId: ids.traceId,
    retryAfterMs: parseRetryAfter(answer.headers['retry-after'], ids.wallMs),
  });
}
