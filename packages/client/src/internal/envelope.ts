import type { TokenSource } from '../auth/token-source.js';
import { cacheKeyOfCanonicalData } from '../cache-key.js';
import { canonicalJson } from '../canonical-json.js';
import type { Clock } from '../clock.js';
import { checkCallOptions, checkInputSize, checkModel } from '../validation.js';
import type { CallContext } from './call-context.js';
import { CLIENT_ID } from './client-id.js';
import { checkModelInput } from './model-input.js';
import { withinDeadline } from './within-deadline.js';

/** A model input validated and canonicalised once: its JSON, the token, the cache scope and key. */
export interface PreparedInput {
  dataJson: string;
  token: string | undefined;
  scope: string;
  key: string;
}

/** What `prepareInput` needs from the client. */
export interface InputDeps {
  tokens: TokenSource;
  cacheScope: string | undefined;
  maxInputBytes: number;
  maxJsonDepth: number;
  clock: Clock;
}

/**
 * Validates a model input (options, model name, the data's JSON value domain and depth, size) and
 * canonicalises it once: a bad input fails here, before the call starts (nothing is emitted or traced).
 *
 * @example const dataJson = checkedInput('fraud-score', { amount: 1 }, {}, deps); // '{"amount":1}'
 */
export function checkedInput(
  model: string,
  data: Record<string, unknown>,
  options: { signal?: AbortSignal; requestId?: string },
  deps: InputDeps,
): string {
  checkCallOptions(options);
  checkModel(model);
  checkModelInput(data, deps.maxJsonDepth);
  const dataJson = canonicalJson(data);
  checkInputSize(dataJson, deps.maxInputBytes);
  return dataJson;
}

/**
 * Asks for the token of a checked input, because the cache scope depends on it (waiting no longer
 * than the call's deadline), and computes the cache key; the first attempt then reuses that token.
 *
 * @example const input = await prepareInput('fraud-score', dataJson, {}, deps, clock.now() + 30_000, requestId);
 */
export async function prepareInput(
  model: string,
  dataJson: string,
  options: { version?: string; signal?: AbortSignal },
  deps: InputDeps,
  deadlineAt: number,
  requestId: string,
): Promise<PreparedInput> {
  const pending = deps.tokens.token(false, options.signal);
  // No auth or a static token answers at once: only a source that fetches tokens needs a deadline timer.
  const token = deps.tokens.refreshable
    ? await withinDeadline(pending, deadlineAt, deps.clock, 'while fetching a token', requestId)
    : await pending;
  const scope = deps.cacheScope ?? deps.tokens.scope(token);
  return { dataJson, token, scope, key: cacheKeyOfCanonicalData(model, options.version, scope, dataJson) };
}

/**
 * The request envelope `{request_id, data, meta}` (+ `extra` members, already JSON) for the model
 * `ctx` calls; `meta.input_digest` is the cache key of that model (the backup's after a fallback).
 *
 * @example body: (ctx) => envelopeBody(ctx, input, 'fraud-score', options.meta)
 */
export function envelopeBody(
  ctx: CallContext,
  input: PreparedInput,
  primaryModel: string,
  meta: Record<string, unknown> | undefined,
  extra = '',
): string {
  const digest =
    ctx.model === primaryModel || ctx.model === undefined
      ? input.key
      : cacheKeyOfCanonicalData(ctx.model, undefined, input.scope, input.dataJson);
  // Without caller meta the object is fixed: a digest is hex, so no escaping is needed.
  const metaJson = meta
    ? JSON.stringify({ ...meta, input_digest: digest, client: CLIENT_ID })
    : `{"input_digest":"${digest}","client":"${CLIENT_ID}"}`;
  return `{"request_id":${JSON.stringify(ctx.requestId)},"data":${input.dataJson},"meta":${metaJson}${extra}}`;
}
