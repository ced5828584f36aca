import { InvalidInputError, PayloadTooLargeError } from './errors/error-classes.js';
import { MODEL_NAME_PATTERN } from './generated/policy.js';
import { byteLength } from './internal/byte-length.js';
import type { FeedbackInput } from './types.js';

// Everything the client checks before a request leaves the process: client options (with their
// defaults, see options.ts), per-call options and inputs. Every failure is an InvalidInputError
// (`INVALID_OPTIONS` / `INVALID_INPUT`) or PayloadTooLargeError naming what to fix.

const MODEL_NAME = new RegExp(MODEL_NAME_PATTERN);

/**
 * Throws the error for a bad client or call option.
 *
 * @example if (x < 0) invalidOption('timeoutMs must be > 0');
 */
export function invalidOption(message: string): never {
  throw new InvalidInputError(message, { code: 'INVALID_OPTIONS' });
}

/**
 * `value` (or `fallback` when undefined), checked to be a finite number ≥ 0.
 *
 * @example nonNegative('retry.maxRetries', options.maxRetries, 2)
 */
export function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) invalidOption(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  return v;
}

/**
 * `value` (or `fallback` when undefined), checked to be a finite number > 0.
 *
 * @example positive('timeoutMs', options.timeoutMs, 10_000)
 */
export function positive(name: string, value: number | undefined, fallback: number): number {
  const v = nonNegative(name, value, fallback);
  if (v === 0) invalidOption(`${name} must be > 0`);
  return v;
}

/**
 * `value` (or `fallback` when undefined), checked to be an integer > 0.
 *
 * @example positiveInteger('maxJsonDepth', options.maxJsonDepth, 100)
 */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const v = positive(name, value, fallback);
  if (!Number.isInteger(v)) invalidOption(`${name} must be an integer, got ${String(value)}`);
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
 * @example checkCallOptions({ timeoutMs: 0 }); // throws InvalidInputError: timeoutMs must be > 0
 */
export function checkCallOptions(call: {
  requestId?: unknown;
  timeoutMs?: unknown;
  deadlineMs?: unknown;
  version?: unknown;
  minConfidence?: unknown;
  signal?: unknown;
}): void {
  if (call.requestId !== undefined && (typeof call.requestId !== 'string' || call.requestId.length < 1 || call.requestId.length > 128)) {
    invalidOption(`requestId must be a string of 1 to 128 characters, got ${JSON.stringify(call.requestId)}`);
  }
  for (const name of ['timeoutMs', 'deadlineMs'] as const) {
    const v = call[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0))
      invalidOption(`${name} must be a finite number > 0, got ${String(v)}`);
  }
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
 * A model input: a JSON object.
 *
 * @example checkData([1, 2]); // throws InvalidInputError (INVALID_INPUT)
 */
export function checkData(data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidInputError('data must be a JSON object (the model input), e.g. { amount: 120 }', { code: 'INVALID_INPUT' });
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
