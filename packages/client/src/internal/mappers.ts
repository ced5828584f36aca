import type { components } from '../generated/contract.js';
import type { FeedbackReceipt, Job, Prediction } from '../types.js';
import type { Answer, CallContext } from './call-context.js';

// Contract responses (snake_case, generated types) → the client's results (camelCase).

type Schemas = components['schemas'];

/**
 * A job as the contract sends it → `Job`.
 *
 * @example toJob({ job_id: 'j1', model: 'm', state: 'queued', request_id: 'r', created_at: t, updated_at: t })
 */
export function toJob(job: Schemas['Job']): Job {
  return {
    jobId: job.job_id,
    model: job.model,
    version: job.version,
    state: job.state,
    requestId: job.request_id,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    result: job.result,
    error: job.error,
  };
}

/**
 * A feedback answer → `{ feedbackId, accepted }`.
 *
 * @example toFeedbackReceipt({ feedback_id: 'f1', accepted: true }) // { feedbackId: 'f1', accepted: true }
 */
export function toFeedbackReceipt(result: Schemas['FeedbackResponse']['result']): FeedbackReceipt {
  return { feedbackId: result.feedback_id, accepted: result.accepted };
}

/**
 * A prediction answer plus what the pipeline learned (cache, fallback, attempts) → `Prediction`.
 *
 * @example toPrediction(answer, ctx, 0.7).lowConfidence
 */
export function toPrediction<R>(
  answer: Answer<Schemas['PredictResponse']>,
  ctx: Pick<CallContext, 'requestId' | 'traceId'>,
  minConfidence: number | undefined,
): Prediction<R> {
  // A lenient server may omit `model` or send `result: null`: read defensively.
  const env = answer.envelope;
  const result = env.result ?? {};
  const confidence = typeof result.confidence === 'number' ? result.confidence : undefined;
  return {
    result: result as R,
    confidence,
    uncertaintyScore: typeof result.uncertainty_score === 'number' ? result.uncertainty_score : undefined,
    lowConfidence: confidence !== undefined && minConfidence !== undefined && confidence < minConfidence,
    // Ids of the request the server actually saw (for a cache hit, the original one), so feedback
    // sent with `requestId` always refers to a real prediction.
    requestId: env.request_id ?? ctx.requestId,
    traceId: env.trace_id ?? ctx.traceId,
    model: { name: env.model?.name, version: answer.servedVersion ?? env.model?.version },
    cached: answer.cached,
    stale: answer.stale,
    fallback: answer.fallback,
    attempts: answer.attempts,
  };
}
