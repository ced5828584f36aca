/**
 * Freezes a parsed JSON value all the way down, unless it is nested deeper than `maxDepth` (a
 * container at the top is depth 1, each nested container adds 1): then it returns false, having
 * frozen only part of it. Answers are shared by the cache and by coalesced callers, so one caller
 * mutating its result must not change what the others (or a later cache hit) see: results are
 * read-only, copy them before changing them.
 *
 * The walk is iterative (an explicit stack), so a 10,000-level answer costs no call stack; it is
 * the walk freezing needs anyway, so checking the depth adds nothing to the hot path.
 *
 * @example freezeWithinDepth(JSON.parse('{"a":{"b":1}}'), 100); // true, and .a.b = 2 is now a TypeError
 */
export function freezeWithinDepth(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const node = values.pop() as Record<string, unknown>;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return false;
    Object.freeze(node);
    for (const key in node) {
      const child = node[key];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return true;
}
