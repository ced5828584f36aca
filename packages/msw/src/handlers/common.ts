import { readBody } from '../body.js';
import { errorResponse } from '../envelope.js';
import { type RequestIds, requestIds } from '../ids.js';
import { resolveVersion } from '../models/registry.js';
import type { ModelSpec, ModelVersionSpec } from '../models/types.js';
import { validateWithSchema } from '../validate.js';
import type { HandlerContext } from './context.js';

/** The largest input the mock gateway accepts (the contract's `max_input_bytes`). */
export const MAX_INPUT_BYTES = 10_485_760;

/**
 * The 400 for an `Idempotency-Key` header outside the contract's 1 to 128 characters, or `null`.
 *
 * @example const bad = refuseIdempotencyKey(request, ids); if (bad) return bad;
 */
export function refuseIdempotencyKey(request: Request, ids: RequestIds): Response | null {
  const key = request.headers.get('idempotency-key');
  if (key === null || (key.length >= 1 && key.length <= 128)) return null;
  return errorResponse(400, ids, 'Idempotency-Key must be 1 to 128 characters');
}

/**
 * Checks the bearer token for an operation that needs `scope` (and, for a `{model}` route, that
 * model's role when the state's verifier maps roles); returns the 401/403 response or `null`.
 *
 * @example
 * const denied = await authorize(ctx, request, ids, 'models:read', params.model); if (denied) return denied;
 */
export async function authorize(
  ctx: HandlerContext,
  request: Request,
  ids: RequestIds,
  scope: string,
  model?: unknown,
): Promise<Response | null> {
  const need = { scope, model: typeof model === 'string' ? model : undefined };
  const check = await ctx.state.auth.authorize(request.headers.get('authorization'), need);
  if (check.ok) return null;
  const challenge = check.challenge ?? (check.status === 401 ? 'Bearer' : undefined);
  return errorResponse(check.status, ids, check.message, { headers: challenge ? { 'WWW-Authenticate': challenge } : {} });
}

/**
 * Finds a model by name, or answers 404 NOT_FOUND.
 *
 * @example
 * const found = findModel(ctx, 'sentiment', ids); if (found instanceof Response) return found;
 */
export function findModel(ctx: HandlerContext, name: unknown, ids: RequestIds): ModelSpec | Response {
  const model = ctx.state.models.find((m) => m.name === name);
  if (model) return model;
  const known = ctx.state.models.map((m) => m.name).join(', ');
  return errorResponse(404, ids, `model ${String(name)} not found (known: ${known})`);
}

/** A request that passed every check of predict / submitJob. */
export interface AcceptedInference {
  ids: RequestIds;
  model: ModelSpec;
  version: ModelVersionSpec;
  body: Record<string, unknown>;
  data: Record<string, unknown>;
}

/**
 * The checks shared by predict and submitJob, in the gateway's order: size (413), JSON (400), auth
 * (401/403), envelope (400), model (404), pinned version (404), input schema (422 from ajv).
 *
 * @example
 * const accepted = await acceptInference(ctx, request, params.model, PREDICT_REQUEST_SCHEMA, 'models:predict');
 * if (accepted instanceof Response) return accepted;
 */
export async function acceptInference(
  ctx: HandlerContext,
  request: Request,
  modelName: unknown,
  envelopeSchema: object,
  scope: string,
): Promise<AcceptedInference | Response> {
  const read = await readBody(request);
  const ids = requestIds(request.headers, read.kind === 'json' ? read.value : undefined);
  if (Buffer.byteLength(read.raw, 'utf8') > MAX_INPUT_BYTES) {
    return errorResponse(413, ids, `input exceeds ${MAX_INPUT_BYTES} bytes`);
  }
  const denied = await authorize(ctx, request, ids, scope, modelName);
  if (denied) return denied;
  const badKey = refuseIdempotencyKey(request, ids);
  if (badKey) return badKey;
  if (read.kind === 'unlabelled') return errorResponse(415, ids, 'send the body as Content-Type: application/json');
  if (read.kind !== 'json') return errorResponse(400, ids, 'body is not valid JSON: send {"request_id", "data", "meta"}');
  const envelopeErrors = validateWithSchema(envelopeSchema, read.value);
  if (envelopeErrors) {
    const detail = envelopeErrors.map((e) => `${e.field || '/'} ${e.message}`).join('; ');
    return errorResponse(400, ids, `body is not a valid request envelope: ${detail}`);
  }
  const model = findModel(ctx, modelName, ids);
  if (model instanceof Response) return model;
  const pinned = request.headers.get('x-model-version');
  const version = resolveVersion(model, pinned);
  if (!version) {
    const known = model.versions.map((v) => v.version).join(', ');
    return errorResponse(404, ids, `version ${pinned} of model ${model.name} not found (known: ${known})`);
  }
  const body = read.value as Record<string, unknown>;
  const data = body.data as Record<string, unknown>;
  const errors = validateWithSchema(model.inputSchema, data);
  if (errors) return errorResponse(422, ids, "input does not match the model's input schema", { errors });
  return { ids, model, version, body, data };
}

/**
 * Reads the ids of a request without a meaningful body (GET/DELETE), checking auth (`model`: the
 * `{model}` path parameter, for per-model roles).
 *
 * @example
 * const ids = await simpleRequest(ctx, request, 'jobs:read', params.model); if (ids instanceof Response) return ids;
 */
export async function simpleRequest(
  ctx: HandlerContext,
  request: Request,
  scope: string | null,
  model?: unknown,
): Promise<RequestIds | Response> {
  const ids = requestIds(request.headers);
  if (scope === null) return ids;
  return (await authorize(ctx, request, ids, scope, model)) ?? ids;
}
