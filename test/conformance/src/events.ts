import { isDeepStrictEqual } from 'node:util';
import type { ExpectedEvent } from './scenario.js';

/** An event as the scenarios spell it: snake_case keys (the TypeScript client emits camelCase). */
export type SnakeEvent = { type: string } & Record<string, unknown>;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * THE mapping from a client event to the scenarios' terms: every key camelCase → snake_case
 * (`requestId` → `request_id`, `latencyMs` → `latency_ms`); values are kept as they are.
 *
 * @example toSnakeEvent({ type: 'retry', delayMs: 1, errorCode: 'TIMEOUT' }) // { type: 'retry', delay_ms: 1, error_code: 'TIMEOUT' }
 */
export function toSnakeEvent(event: object): SnakeEvent {
  return Object.fromEntries(Object.entries(event).map(([k, v]) => [snake(k), v])) as SnakeEvent;
}

const show = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

/**
 * Problems between the events a call emitted and the ones it expects: same count, same order, and
 * every listed key equal (unlisted keys are not checked; numbers compare numerically).
 *
 * @example checkEvents('step 1', [{ type: 'cache_hit' }], [{ type: 'cache_hit', model: 'm' }]) // []
 */
export function checkEvents(label: string, expected: ExpectedEvent[], actual: SnakeEvent[]): string[] {
  const types = (list: { type: string }[]) => list.map((e) => e.type).join(', ');
  if (expected.length !== actual.length) {
    return [`${label}: expected ${expected.length} events [${types(expected)}], got ${actual.length} [${types(actual)}]`];
  }
  const problems: string[] = [];
  expected.forEach((want, i) => {
    const got = actual[i] as SnakeEvent;
    for (const [key, value] of Object.entries(want)) {
      if (!isDeepStrictEqual(got[key], value)) {
        problems.push(`${label}: event ${i + 1} (${got.type}) ${key} expected ${show(value)}, got ${show(got[key])} in ${show(got)}`);
      }
    }
  });
  return problems;
}

/**
 * Problems between the per-type counts of `events` and the expected counts (unlisted types are not checked).
 *
 * @example checkEventCounts('step 2', { coalesced: 2 }, events)
 */
export function checkEventCounts(label: string, expected: Record<string, number>, events: SnakeEvent[]): string[] {
  const problems: string[] = [];
  for (const [type, count] of Object.entries(expected)) {
    const got = events.filter((e) => e.type === type).length;
    if (got !== count) problems.push(`${label}: expected ${count} ${type} event(s), got ${got} [${events.map((e) => e.type).join(', ')}]`);
  }
  return problems;
}
