import type { components } from '../generated/contract.js';
import type { PipelineName } from '../pipeline.js';
import type { FeedbackReceipt, Job, ModelHealth, ModelInfo, ModelSummary } from '../types.js';
import type { Answer, CallContext, HttpMethod } from './call-context.js';
import { toFeedbackReceipt, toJob } from './mappers.js';

type Schemas = components['schemas'];
const enc = encodeURIComponent;

/**
 * How one public operation is called: the pipeline it runs through, its HTTP route (below
 * `baseUrl`, for a given model: a fallback swaps the model) and how its answer becomes the result.
 * The parser has checked the success envelope; `result` reads it as the contract's response type.
 *
 * @example const op = getJobOperation('j1'); op.path('fraud-score') // '/models/fraud-score/jobs/j1'
 */
export interface Operation<T, E = unknown> {
  name: string;
  pipeline: PipelineName;
  method: HttpMethod;
  path: (model: string) => string;
  result: (answer: Answer<E>, ctx: CallContext) => T;
}

const jobResult = (answer: Answer<Schemas['JobResponse']>): Job => toJob(answer.envelope.result);

/** `POST /models/{model}/predict` (its result is built by `toPrediction`, which needs per-call options). */
export const predictOperation = <T>(
  result: Operation<T, Schemas['PredictResponse']>['result'],
): Operation<T, Schemas['PredictResponse']> => ({
  name: 'predict',
  pipeline: 'predict',
  method: 'POST',
  path: (m) => `/models/${enc(m)}/predict`,
  result,
});

/** `POST /models/{model}/jobs`. */
export const submitJobOperation: Operation<Job, Schemas['JobResponse']> = {
  name: 'submitJob',
  pipeline: 'submitJob',
  method: 'POST',
  path: (m) => `/models/${enc(m)}/jobs`,
  result: jobResult,
};

/** `GET /models/{model}/jobs/{job_id}`. */
export const getJobOperation = (jobId: string): Operation<Job, Schemas['JobResponse']> => ({
  name: 'getJob',
  pipeline: 'read',
  method: 'GET',
  path: (m) => `/models/${enc(m)}/jobs/${enc(jobId)}`,
  result: jobResult,
});

/** `DELETE /models/{model}/jobs/{job_id}`. */
export const cancelJobOperation = (jobId: string): Operation<Job, Schemas['JobResponse']> => ({
  ...getJobOperation(jobId),
  name: 'cancelJob',
  method: 'DELETE',
});

/** `POST /models/{model}/feedback`. */
export const feedbackOperation: Operation<FeedbackReceipt, Schemas['FeedbackResponse']> = {
  name: 'feedback',
  pipeline: 'read',
  method: 'POST',
  path: (m) => `/models/${enc(m)}/feedback`,
  result: (answer) => toFeedbackReceipt(answer.envelope.result),
};

/** `GET /models/{model}/info`. */
export const modelInfoOperation: Operation<ModelInfo, Schemas['ModelInfoResponse']> = {
  name: 'modelInfo',
  pipeline: 'read',
  method: 'GET',
  path: (m) => `/models/${enc(m)}/info`,
  result: (answer) => answer.envelope.result,
};

/** `GET /models/{model}/health`. */
export const modelHealthOperation: Operation<ModelHealth, Schemas['ModelHealthResponse']> = {
  name: 'modelHealth',
  pipeline: 'read',
  method: 'GET',
  path: (m) => `/models/${enc(m)}/health`,
  result: (answer) => answer.envelope.result,
};

/** `GET /models` (a gateway operation: no model). */
export const listModelsOperation: Operation<ModelSummary[], Schemas['ModelListResponse']> = {
  name: 'listModels',
  pipeline: 'read',
  method: 'GET',
  path: () => '/models',
  result: (answer) => answer.envelope.result.models,
};

/** `GET /health/{ready|live}` (a gateway operation: no model). */
export const healthOperation = (probe: 'ready' | 'live'): Operation<{ state: string }, Schemas['HealthResponse']> => ({
  name: 'health',
  pipeline: 'read',
  method: 'GET',
  path: () => `/health/${probe}`,
  result: (answer) => answer.envelope.result,
});
