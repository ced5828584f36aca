import { HttpResponse } from 'msw';
import type { ErrorCode, ErrorEnvelope, FieldError, Schemas } from './contract.js';
import type { RequestIds } from './ids.js';

/** The error code the contract uses for an HTTP status (`HTTP_<n>` statuses map to the nearest code). */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'MODEL_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/**
 * The contract's error code for an HTTP status.
 *
 * @example
 * errorCodeForStatus(429); // 'RATE_LIMITED'
 */
export function errorCodeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

/**
 * Builds a contract-valid error envelope.
 *
 * @example
 * errorEnvelope({ requestId: 'r', traceId: 't' }, 'NOT_FOUND', 'model x not found');
 */
export function errorEnvelope(ids: RequestIds, code: ErrorCode, message: string, errors?: FieldError[]): ErrorEnvelope {
  const envelope: ErrorEnvelope = {
    status: 'error',
    code,
    message,
    request_id: ids.requestId,
    trace_id: ids.traceId,
  };
  if (errors) envelope.errors = errors;
  return envelope;
}

/**
 * Builds a success envelope around `fields` (`result`, `model`, …).
 *
 * @example
 * successEnvelope(ids, 'OK', 'ok', { result: { state: 'ok' } });
 */
export function successEnvelope<T extends object>(
  ids: RequestIds,
  code: Schemas['SuccessCode'],
  message: string,
  fields: T,
): Schemas['SuccessEnvelopeBase'] & T {
  return { status: 'success', code, message, request_id: ids.requestId, trace_id: ids.traceId, ...fields };
}

/**
 * A JSON response that echoes `X-Request-Id`.
 *
 * @example
 * return jsonResponse(200, envelope, ids, { 'X-Model-Version': '2' });
 */
export function jsonResponse(status: number, body: unknown, ids: RequestIds, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(body as never, {
    status,
    headers: { 'X-Request-Id': ids.requestId, ...headers },
  }) as Response;
}

/**
 * A JSON error response: the envelope plus `X-Request-Id` (and any extra headers, e.g. `Retry-After`).
 *
 * @example
 * return errorResponse(404, ids, 'model x not found');
 */
export function errorResponse(
  status: number,
  ids: RequestIds,
  message: string,
  options: { code?: ErrorCode; errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const code = options.code ?? errorCodeForStatus(status);
  return jsonResponse(status, errorEnvelope(ids, code, message, options.errors), ids, options.headers);
}
