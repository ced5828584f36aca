import type { components } from './generated/contract.js';
import type { FallbackInfo } from './internal/call-context.js';

type Schemas = components['schemas'];

/** The model's raw output, as the contract defines it. @example p.result.label */
export type PredictionResult = Schemas['PredictionResult'];

/**
 * A prediction plus everything the pipeline knows about how it was obtained.
 *
 * @example
 * const p = await client.predict('fraud-score', { amount: 120 });
 * if (p.lowConfidence) sendToReview(p.requestId);
 */
export interface Prediction<R = PredictionResult> {
  result: R;
  confidence: number | undefined;
  uncertaintyScore: number | undefined;
  /** Confidence below `minConfidence` (option) or the model's `min_confidence` threshold. */
  lowConfidence: boolean;
  requestId: string;
  traceId: string;
  /** The model and version that answered (the backup's, after a fallback). */
  model: { name: string; version: string };
  /** Served from the cache (fresh, or `stale`). */
  cached: boolean;
  /** An expired cached answer served because the model failed (stale-if-error). */
  stale: boolean;
  /** Set when a backup model answered. */
  fallback: FallbackInfo | undefined;
  /** HTTP attempts made (0 for a cache hit). */
  attempts: number;
}

/**
 * Per-call options for `predict`.
 *
 * @example await client.predict('fraud-score', data, { version: '2', signal: AbortSignal.timeout(2000) })
 */
export interface PredictOptions {
  /** Pin a model version (gray release); sent as `X-Model-Version`. */
  version?: string;
  /** Your own id for the logical call (default: a UUID v4). */
  requestId?: string;
  /** Extra metadata sent in `meta` (the client adds `input_digest`). */
  meta?: Record<string, unknown>;
  /** `false` skips the cache and coalescing for this call. */
  cache?: boolean;
  signal?: AbortSignal;
  /** Per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Total time for this call. */
  deadlineMs?: number;
  /** Continue this W3C trace (default: the client's `traceparent` hook, else a new trace). */
  traceparent?: string;
  /** Overrides the client's `minConfidence` for this call. */
  minConfidence?: number;
}

/** The states of an async job. @example if (job.state === 'succeeded') use(job.result) */
export type JobState = Schemas['JobState'];

/**
 * An async prediction job.
 *
 * @example const job = await client.waitForJob('sentiment', submitted.jobId); job.result?.label
 */
export interface Job {
  jobId: string;
  model: string;
  version: string | undefined;
  state: JobState;
  requestId: string;
  createdAt: string;
  updatedAt: string;
  result: PredictionResult | undefined;
  error: { code: string; message: string } | undefined;
}

/**
 * Options common to the non-prediction calls.
 *
 * @example await client.modelInfo('fraud-score', { timeoutMs: 2000 })
 */
export interface CallOptions {
  requestId?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  deadlineMs?: number;
  traceparent?: string;
}

/**
 * Options for `submitJob`.
 *
 * @example await client.submitJob('sentiment', { text }, { callbackUrl: 'https://orders.internal/hooks/modelwire' })
 */
export interface SubmitJobOptions extends CallOptions {
  version?: string;
  callbackUrl?: string;
  meta?: Record<string, unknown>;
  /** Reuse a key to make a resubmission return the same job. */
  idempotencyKey?: string;
}

/**
 * Options for `waitForJob`.
 *
 * @example await client.waitForJob('sentiment', id, { timeoutMs: 60_000, pollMaxMs: 2_000 })
 */
export interface WaitForJobOptions {
  signal?: AbortSignal;
  /** Give up after this long (default: the client's deadline). */
  timeoutMs?: number;
  pollInitialMs?: number;
  pollMaxMs?: number;
  pollMultiplier?: number;
}

/**
 * Ground truth about an earlier prediction.
 *
 * @example await client.feedback('fraud-score', { requestId: p.requestId, label: 'fraud', outcome: 'chargeback' })
 */
export interface FeedbackInput {
  /** The `requestId` of the prediction this is about. */
  requestId: string;
  label?: string;
  outcome?: string;
  score?: number;
  comment?: string;
}

/**
 * What the gateway says about a feedback it received.
 *
 * @example const { feedbackId, accepted } = await client.feedback('fraud-score', { requestId, label: 'fraud' });
 */
export interface FeedbackReceipt {
  feedbackId: string;
  accepted: boolean;
}

/** Model info, as the contract defines it. @example (await client.modelInfo('m')).thresholds.min_confidence */
export type ModelInfo = Schemas['ModelInfo'];
/** A model in `listModels`. @example (await client.listModels()).map((m) => m.name) */
export type ModelSummary = Schemas['ModelSummary'];
/** Model readiness. @example (await client.modelHealth('m')).state === 'ready' */
export type ModelHealth = Schemas['ModelHealth'];
