/**
 * Freezes a parsed JSON value all the way down. Answers are shared by the cache and by coalesced
 * callers, so one caller mutating its result must not change what the others (or a later cache hit)
 * see: results are read-only, copy them before changing them.
 *
 * @example deepFreeze(JSON.parse('{"a":{"b":1}}')).a.b = 2; // TypeError in strict mode
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
