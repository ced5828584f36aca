import { MalformedResponseError } from '../errors/error-classes.js';
import { errorFromResponse } from '../errors/from-response.js';
import type { FieldError, ModelwireError } from '../errors/modelwire-error.js';
import { parseRetryAfter } from '../retry-after.js';
import type { HttpResponse } from '../transport/transport.js';
import { byteLength } from './byte-length.js';
import type { Answer } from './call-context.js';
import { deepFreeze } from './deep-freeze.js';

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || '(empty body)';
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns an HTTP answer into an `Answer` (2xx success envelope) or the typed error it stands for.
 * A 2xx that is not the contract's envelope is a `MalformedResponseError` that quotes what came back.
 *
 * @example
 * const result = parseResponse(response, { requestId, traceId, wallMs: Date.now() });
 * if (result instanceof ModelwireError) throw result;
 */
export function parseResponse(
  response: HttpResponse,
  ids: { requestId: string; traceId: string; wallMs: number },
): Answer | ModelwireError {
  const json = tryJson(response.body);
  if (response.status >= 200 && response.status < 300) {
    if (!isObject(json) || json.status !== 'success' || !('result' in json)) {
      const what =
        json === undefined
          ? `a non-JSON body: ${snippet(response.body)}`
          : `JSON that is not the success envelope: ${snippet(response.body)}`;
      return new MalformedResponseError(
        `HTTP ${response.status} carried ${what} (expected {status:"success", code, message, request_id, trace_id, result}); check baseUrl points at the model gateway's /v1`,
        { code: 'MALFORMED_RESPONSE', httpStatus: response.status, requestId: ids.requestId, traceId: ids.traceId },
      );
    }
    return {
      envelope: deepFreeze(json),
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
