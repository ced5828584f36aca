import {
  AuthError,
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  ServerError,
  UnavailableError,
  ValidationError,
} from './error-classes.js';
import type { FieldError, ModelwireError, ModelwireErrorDetails } from './modelwire-error.js';

/** What the response parser learned from a non-2xx answer. */
export interface ErrorResponseFacts {
  status: number;
  code?: string;
  message?: string;
  requestId?: string;
  traceId?: string;
  errors?: FieldError[];
  retryAfterMs?: number;
}

// Codes for bodies that are not envelopes (an nginx HTML page…); other statuses get `HTTP_<status>`.
const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'MODEL_UNAVAILABLE',
};

/**
 * Turns a non-2xx answer into the typed error of its status.
 *
 * @example
 * throw errorFromResponse({ status: 422, errors: [{ field: '/amount', message: 'must be number' }] });
 */
export function errorFromResponse(facts: ErrorResponseFacts): ModelwireError {
  const { status } = facts;
  const details: ModelwireErrorDetails = {
    code: facts.code ?? DEFAULT_CODES[status] ?? `HTTP_${status}`,
    httpStatus: status,
    requestId: facts.requestId,
    traceId: facts.traceId,
    errors: facts.errors,
    retryAfterMs: facts.retryAfterMs,
  };
  const message = `HTTP ${status} ${details.code}: ${facts.message ?? 'no message'}`;
  if (status === 400) return new BadRequestError(message, details);
  if (status === 401 || status === 403) return new AuthError(message, details);
  if (status === 404) return new NotFoundError(message, details);
  if (status === 409) return new ConflictError(message, details);
  if (status === 413) return new PayloadTooLargeError(message, details);
  if (status === 422) {
    const fields = (facts.errors ?? []).map((e) => `${e.field || '/'} ${e.message}`).join('; ');
    return new ValidationError(fields ? `${message} (${fields})` : message, details);
  }
  if (status === 429) return new RateLimitError(message, details);
  if (status === 503) return new UnavailableError(message, details);
  return new ServerError(message, details);
}
