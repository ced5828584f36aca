import { ModelwireError, type ModelwireErrorDetails } from './modelwire-error.js';

// One small subclass per kind so callers can `instanceof` the failure they care about.
// Each keeps the kind name in `name` for readable stack traces.

/** HTTP 400: the envelope was not valid. @example if (e instanceof BadRequestError) fixRequest(); */
export class BadRequestError extends ModelwireError {
  override name = 'BadRequestError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('BadRequest', message, d);
  }
}
/**
 * HTTP 401/403 from the gateway (missing, expired or under-scoped token), or no token could be had
 * (`code: 'TOKEN_UNAVAILABLE'`, with the identity provider's `idpStatus` and OAuth error when it answered).
 *
 * @example if (e instanceof AuthError && e.oauthError === 'invalid_client') rotateSecret();
 */
export class AuthError extends ModelwireError {
  override name = 'AuthError';
  /** A token failure: the identity provider's HTTP status (undefined when it did not answer). */
  idpStatus: number | undefined;
  /** A token failure: the OAuth `error` the identity provider answered, e.g. `invalid_client`. */
  oauthError: string | undefined;
  /** A token failure: its `error_description`, one line of at most 200 characters. */
  oauthErrorDescription: string | undefined;
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Auth', message, d);
  }
}
/** HTTP 404: unknown model, version or job. @example if (e instanceof NotFoundError) listModels(); */
export class NotFoundError extends ModelwireError {
  override name = 'NotFoundError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('NotFound', message, d);
  }
}
/** HTTP 409: e.g. cancelling a finished job. @example if (e instanceof ConflictError) ignore(); */
export class ConflictError extends ModelwireError {
  override name = 'ConflictError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Conflict', message, d);
  }
}
/** HTTP 413 or an input above `maxInputBytes`. @example if (e instanceof PayloadTooLargeError) shrink(); */
export class PayloadTooLargeError extends ModelwireError {
  override name = 'PayloadTooLargeError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('PayloadTooLarge', message, d);
  }
}
/** HTTP 422: the input does not match the model's schema; see `errors`. @example e.errors[0].field */
export class ValidationError extends ModelwireError {
  override name = 'ValidationError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Validation', message, d);
  }
}
/** HTTP 429: throttled; `retryAfterMs` says how long the server asked to wait. @example e.retryAfterMs */
export class RateLimitError extends ModelwireError {
  override name = 'RateLimitError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('RateLimit', message, d);
  }
}
/** HTTP 503: the model is unavailable. @example if (e instanceof UnavailableError) degrade(); */
export class UnavailableError extends ModelwireError {
  override name = 'UnavailableError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Unavailable', message, d);
  }
}
/** Other 5xx or unexpected statuses. @example if (e instanceof ServerError) alert(e.httpStatus); */
export class ServerError extends ModelwireError {
  override name = 'ServerError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Server', message, d);
  }
}
/** One attempt took longer than `timeoutMs`. @example if (e instanceof TimeoutError) raiseTimeout(); */
export class TimeoutError extends ModelwireError {
  override name = 'TimeoutError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Timeout', message, d);
  }
}
/** The connection failed (refused, reset, DNS). @example if (e instanceof ConnectionError) checkUrl(); */
export class ConnectionError extends ModelwireError {
  override name = 'ConnectionError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Connection', message, d);
  }
}
/** The breaker for this model is open; no request was sent. @example if (e instanceof CircuitOpenError) later(); */
export class CircuitOpenError extends ModelwireError {
  override name = 'CircuitOpenError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('CircuitOpen', message, d);
  }
}
/** A 2xx answer that is not JSON or not the contract's envelope. @example e.code === 'MALFORMED_RESPONSE' */
export class MalformedResponseError extends ModelwireError {
  override name = 'MalformedResponseError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('MalformedResponse', message, d);
  }
}
/** The call's total deadline passed; `cause` holds the last failure. @example e.cause */
export class DeadlineExceededError extends ModelwireError {
  override name = 'DeadlineExceededError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('DeadlineExceeded', message, d);
  }
}
/** The caller's AbortSignal fired. @example if (e instanceof AbortedError) return; */
export class AbortedError extends ModelwireError {
  override name = 'AbortedError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('Aborted', message, d);
  }
}
/** Bad input or options detected before sending (NaN in data, a negative timeout…). @example e.message */
export class InvalidInputError extends ModelwireError {
  override name = 'InvalidInputError';
  constructor(message: string, d: ModelwireErrorDetails) {
    super('InvalidInput', message, d);
  }
}
