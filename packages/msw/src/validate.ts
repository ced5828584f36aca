import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from './contract.js';

// ajv-formats is CommonJS: under ESM the plugin may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Turns one ajv error into a contract field error whose `field` is a JSON Pointer into `data`
 * (for a missing property, the pointer of that property).
 *
 * @example
 * toFieldError({ instancePath: '', keyword: 'required', params: { missingProperty: 'amount' }, message: "must have required property 'amount'", schemaPath: '' });
 * // { field: '/amount', message: "must have required property 'amount'" }
 */
export function toFieldError(error: ErrorObject): FieldError {
  const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  const field = missing === undefined ? error.instancePath : `${error.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return { field, message: error.message ?? `fails ${error.keyword}` };
}

/**
 * Validates `value` against a JSON Schema with ajv; returns the field errors, or `null` when valid.
 * Compiled validators are cached per schema object.
 *
 * @example
 * validateWithSchema({ type: 'object', required: ['text'] }, {}); // [{ field: '/text', message: … }]
 */
export function validateWithSchema(schema: object, value: unknown): FieldError[] | null {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return null;
  return (validate.errors ?? []).map(toFieldError);
}
