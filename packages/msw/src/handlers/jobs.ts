import { http } from 'msw';
import type { Schemas } from '../contract.js';
import { errorResponse, jsonResponse, successEnvelope } from '../envelope.js';
import type { RequestIds } from '../ids.js';
import type { JobStore } from '../jobs.js';
import { JOB_REQUEST_SCHEMA } from '../request-schemas.js';
import { acceptInference, findModel, simpleRequest } from './common.js';
import { type HandlerContext, type HandlerOptions, resolveContext } from './context.js';

/** Options of the job handlers: the store to use (default: the state's). */
export interface JobHandlerOptions extends HandlerOptions {
  store?: JobStore;
}

function jobResponse(
  status: number,
  ids: RequestIds,
  code: Schemas['SuccessCode'],
  message: string,
  job: Schemas['Job'],
  headers?: Record<string, string>,
) {
  const body: Schemas['JobResponse'] = successEnvelope(ids, code, message, { result: job });
  return jsonResponse(status, body, ids, headers);
}

/**
 * `POST /models/{model}/jobs`: validates like predict, then 202 with a queued job and a `Location`;
 * the same `Idempotency-Key` returns the same job.
 *
 * @example
 * server.use(submitJobHandler());
 */
export function submitJobHandler(options: JobHandlerOptions = {}) {
  const ctx = resolveContext(options);
  const store = options.store ?? ctx.state.jobs;
  return http.post(`${ctx.baseUrl}/models/:model/jobs`, async ({ request, params }) => {
    const accepted = await acceptInference(ctx, request, params.model, JOB_REQUEST_SCHEMA, 'jobs:write');
    if (accepted instanceof Response) return accepted;
    const { ids, model, version, data, body } = accepted;
    const { job } = store.create({
      model: model.name,
      version: version.version,
      ids,
      compute: () => version.predict(data),
      callbackUrl: typeof body.callback_url === 'string' ? body.callback_url : undefined,
      idempotencyKey: request.headers.get('idempotency-key'),
    });
    return jobResponse(202, ids, 'ACCEPTED', `job ${job.state}`, job, {
      Location: `${ctx.baseUrl}/models/${model.name}/jobs/${job.job_id}`,
    });
  });
}

async function jobRoute(ctx: HandlerContext, request: Request, model: unknown, scope: string) {
  const ids = await simpleRequest(ctx, request, scope, model);
  if (ids instanceof Response) return ids;
  const found = findModel(ctx, model, ids);
  return found instanceof Response ? found : { ids, model: found };
}

/**
 * `GET /models/{model}/jobs/{job_id}`: the job; each read advances it (queued → running → final) and
 * the read that ends it first POSTs the signed callback.
 *
 * @example
 * server.use(getJobHandler());
 */
export function getJobHandler(options: JobHandlerOptions = {}) {
  const ctx = resolveContext(options);
  const store = options.store ?? ctx.state.jobs;
  return http.get(`${ctx.baseUrl}/models/:model/jobs/:job_id`, async ({ request, params }) => {
    const route = await jobRoute(ctx, request, params.model, 'jobs:read');
    if (route instanceof Response) return route;
    const job = await store.read(route.model.name, String(params.job_id));
    if (!job) return errorResponse(404, route.ids, `job ${String(params.job_id)} not found`);
    return jobResponse(200, route.ids, 'OK', `job ${job.state}`, job);
  });
}

/**
 * `DELETE /models/{model}/jobs/{job_id}`: cancels a running job; 409 CONFLICT when it already ended.
 *
 * @example
 * server.use(cancelJobHandler());
 */
export function cancelJobHandler(options: JobHandlerOptions = {}) {
  const ctx = resolveContext(options);
  const store = options.store ?? ctx.state.jobs;
  return http.delete(`${ctx.baseUrl}/models/:model/jobs/:job_id`, async ({ request, params }) => {
    const route = await jobRoute(ctx, request, params.model, 'jobs:write');
    if (route instanceof Response) return route;
    const outcome = await store.cancel(route.model.name, String(params.job_id));
    if (outcome === 'not_found') return errorResponse(404, route.ids, `job ${String(params.job_id)} not found`);
    if (outcome === 'conflict') return errorResponse(409, route.ids, `job ${String(params.job_id)} already ended`);
    return jobResponse(200, route.ids, 'OK', 'job canceled', outcome);
  });
}
