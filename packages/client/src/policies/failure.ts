import { ModelwireError } from '../errors/modelwire-error.js';
import type { Answer } from '../internal/call-context.js';

// "What counts as a failure" lives here, apart from "what to do about it" (retry, breaker,
// fallback), so the three policies can never disagree about a kind of error. The table these
// predicates implement is docs/semantics.md "Failure table", pinned by test/vectors/failures.json.

/** How the breaker treats an attempt's outcome. */
export type BreakerVerdict = 'success' | 'failure' | 'ignored';

/** Why a backup model (or a stale cached answer) is used. */
export type FallbackReason = 'circuit_open' | 'retries_exhausted';

/**
 * Breaker: an answer (2xx envelope) is a success; any status ≥ 500, timeouts and connection errors
 * are failures; every 4xx (incl. 408/429), the caller's abort, malformed 2xx bodies and anything
 * raised before a request leaves the process are ignored (neither failure nor success).
 *
 * @example breakerVerdict({ error: new UnavailableError('…', { code: 'MODEL_UNAVAILABLE', httpStatus: 503 }) }); // 'failure'
 */
export function breakerVerdict(outcome: { answer: Answer } | { error: unknown }): BreakerVerdict {
  if ('answer' in outcome) return 'success';
  const { error } = outcome;
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
export function isRetryable(error: unknown, retryOnStatus: ReadonlySet<number>): error is ModelwireError {
  if (!(error instanceof ModelwireError)) return false;
  if (error.kind === 'Timeout' || error.kind === 'Connection') return true;
  if (error.kind === 'MalformedResponse') return false;
  return error.httpStatus !== undefined && retryOnStatus.has(error.httpStatus);
}

/**
 * Fallback (and stale-if-error): `circuit_open` when the breaker is open, `retries_exhausted` when
 * the final error is a breaker failure (5xx, timeout, connection); undefined otherwise (4xx/429,
 * deadline, the caller's abort…).
 *
 * @example fallbackReason(new CircuitOpenError('…', { code: 'CIRCUIT_OPEN' })); // 'circuit_open'
 */
export function fallbackReason(error: unknown): FallbackReason | undefined {
  if (!(error instanceof ModelwireError)) return undefined;
  if (error.kind === 'CircuitOpen') return 'circuit_open';
  return breakerVerdict({ error }) === 'failure' ? 'retries_exhausted' : undefined;
}
