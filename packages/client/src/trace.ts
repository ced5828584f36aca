import { randomHex } from './internal/ids.js';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace a logical call belongs to. */
export interface TraceContext {
  traceId: string;
  flags: string;
}

/**
 * Continues the given W3C `traceparent` (e.g. from the active OpenTelemetry span) or starts a new
 * trace. Every attempt then sends `traceparent` with the same trace id and a fresh span id.
 *
 * @example
 * const trace = startTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * formatTraceparent(trace); // '00-4bf9…4736-<new span>-01'
 */
export function startTrace(parent: string | undefined): TraceContext {
  const match = parent ? TRACEPARENT.exec(parent.trim().toLowerCase()) : null;
  if (match && match[2] !== '0'.repeat(32)) return { traceId: match[2] as string, flags: match[4] as string };
  return { traceId: randomHex(16), flags: '01' };
}

/** A `traceparent` header for one attempt (new span id). @example formatTraceparent(startTrace(undefined)) */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomHex(8)}-${trace.flags}`;
}
