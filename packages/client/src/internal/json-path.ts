// How an error message names a place inside the caller's input: `data.items[2]`, `data["a b"]`.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The path of an object member or array item below `parent`, in JavaScript accessor notation.
 *
 * @example childPath('data', 'items') // 'data.items'; childPath('data.items', 2) // 'data.items[2]'; childPath('data', 'a b') // 'data["a b"]'
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
