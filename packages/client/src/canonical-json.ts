import { InvalidInputError } from './errors/error-classes.js';
import { childPath } from './internal/json-path.js';

/**
 * RFC 8785 (JSON Canonicalization Scheme): sorted keys (UTF-16 code units), no whitespace, ECMAScript
 * number and string forms. Every number is an IEEE-754 double; NaN and ±Infinity are rejected.
 *
 * @example
 * canonicalJson({ b: 1.0, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonicalize(value);
  } catch (error) {
    // A value nested deeper than the stack (or circular) is the caller's input, not a crash. The
    // client checks its inputs' depth before this (internal/model-input.ts); direct callers land here.
    if (error instanceof RangeError) {
      throw new InvalidInputError('data is nested too deep to be JSON (is it circular?)', { code: 'INVALID_INPUT', cause: error });
    }
    throw error;
  }
}

function canonicalize(value: unknown): string {
  // Fast path: once every object's keys are in canonical order, native JSON.stringify prints exactly
  // RFC 8785 (same number and string forms). `prepare` reorders only the objects that need it.
  const state = { manual: false };
  const prepared = prepare(value, state);
  if (!state.manual) return JSON.stringify(prepared) ?? 'null';
  const out: string[] = [];
  write(value, out, 'data');
  return out.join('');
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

function invalidNumber(value: number, path: string): never {
  throw new InvalidInputError(`${path}: ${value} is not a JSON value; send null or a finite number`, {
    code: 'INVALID_INPUT',
  });
}

function invalidType(value: unknown, path: string): never {
  throw new InvalidInputError(`${path}: a ${typeof value} is not a JSON value`, { code: 'INVALID_INPUT' });
}

/** Where the first non-finite number sits (only computed for the error message). */
function pathOfNonFinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = pathOfNonFinite(item, childPath(path, Array.isArray(value) ? Number(key) : key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Returns `value` itself when already canonical, else a reordered copy; flags cases JSON.stringify can't order. */
function prepare(value: unknown, state: { manual: boolean; root?: unknown }): unknown {
  state.root ??= value;
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) invalidNumber(value, pathOfNonFinite(state.root, 'data') ?? 'data');
      return value;
    case 'bigint':
      return Number(value);
    case 'object': {
      if (value === null) return value;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        state.manual = true;
        return value;
      }
      if (Array.isArray(value)) return prepareArray(value, state);
      const keys = Object.keys(value);
      let sorted = true;
      for (let i = 1; i < keys.length; i++) {
        if ((keys[i - 1] as string) > (keys[i] as string)) {
          sorted = false;
          break;
        }
      }
      let copy: Record<string, unknown> | undefined;
      if (!sorted) {
        keys.sort();
        // Objects enumerate integer-like keys first, whatever the insertion order: only the manual writer can order them.
        if (keys.some((k) => INDEX_KEY.test(k))) state.manual = true;
        copy = {};
      }
      for (const key of keys) {
        const item = (value as Record<string, unknown>)[key];
        const p = prepare(item, state);
        if (p !== item && !copy) {
          copy = {};
          for (const k of keys) {
            if (k === key) break;
            copy[k] = (value as Record<string, unknown>)[k];
          }
        }
        if (copy) copy[key] = p;
      }
      return copy ?? value;
    }
    case 'symbol':
      return value;
    default:
      return value;
  }
}

/** `prepare` for an array: the array itself, or a copy when an item changed. */
function prepareArray(value: unknown[], state: { manual: boolean; root?: unknown }): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const p = prepare(item, state);
    if (p !== item) {
      copy ??= value.slice();
      copy[i] = p;
    }
  }
  return copy ?? value;
}

/** The general writer: handles toJSON and integer-like keys that JSON.stringify cannot order. */
function write(value: unknown, out: string[], path: string): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) invalidNumber(value, path);
      // ECMAScript's Number::toString, which RFC 8785 adopts (-0 → "0").
      out.push(JSON.stringify(value));
      return;
    case 'bigint':
      out.push(JSON.stringify(Number(value)));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          const item = value[i];
          // JSON.stringify turns undefined/functions in arrays into null; so do we.
          write(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, out, childPath(path, i));
        }
        out.push(']');
        return;
      }
      const toJSON = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof toJSON === 'function') {
        write(toJSON.call(value), out, path);
        return;
      }
      // Default sort compares UTF-16 code units, exactly what RFC 8785 requires.
      const keys = Object.keys(value).sort();
      out.push('{');
      let first = true;
      for (const key of keys) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(key), ':');
        write(item, out, childPath(path, key));
      }
      out.push('}');
      return;
    }
    default:
      invalidType(value, path);
  }
}
