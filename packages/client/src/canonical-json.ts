import { InvalidInputError } from './errors/error-classes.js';

/**
 * RFC 8785 (JSON Canonicalization Scheme): sorted keys (UTF-16 code units), no whitespace, ECMAScript
 * number and string forms. Every number is an IEEE-754 double; NaN and ±Infinity are rejected.
 *
 * @example
 * canonicalJson({ b: 1.0, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '');
  return out.join('');
}

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
      if (!Number.isFinite(value)) {
        throw new InvalidInputError(`data${path || ''} is ${value}: JSON has no NaN or Infinity; send null or a finite number`, {
          code: 'INVALID_INPUT',
        });
      }
      // JSON.stringify prints numbers exactly as ECMAScript's Number::toString, which RFC 8785 adopts (-0 → "0").
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
          // JSON.stringify turns holes/undefined/functions in arrays into null; so do we.
          write(item === undefined || typeof item === 'function' ? null : item, out, `${path}/${i}`);
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
        write(item, out, `${path}/${key}`);
      }
      out.push('}');
      return;
    }
    default:
      throw new InvalidInputError(`data${path} is a ${typeof value}, which JSON cannot represent`, {
        code: 'INVALID_INPUT',
      });
  }
}
