import { ModelwireError } from '../errors/modelwire-error.js';

// "What counts as a failure" lives here, apart from "what to do about it" (retry, breaker,
// fallback), so the three policies can never disagree about a kind of error.

/** How the breaker treats an attempt's outcome. */
export type BreakerVerdict = 'failure' | 'ignored';

/**
 * Breaker: 5xx, timeouts and connection errors are failures; 4xx (incl. 408/429), the caller's own
 * abort and malformed 2xx bodies are ignored (neither failure nor success).
 *
 * @example breakerVerdict(new UnavailableError('…', { code: 'MODEL_UNAVAILABLE', httpStatus: 503 })); // 'failure'
 */
export function breakerVerdict(error: unknown): BreakerVerdict {
  // Anything that is not a typed model answer (a bug, a token provider's own error) says nothing about the model.
  if (!(error instanceof ModelwireError)) return 'ignored';
  if (error.kind === 'Timeout' || error.kind === 'Connection') return 'failure';
  if (error.httpStatus !== undefined && error.httpStatus >= 500 && error.kind !== 'MalformedResponse') return 'failure';
  return 'ignored';
}

/**
 * Retry: connection errors, per-attempt timeouts and the configured statuses (408, 429, 5xx…).
 *
 * @example isRetryable(err, new Set([503])); // true for a 503
 */
export function isRetryable(error: unknown, retryOnStatus: ReadonlySet<number>): boolean {
  if (!(error instanceof ModelwireError)) return false;
  if (error.kind === 'Timeout' || error.kind === 'Connection') return true;
  if (error.kind === 'MalformedResponse') return false;
  return error.httpStatus !== undefined && retryOnStatus.has(error.httpStatus);
}

/**
 * Fallback (and stale-if-error): the breaker is open, or the model failed in a way a backup could
 * fix (5xx, timeout, connection). Never on 4xx/429, deadline or the caller's abort.
 *
 * @example isFallbackEligible(new CircuitOpenError('…', { code: 'CIRCUIT_OPEN' })); // true
 */
export function isFallbackEligible(error: unknown): error is ModelwireError {
  if (!(error instanceof ModelwireError)) return false;
  if (error.kind === 'CircuitOpen') return true;
  return breakerVerdict(error) === 'failure';
}

/** Why a fallback happened, as reported in `Prediction.fallback.reason`. */
export function fallbackReason(error: ModelwireError): 'circuit_open' | 'retries_exhausted' {
  return error.kind === 'CircuitOpen' ? 'circuit_open' : 'retries_exhausted';
}
