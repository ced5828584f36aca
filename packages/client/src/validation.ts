import { InvalidInputError, PayloadTooLargeError } from './errors/error-classes.js';
import { MODEL_NAME_PATTERN, REQUEST_ID_PATTERN } from './generated/policy.js';
import { byteLength } from './internal/byte-length.js';
import type { FeedbackInput } from './types.js';

// Everything the client checks before a request leaves the process: client options (with their
// defaults, see options.ts), per-call options and inputs. Every failure is an InvalidInputError
// (`INVALID_OPTIONS` / `INVALID_INPUT`) or PayloadTooLargeError naming what to fix.

const MODEL_NAME = new RegExp(MODEL_NAME_PATTERN);
const REQUEST_ID = new RegExp(REQUEST_ID_PATTERN);

/**
 * Throws the error for a bad client or call option.
 *
 * @example if (x <= 0) invalidOption(`timeoutMs must be a finite number > 0, got ${x}`);
 */
export function invalidOption(message: string): never {
  throw new InvalidInputError(message, { code: 'INVALID_OPTIONS' });
}

/** A value as an option message shows it: strings quoted, so `"500"` is told apart from `500`. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * `value` (or `fallback` when undefined), checked to be a finite number ≥ 0 (never coerced).
 *
 * @example nonNegative('retry.backoffMaxMs', options.backoffMaxMs, 2000)
 */
export function nonNegative(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) invalidOption(`${name} must be a finite number ≥ 0, got ${shown(value)}`);
  return v;
}

/**
 * `value` (or `fallback` when undefined), checked to be a finite number > 0 (never coerced).
 *
 * @example positive('timeoutMs', options.timeoutMs, 10_000)
 */
export function positive(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) invalidOption(`${name} must be a finite number > 0, got ${shown(value)}`);
  return v;
}

/**
 * `value` (or `fallback` when undefined), checked to be an integer ≥ 0 (a count of retries).
 *
 * @example nonNegativeInteger('retry.maxRetries', options.maxRetries, 2)
 */
export function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) invalidOption(`${name} must be an integer ≥ 0, got ${shown(value)}`);
  return v;
}

/**
 * `value` (or `fallback` when undefined), checked to be an integer > 0.
 *
 * @example positiveInteger('maxJsonDepth', options.maxJsonDepth, 100)
 */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) invalidOption(`${name} must be an integer > 0, got ${shown(value)}`);
  return v;
}

/**
 * A confidence threshold: undefined, or a number in [0, 1].
 *
 * @example checkMinConfidence(0.7) // 0.7
 */
export function checkMinConfidence(value: unknown): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1)))
    invalidOption(`minConfidence must be a number in [0, 1], got ${String(value)}`);
  return value as number | undefined;
}

/**
 * Validates the per-call options every operation shares; only the fields present are checked, so
 * the common call with no options costs nothing.
 *
 * @example checkCallOptions({ timeoutMs: 0 }); // throws InvalidInputError: timeoutMs must be a finite number > 0, got 0
 */
export function checkCallOptions(call: {
  requestId?: unknown;
  timeoutMs?: unknown;
  deadlineMs?: unknown;
  version?: unknown;
  minConfidence?: unknown;
  signal?: unknown;
}): void {
  if (call.requestId !== undefined && (typeof call.requestId !== 'string' || !REQUEST_ID.test(call.requestId))) {
    invalidOption(
      `requestId must be 1 to 128 visible ASCII characters (U+0021–U+007E; it travels in the X-Request-Id header), got ${shown(call.requestId)}`,
    );
  }
  if (call.timeoutMs !== undefined) positive('timeoutMs', call.timeoutMs, 0);
  if (call.deadlineMs !== undefined) positive('deadlineMs', call.deadlineMs, 0);
  if (call.version !== undefined && (typeof call.version !== 'string' || call.version.length < 1 || call.version.length > 64)) {
    invalidOption(`version must be a string of 1 to 64 characters (e.g. '2'), got ${JSON.stringify(call.version)}`);
  }
  checkMinConfidence(call.minConfidence);
  const signal = call.signal as AbortSignal | undefined;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function')) {
    invalidOption('signal must be an AbortSignal (e.g. AbortSignal.timeout(5000) or controller.signal)');
  }
}

/**
 * Validates `waitForJob`'s own options (its timeout and polling cadence) when present.
 *
 * @example checkWaitOptions({ timeoutMs: -1 }); // throws InvalidInputError: timeoutMs must be a finite number > 0, got -1
 */
export function checkWaitOptions(wait: {
  timeoutMs?: unknown;
  pollInitialMs?: unknown;
  pollMaxMs?: unknown;
  pollMultiplier?: unknown;
}): void {
  for (const name of ['timeoutMs', 'pollInitialMs', 'pollMaxMs', 'pollMultiplier'] as const) {
    if (wait[name] !== undefined) positive(name, wait[name], 0);
  }
}

/**
 * A model name as the contract allows it (pattern generated from `openapi/modelwire.yaml`).
 *
 * @example checkModel('Fraud Score'); // throws InvalidInputError (INVALID_INPUT)
 */
export function checkModel(model: unknown): void {
  if (typeof model !== 'string' || !MODEL_NAME.test(model)) {
    throw new InvalidInputError(`model must match ${MODEL_NAME_PATTERN} (e.g. 'fraud-score'), got ${JSON.stringify(model)}`, {
      code: 'INVALID_INPUT',
    });
  }
}

/**
 * The canonical JSON of an input is at most `maxInputBytes` UTF-8 bytes.
 *
 * @example checkInputSize('{"a":"…"}', 10); // throws PayloadTooLargeError (PAYLOAD_TOO_LARGE)
 */
export function checkInputSize(json: string, maxInputBytes: number): void {
  // Characters ≤ bytes ≤ 3 × characters: only measure bytes when it could matter.
  const bytes = json.length * 3 <= maxInputBytes ? json.length : byteLength(json);
  if (bytes > maxInputBytes) {
    throw new PayloadTooLargeError(
      `input is ${bytes} bytes, above maxInputBytes (${maxInputBytes}); send less data or raise maxInputBytes`,
      {
        code: 'PAYLOAD_TOO_LARGE',
      },
    );
  }
}

/**
 * Feedback names the prediction it is about.
 *
 * @example checkFeedback({ requestId: '' }); // throws InvalidInputError (INVALID_INPUT)
 */
export function checkFeedback(input: FeedbackInput | undefined): void {
  if (!input || typeof input.requestId !== 'string' || input.requestId === '') {
    throw new InvalidInputError('feedback needs the requestId of the prediction it is about', { code: 'INVALID_INPUT' });
  }
}
