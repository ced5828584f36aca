import { delay, HttpResponse } from 'msw';
import type { FieldError } from '../contract.js';
import { errorResponse } from '../envelope.js';
import { requestIds } from '../ids.js';
import { type ScenarioTarget, scenarioHandler } from './target.js';

async function idsOf(request: Request) {
  let body: unknown;
  try {
    body = await request.clone().json();
  } catch {
    body = undefined;
  }
  return requestIds(request.headers, body);
}

/**
 * The first `times` matching calls get 503 (MODEL_UNAVAILABLE, or NOT_READY for health), then the
 * real model answers again.
 *
 * @example
 * server.use(unavailable(2, { retryAfterSeconds: 0 }));
 */
export function unavailable(times: number, options: Omit<ScenarioTarget, 'times'> & { retryAfterSeconds?: number } = {}) {
  const health = options.operation === 'healthLive' || options.operation === 'healthReady';
  return scenarioHandler({ ...options, times }, async ({ request }) =>
    errorResponse(503, await idsOf(request), health ? 'gateway is not ready' : 'model is unavailable', {
      code: health ? 'NOT_READY' : 'MODEL_UNAVAILABLE',
      headers: options.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(options.retryAfterSeconds) },
    }),
  );
}

/**
 * Matching calls get a contract error for `status` (500, 502, 504, 408, 413, 403 …) with its code.
 *
 * @example
 * server.use(httpError(504, { times: 1 }));
 */
export function httpError(status: number, options: ScenarioTarget & { message?: string; headers?: Record<string, string> } = {}) {
  return scenarioHandler(options, async ({ request }) =>
    errorResponse(status, await idsOf(request), options.message ?? `scripted HTTP ${status}`, { headers: options.headers }),
  );
}

/**
 * Matching calls are slowed down by `ms`, then answered by the next handler (the real model).
 *
 * @example
 * server.use(latency(200, { model: 'sentiment' }));
 */
export function latency(ms: number, options: ScenarioTarget = {}) {
  return scenarioHandler(options, async () => {
    await delay(ms);
    return undefined;
  });
}

/**
 * Matching calls get 422 VALIDATION_FAILED with these field errors (JSON Pointers into `data`).
 *
 * @example
 * server.use(validationError({ '/amount': 'must be number' }));
 */
export function validationError(fields: FieldError[] | Record<string, string>, options: ScenarioTarget = {}) {
  const errors = Array.isArray(fields) ? fields : Object.entries(fields).map(([field, message]) => ({ field, message }));
  return scenarioHandler(options, async ({ request }) =>
    errorResponse(422, await idsOf(request), "input does not match the model's input schema", { errors }),
  );
}

/**
 * Matching calls get 429 RATE_LIMITED with `Retry-After: <retryAfterSeconds>`.
 *
 * @example
 * server.use(rateLimited(1, { times: 1 }));
 */
export function rateLimited(retryAfterSeconds: number | string, options: ScenarioTarget = {}) {
  return scenarioHandler(options, async ({ request }) =>
    errorResponse(429, await idsOf(request), 'too many requests', { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  );
}

/**
 * Matching calls get a body that is not JSON although it claims to be (default status 200).
 *
 * @example
 * server.use(malformedJson({ times: 1 }));
 */
export function malformedJson(options: ScenarioTarget & { status?: number; body?: string } = {}) {
  return scenarioHandler(options, async ({ request }) => {
    const ids = await idsOf(request);
    return new HttpResponse(options.body ?? '{"status":"success","code":"OK",', {
      status: options.status ?? 200,
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': ids.requestId },
    });
  });
}

/**
 * Matching calls fail at the network level (the mock server destroys the socket).
 *
 * @example
 * server.use(connectionReset({ times: 1 }));
 */
export function connectionReset(options: ScenarioTarget = {}) {
  return scenarioHandler(options, () => HttpResponse.error());
}

/**
 * Calls pinned to `version` get 404 NOT_FOUND, as if that version had been retired.
 *
 * @example
 * server.use(unknownVersion('7', { model: 'fraud-score' }));
 */
export function unknownVersion(version: string, options: Omit<ScenarioTarget, 'version'> = {}) {
  return scenarioHandler({ ...options, version }, async ({ request, params }) =>
    errorResponse(404, await idsOf(request), `version ${version} of model ${String(params.model)} not found`),
  );
}
