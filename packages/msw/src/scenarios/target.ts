import { type HttpResponseResolver, http } from 'msw';
import { DEFAULT_BASE_URL } from '../handlers/context.js';

/** The contract's operations and their routes (relative to the base URL). */
export const OPERATIONS = {
  healthLive: { method: 'GET', path: '/health/live' },
  healthReady: { method: 'GET', path: '/health/ready' },
  listModels: { method: 'GET', path: '/models' },
  modelHealth: { method: 'GET', path: '/models/:model/health' },
  modelInfo: { method: 'GET', path: '/models/:model/info' },
  predict: { method: 'POST', path: '/models/:model/predict' },
  submitJob: { method: 'POST', path: '/models/:model/jobs' },
  getJob: { method: 'GET', path: '/models/:model/jobs/:job_id' },
  cancelJob: { method: 'DELETE', path: '/models/:model/jobs/:job_id' },
  feedback: { method: 'POST', path: '/models/:model/feedback' },
} as const;

/** An `operationId` of the contract. */
export type OperationId = keyof typeof OPERATIONS;

/**
 * Which requests a scenario helper affects. Defaults: `predict` of every model, `times` unlimited.
 *
 * @example
 * const target: ScenarioTarget = { operation: 'predict', model: 'fraud-score', times: 2 };
 */
export interface ScenarioTarget {
  /** API base URL (default `http://127.0.0.1:4010/v1`). */
  baseUrl?: string;
  /** The operation to affect (default `predict`). */
  operation?: OperationId;
  /** Only this model (default: any). */
  model?: string;
  /** Only calls pinned to this `X-Model-Version`. */
  version?: string;
  /** How many matching requests are affected before the helper steps aside (default: all). */
  times?: number;
}

/**
 * Builds an msw handler for a scenario: it answers the first `times` matching requests with `resolver`
 * and lets later ones fall through to the next handler (usually the real model).
 *
 * @example
 * scenarioHandler({ times: 1 }, () => HttpResponse.error());
 */
export function scenarioHandler(target: ScenarioTarget, resolver: HttpResponseResolver) {
  const op = OPERATIONS[target.operation ?? 'predict'];
  const base = (target.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const path = target.model ? op.path.replace(':model', encodeURIComponent(target.model)) : op.path;
  const limit = target.times ?? Number.POSITIVE_INFINITY;
  let used = 0;
  const method = op.method.toLowerCase() as 'get' | 'post' | 'delete';
  return http[method](`${base}${path}`, (info) => {
    if (target.version !== undefined && info.request.headers.get('x-model-version') !== target.version) return undefined;
    if (used >= limit) return undefined;
    used += 1;
    return resolver(info);
  });
}
