/**
 * One field-level problem reported by the model's input validation (HTTP 422).
 *
 * @example for (const { field, message } of error.errors) form.mark(field, message);
 */
export interface FieldError {
  /** JSON Pointer into `data`, e.g. `/amount`. */
  field: string;
  message: string;
}

/**
 * The kinds of failure every modelwire SDK distinguishes (same names in Python and Java).
 *
 * @example if (error.kind === 'RateLimit') later(error.retryAfterMs);
 */
export type ErrorKind =
  | 'BadRequest'
  | 'Auth'
  | 'NotFound'
  | 'Conflict'
  | 'PayloadTooLarge'
  | 'Validation'
  | 'RateLimit'
  | 'Unavailable'
  | 'Server'
  | 'Timeout'
  | 'Connection'
  | 'CircuitOpen'
  | 'MalformedResponse'
  | 'DeadlineExceeded'
  | 'Aborted'
  | 'InvalidInput';

/** What every modelwire error carries besides its message. @example new ServerError('boom', { code: 'INTERNAL', httpStatus: 500 }) */
export interface ModelwireErrorDetails {
  code: string;
  httpStatus?: number;
  requestId?: string;
  traceId?: string;
  errors?: FieldError[];
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}

/**
 * The base of every error the client throws. Catch it to handle all modelwire failures, or catch a
 * subclass (`ValidationError`, `RateLimitError`, `CircuitOpenError`…) for one kind.
 *
 * @example
 * try {
 *   await client.predict('fraud-score', data);
 * } catch (error) {
 *   if (error instanceof ModelwireError) console.log(error.kind, error.code, error.requestId);
 * }
 */
export class ModelwireError extends Error {
  override name = 'ModelwireError';
  /** The language-neutral kind, e.g. `'Validation'`. */
  readonly kind: ErrorKind;
  /** A stable machine-readable code: the gateway's (`VALIDATION_FAILED`) or the client's (`TIMEOUT`). */
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly traceId: string | undefined;
  /** Field errors from a 422, else empty. */
  readonly errors: FieldError[];
  /** The server's requested wait (Retry-After) when it asked for one. */
  readonly retryAfterMs: number | undefined;
  /** HTTP attempts made before this error was thrown. */
  attempts: number;
  /** When a backup model was tried and failed too: its error (this one is the primary model's). */
  backupError: ModelwireError | undefined;

  constructor(kind: ErrorKind, message: string, details: ModelwireErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.code = details.code;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.traceId = details.traceId;
    this.errors = details.errors ?? [];
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 0;
    this.backupError = undefined;
  }
}
