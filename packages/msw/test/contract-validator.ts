/**
 * Validates mock responses against openapi/modelwire.yaml: the operation is found from method + path,
 * the schema from the declared response of that status (ajv over the contract's own components).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, any>;
export const SPEC_PATH = fileURLToPath(new URL('../../../openapi/modelwire.yaml', import.meta.url));
export const spec: Json = parse(readFileSync(SPEC_PATH, 'utf8'));

// OpenAPI 3.0 is "JSON Schema with quirks": `example`/`nullable` are not keywords for ajv, so strict is off.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(spec, 'openapi');

const cache = new Map<string, ValidateFunction>();
/** A validator for a JSON Pointer into the contract, e.g. `#/components/schemas/ErrorEnvelope`. */
export function validatorFor(pointer: string): ValidateFunction {
  let fn = cache.get(pointer);
  if (!fn) {
    fn = ajv.compile({ $ref: `openapi${pointer}` });
    cache.set(pointer, fn);
  }
  return fn;
}

function deref(node: Json): Json {
  let current = node;
  while (current?.$ref) {
    const parts = String(current.$ref).replace(/^#\//, '').split('/');
    current = parts.reduce((acc: Json, key) => acc[key], spec);
  }
  return current;
}

/** The operation of a method + API path (`/models/x/predict`, relative to `/v1`). */
export function findOperation(method: string, apiPath: string): { operationId: string; template: string; op: Json } | undefined {
  for (const [template, item] of Object.entries(spec.paths as Json)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = (item as Json)[method.toLowerCase()];
    if (op && pattern.test(apiPath)) return { operationId: op.operationId, template, op };
  }
  return undefined;
}

/** The result of checking one response. */
export interface ContractCheck {
  operationId: string;
  status: number;
  errors: string[];
}

/**
 * Checks one response against the contract. `errors` is empty when the response is valid: the
 * operation exists, it declares the status, the body is JSON and matches the declared schema, and an
 * envelope's `request_id` equals the `X-Request-Id` header.
 */
export function checkResponse(method: string, apiPath: string, status: number, headers: Headers, text: string): ContractCheck {
  const found = findOperation(method, apiPath);
  if (!found) return { operationId: `${method} ${apiPath}`, status, errors: ['no such operation in the contract'] };
  const declared = found.op.responses?.[String(status)];
  if (!declared) return { operationId: found.operationId, status, errors: [`status ${status} is not declared`] };
  const response = deref(declared);
  const media = response.content?.['application/json'];
  if (!media) return { operationId: found.operationId, status, errors: text ? ['body sent for a response without content'] : [] };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { operationId: found.operationId, status, errors: ['body is not JSON'] };
  }
  const schemaRef: string = media.schema.$ref;
  const validate = validatorFor(schemaRef);
  const errors = validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  const requestId = (body as { request_id?: string }).request_id;
  if (headers.get('x-request-id') !== requestId) errors.push(`X-Request-Id ${headers.get('x-request-id')} != request_id ${requestId}`);
  return { operationId: found.operationId, status, errors };
}
