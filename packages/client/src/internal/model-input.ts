import { InvalidInputError } from '../errors/error-classes.js';
import { childPath } from './json-path.js';

// The input value domain (docs/semantics.md "What the SDKs check before sending"): `data` is a plain
// object whose values are JSON values, nested at most `maxDepth` levels (the outer object is level 1).
// The walk is iterative (an explicit stack), so a deep or circular input is an InvalidInputError,
// never a RangeError; a circular input is reported as too deep.

/** A container still to be walked, and how it was reached (the path is only built for a message). */
interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/**
 * Throws `InvalidInputError` (`INVALID_INPUT`) naming the path of the first value in `data` that is
 * not JSON. An object member whose value is `undefined` is allowed (it is left out, as
 * `JSON.stringify` does); `undefined` in an array is not.
 *
 * @example
 * checkModelInput({ items: [1, 2, new Date()] }, 100);
 * // throws InvalidInputError: data.items[2]: a Date is not a JSON value; send an ISO string (date.toISOString())
 */
export function checkModelInput(data: unknown, maxDepth: number): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !isPlainObject(data)) {
    throw new InvalidInputError(`data must be a JSON object (the model input), e.g. { amount: 120 }, got ${describe(data)}`, {
      code: 'INVALID_INPUT',
    });
  }
  const stack: Frame[] = [{ value: data, depth: 1, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value } = frame;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) checkMember(value[i], frame, i, stack, maxDepth);
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) checkMember(record[key], frame, key, stack, maxDepth);
    }
  }
}

/** Checks one member: primitives here and now, containers pushed for later (no recursion). */
function checkMember(item: unknown, parent: Frame, key: string | number, stack: Frame[], maxDepth: number): void {
  switch (typeof item) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(item)) throw refusal(parent, key, `${item} is not a JSON value; send null or a finite number`);
      return;
    case 'undefined':
      // JSON.stringify leaves an undefined member out of an object, but would turn it into null in an array.
      if (typeof key === 'number') throw refusal(parent, key, 'undefined is not a JSON value in an array; send null');
      return;
    case 'object':
      if (item === null) return;
      if (!Array.isArray(item) && !isPlainObject(item)) throw refusal(parent, key, notJsonObject(item));
      if (parent.depth + 1 > maxDepth) {
        throw refusal(parent, key, `the input is nested deeper than maxJsonDepth (${maxDepth}) levels (is it circular?)`);
      }
      stack.push({ value: item, depth: parent.depth + 1, parent, key });
      return;
    case 'bigint':
      throw refusal(parent, key, 'a bigint is not a JSON value; send a number or a string');
    case 'function':
      throw refusal(parent, key, 'a function is not a JSON value');
    default:
      throw refusal(parent, key, `a ${typeof item} is not a JSON value`);
  }
}

/**
 * An object literal (or `Object.create(null)`): not a class instance, a Map, a Date… Its prototype
 * is a root prototype, so a plain object from another realm (a vm context, an iframe) passes too.
 */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Why an object that is neither an array nor a plain object is refused, and what to send instead. */
function notJsonObject(value: object): string {
  if (value instanceof Date) return 'a Date is not a JSON value; send an ISO string (date.toISOString())';
  if (value instanceof Map) return 'a Map is not a JSON value; send a plain object (Object.fromEntries(map))';
  if (value instanceof Set) return 'a Set is not a JSON value; send an array ([...set])';
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return 'bytes are not a JSON value; send a base64 string';
  return `${describe(value)} is not a JSON value; send a plain object or an array`;
}

/** A short description of a value's type for a message (never the value itself: it may be personal data). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if (typeof name !== 'string' || name === '' || name === 'Object') return 'an object';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} instance`;
}

/** The error for the member `key` of `parent`, naming its path. */
function refusal(parent: Frame, key: string | number, reason: string): InvalidInputError {
  return new InvalidInputError(`${pathOf(parent, key)}: ${reason}`, { code: 'INVALID_INPUT' });
}

/** The path of a member; a very deep one keeps its first and last steps (`data.a.a.a.a.a….a.a.a`), to stay readable. */
function pathOf(parent: Frame, key: string | number): string {
  const keys: (string | number)[] = [key];
  for (let f: Frame | undefined = parent; f?.parent !== undefined; f = f.parent) keys.push(f.key);
  keys.reverse();
  const join = (from: string, steps: (string | number)[]) => steps.reduce<string>((path, k) => childPath(path, k), from);
  if (keys.length <= 10) return join('data', keys);
  return join(`${join('data', keys.slice(0, 5))}…`, keys.slice(-3));
}
