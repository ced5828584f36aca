import { tokenSource } from './auth.js';
import { cacheKeyOfCanonicalData } from './cache-key.js';
import { canonicalJson } from './canonical-json.js';
import { AbortedError, DeadlineExceededError, InvalidInputError, PayloadTooLargeError } from './errors/error-classes.js';
import { type BreakerState, emitter } from './events.js';
import { DEFAULT_POLICY } from './generated/policy.js';
import { byteLength } from './internal/byte-length.js';
import type { Answer, CallContext, Stage } from './internal/call-context.js';
import { newId } from './internal/ids.js';
import { sendStage } from './internal/send-stage.js';
import { type ClientOptions, checkCallOptions, resolveOptions } from './options.js';
import { buildPipeline, OPERATION_STAGES, type StageName } from './pipeline.js';
import { BreakerRegistry, breakerStage } from './policies/breaker-stage.js';
import { cacheStage } from './policies/cache-stage.js';
import { coalesceStage } from './policies/coalesce-stage.js';
import { fallbackStage } from './policies/fallback-stage.js';
import { ResponseCache } from './policies/response-cache.js';
import { RetryBudget } from './policies/retry-budget.js';
import { retryStage } from './policies/retry-stage.js';
import { timeoutStage } from './policies/timeout-stage.js';
import { startTrace } from './trace.js';
import type { Transport } from './transport/transport.js';
import type {
  CallOptions,
  FeedbackInput,
  Job,
  ModelHealth,
  ModelInfo,
  ModelSummary,
  Prediction,
  PredictOptions,
  SubmitJobOptions,
  WaitForJobOptions,
} from './types.js';

const passThrough: Stage = (ctx, next) => next(ctx);
const FINAL_JOB_STATES = new Set(['succeeded', 'failed', 'canceled', 'expired']);
const CLIENT_ID = 'modelwire-ts/0.1.0';

/** The client returned by `createClient`. */
export interface ModelwireClient {
  /** Runs a prediction through the whole pipeline. @example await client.predict('fraud-score', { amount: 120 }) */
  predict<R = Prediction['result']>(model: string, data: Record<string, unknown>, options?: PredictOptions): Promise<Prediction<R>>;
  /** Submits an async job. @example const job = await client.submitJob('fraud-score', data, { callbackUrl }) */
  submitJob(model: string, data: Record<string, unknown>, options?: SubmitJobOptions): Promise<Job>;
  /** Reads a job. @example await client.getJob('fraud-score', job.jobId) */
  getJob(model: string, jobId: string, options?: CallOptions): Promise<Job>;
  /** Cancels a job (ConflictError when it already ended). @example await client.cancelJob('fraud-score', id) */
  cancelJob(model: string, jobId: string, options?: CallOptions): Promise<Job>;
  /** Polls a job with backoff until it ends. @example const done = await client.waitForJob('fraud-score', id) */
  waitForJob(model: string, jobId: string, options?: WaitForJobOptions): Promise<Job>;
  /** Sends feedback for retraining. @example await client.feedback('fraud-score', { requestId, label: 'fraud' }) */
  feedback(model: string, input: FeedbackInput, options?: CallOptions): Promise<{ feedbackId: string; accepted: boolean }>;
  /** Versions, traffic, schemas, thresholds. @example (await client.modelInfo('fraud-score')).thresholds */
  modelInfo(model: string, options?: CallOptions): Promise<ModelInfo>;
  /** Models visible to this credential. @example await client.listModels() */
  listModels(options?: CallOptions): Promise<ModelSummary[]>;
  /** Gateway readiness (`ready`) or liveness (`live`). @example await client.health() */
  health(options?: CallOptions & { probe?: 'ready' | 'live' }): Promise<{ state: string }>;
  /** One model's readiness. @example await client.modelHealth('fraud-score') */
  modelHealth(model: string, options?: CallOptions): Promise<ModelHealth>;
  /** The breaker state for a model (and pinned version). @example client.breakerState('fraud-score') */
  breakerState(model: string, version?: string): BreakerState;
  /** Closes pooled connections of the transport the client created (yours are left alone). @example await client.close() */
  close(): Promise<void>;
}

/**
 * Creates a client. Options are validated and defaulted once, from the contract's policy.
 * `defaultTransport` is chosen by the entry point (undici in Node, ky elsewhere).
 *
 * @example
 * const client = createClient({ baseUrl: 'http://127.0.0.1:4010/v1', auth: { token: process.env.MODELWIRE_TOKEN! } });
 * const { result, confidence } = await client.predict('fraud-score', { amount: 120, country: 'FR' });
 */
export function createClientWith(options: ClientOptions, defaultTransport: (o: ClientOptions) => Transport): ModelwireClient {
  const opts = resolveOptions(options);
  const { clock } = opts;
  const transport = opts.transport ?? defaultTransport(options);
  const emit = emitter(opts.onEvent);
  const tokens = tokenSource(opts.auth, transport, clock, DEFAULT_POLICY.tokenRefreshSkewMs);
  const thresholds = new Map<string, number>();
  const budget = new RetryBudget(opts.retry.budget);
  const breakers = opts.breaker
    ? new BreakerRegistry(opts.breaker, clock, (model, version, state) => {
        const type = state === 'open' ? 'breaker_open' : state === 'half-open' ? 'breaker_half_open' : 'breaker_close';
        emit({ type, model, version });
      })
    : undefined;
  const stages: Record<StageName, Stage> = {
    cache: opts.cache ? cacheStage(new ResponseCache(opts.cache, clock), opts.cache.staleIfError) : passThrough,
    coalesce: opts.cache ? coalesceStage(clock, opts.deadlineMs) : passThrough,
    fallback: fallbackStage(opts.fallbackFor, newId),
    retry: retryStage(opts.retry, budget, clock, opts.random),
    breaker: breakers ? breakerStage(breakers) : passThrough,
    timeout: timeoutStage(clock),
  };
  const send = sendStage({ baseUrl: opts.baseUrl, transport, tokens, clock, headers: opts.headers });
  const run = {
    predict: buildPipeline(stages, send, OPERATION_STAGES.predict),
    submitJob: buildPipeline(stages, send, OPERATION_STAGES.submitJob),
    read: buildPipeline(stages, send, OPERATION_STAGES.read),
    write: buildPipeline(stages, send, OPERATION_STAGES.write),
  };

  function context(
    partial: Pick<CallContext, 'operation' | 'method' | 'path' | 'model'> & Partial<CallContext>,
    call: { requestId?: string; signal?: AbortSignal; timeoutMs?: number; deadlineMs?: number; traceparent?: string },
    // predict/submitJob validated their options in prepareInput, before asking for a token.
    optionsChecked = false,
  ): CallContext {
    if (!optionsChecked) checkCallOptions(call);
    if (call.signal?.aborted) throw new AbortedError('the call was aborted before it started', { code: 'ABORTED' });
    const trace = startTrace(call.traceparent ?? opts.traceparent?.());
    return {
      version: undefined,
      body: undefined,
      idempotencyKey: undefined,
      presetToken: undefined,
      cacheKey: undefined,
      useCache: false,
      ...partial,
      requestId: call.requestId ?? newId(),
      traceId: trace.traceId,
      traceFlags: trace.flags,
      signal: call.signal,
      deadlineAt: clock.now() + (call.deadlineMs ?? opts.deadlineMs),
      perCallDeadline: call.deadlineMs !== undefined,
      timeoutMs: call.timeoutMs ?? opts.timeoutMs,
      counter: { attempts: 0 },
      emit,
      observed: opts.onEvent !== undefined,
    };
  }

  function checkModel(model: string): void {
    if (typeof model !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(model)) {
      throw new InvalidInputError(`model must match ^[a-z0-9][a-z0-9._-]{0,63}$ (e.g. 'fraud-score'), got ${JSON.stringify(model)}`, {
        code: 'INVALID_INPUT',
      });
    }
  }

  function checkData(data: unknown): void {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new InvalidInputError('data must be a JSON object (the model input), e.g. { amount: 120 }', { code: 'INVALID_INPUT' });
    }
  }

  function checkSize(json: string): void {
    // Characters ≤ bytes ≤ 3 × characters: only measure bytes when it could matter.
    const bytes = json.length * 3 <= opts.maxInputBytes ? json.length : byteLength(json);
    if (bytes > opts.maxInputBytes) {
      throw new PayloadTooLargeError(
        `input is ${bytes} bytes, above maxInputBytes (${opts.maxInputBytes}); send less data or raise maxInputBytes`,
        {
          code: 'PAYLOAD_TOO_LARGE',
        },
      );
    }
  }

  const enc = encodeURIComponent;

  function toJob(raw: Record<string, unknown>): Job {
    return {
      jobId: raw.job_id as string,
      model: raw.model as string,
      version: raw.version as string | undefined,
      state: raw.state as Job['state'],
      requestId: raw.request_id as string,
      createdAt: raw.created_at as string,
      updatedAt: raw.updated_at as string,
      result: raw.result as Job['result'],
      error: raw.error as Job['error'],
    };
  }

  /** Validates and canonicalises a model input once: its JSON, token, cache scope and cache key. */
  async function prepareInput(model: string, data: Record<string, unknown>, options: { version?: string; signal?: AbortSignal }) {
    const { version } = options;
    checkCallOptions(options);
    checkModel(model);
    checkData(data);
    const dataJson = canonicalJson(data);
    checkSize(dataJson);
    const token = await tokens.token(false, options.signal);
    const scope = opts.cacheScope ?? tokens.scope(token);
    return { dataJson, token, scope, key: cacheKeyOfCanonicalData(model, version, scope, dataJson) };
  }

  /** The request envelope `{request_id, data, meta}` (+ `extra` members) for the model `ctx` calls. */
  function envelopeBody(
    ctx: CallContext,
    input: { dataJson: string; key: string; scope: string },
    primaryModel: string,
    meta: Record<string, unknown> | undefined,
    extra = '',
  ): string {
    // The digest is the cache key of the model actually called (the backup's after a fallback).
    const digest =
      ctx.model === primaryModel ? input.key : cacheKeyOfCanonicalData(ctx.model as string, undefined, input.scope, input.dataJson);
    // Without caller meta the object is fixed: a digest is hex, so no escaping is needed.
    const metaJson = meta
      ? JSON.stringify({ ...meta, input_digest: digest, client: CLIENT_ID })
      : `{"input_digest":"${digest}","client":"${CLIENT_ID}"}`;
    return `{"request_id":${JSON.stringify(ctx.requestId)},"data":${input.dataJson},"meta":${metaJson}${extra}}`;
  }

  const client: ModelwireClient = {
    async predict(model, data, options = {}) {
      const input = await prepareInput(model, data, options);
      const ctx = context(
        {
          operation: 'predict',
          method: 'POST',
          path: (m) => `/models/${enc(m)}/predict`,
          model,
          version: options.version,
          idempotencyKey: newId(),
          presetToken: input.token,
          cacheKey: input.key,
          useCache: options.cache !== false && opts.cache !== false,
          body: (c) => envelopeBody(c, input, model, options.meta),
        },
        options,
        true,
      );
      const answer = await run.predict(ctx);
      return toPrediction(answer, ctx, options.minConfidence ?? opts.minConfidence ?? thresholds.get(model));
    },

    async submitJob(model, data, options = {}) {
      const input = await prepareInput(model, data, options);
      const extra = options.callbackUrl ? `,"callback_url":${JSON.stringify(options.callbackUrl)}` : '';
      const ctx = context(
        {
          operation: 'submitJob',
          method: 'POST',
          path: (m) => `/models/${enc(m)}/jobs`,
          model,
          version: options.version,
          idempotencyKey: options.idempotencyKey ?? newId(),
          presetToken: input.token,
          body: (c) => envelopeBody(c, input, model, options.meta, extra),
        },
        options,
        true,
      );
      return toJob((await run.submitJob(ctx)).envelope.result);
    },

    async getJob(model, jobId, options = {}) {
      checkModel(model);
      const ctx = context({ operation: 'getJob', method: 'GET', path: (m) => `/models/${enc(m)}/jobs/${enc(jobId)}`, model }, options);
      return toJob((await run.read(ctx)).envelope.result);
    },

    async cancelJob(model, jobId, options = {}) {
      checkModel(model);
      const ctx = context(
        { operation: 'cancelJob', method: 'DELETE', path: (m) => `/models/${enc(m)}/jobs/${enc(jobId)}`, model },
        options,
      );
      return toJob((await run.write(ctx)).envelope.result);
    },

    async waitForJob(model, jobId, options = {}) {
      const P = DEFAULT_POLICY.jobs;
      const deadlineAt = clock.now() + (options.timeoutMs ?? opts.deadlineMs);
      let delay = options.pollInitialMs ?? P.pollInitialMs;
      for (;;) {
        const job = await client.getJob(model, jobId, { signal: options.signal });
        if (FINAL_JOB_STATES.has(job.state)) return job;
        const remaining = deadlineAt - clock.now();
        if (remaining <= 0) {
          throw new DeadlineExceededError(`job ${jobId} is still ${job.state} after waiting; raise timeoutMs or poll later`, {
            code: 'DEADLINE_EXCEEDED',
            requestId: job.requestId,
          });
        }
        try {
          await clock.sleep(Math.min(delay, remaining), options.signal);
        } catch (cause) {
          throw new AbortedError('waitForJob was aborted', { code: 'ABORTED', cause });
        }
        delay = Math.min(options.pollMaxMs ?? P.pollMaxMs, delay * (options.pollMultiplier ?? P.pollMultiplier));
      }
    },

    async feedback(model, input, options = {}) {
      checkModel(model);
      if (!input || typeof input.requestId !== 'string' || input.requestId === '') {
        throw new InvalidInputError('feedback needs the requestId of the prediction it is about', { code: 'INVALID_INPUT' });
      }
      const body = { request_id: input.requestId, label: input.label, outcome: input.outcome, score: input.score, comment: input.comment };
      const ctx = context(
        {
          operation: 'feedback',
          method: 'POST',
          path: (m) => `/models/${enc(m)}/feedback`,
          model,
          idempotencyKey: newId(),
          body: () => body,
        },
        options,
      );
      const result = (await run.write(ctx)).envelope.result;
      return { feedbackId: result.feedback_id, accepted: result.accepted };
    },

    async modelInfo(model, options = {}) {
      checkModel(model);
      const ctx = context({ operation: 'modelInfo', method: 'GET', path: (m) => `/models/${enc(m)}/info`, model }, options);
      const info = (await run.read(ctx)).envelope.result as ModelInfo;
      // Remember the model's threshold so later predictions can flag low confidence.
      if (typeof info.thresholds?.min_confidence === 'number') thresholds.set(model, info.thresholds.min_confidence);
      return info;
    },

    async listModels(options = {}) {
      const ctx = context({ operation: 'listModels', method: 'GET', path: () => '/models', model: undefined }, options);
      return (await run.read(ctx)).envelope.result.models;
    },

    async health(options = {}) {
      const probe = options.probe ?? 'ready';
      const ctx = context({ operation: 'health', method: 'GET', path: () => `/health/${probe}`, model: undefined }, options);
      return (await run.read(ctx)).envelope.result;
    },

    async modelHealth(model, options = {}) {
      checkModel(model);
      const ctx = context({ operation: 'modelHealth', method: 'GET', path: (m) => `/models/${enc(m)}/health`, model }, options);
      return (await run.read(ctx)).envelope.result;
    },

    breakerState(model, version) {
      return breakers ? breakers.get(model, version).state : 'closed';
    },

    async close() {
      if (!opts.transport) await transport.close?.();
    },
  };
  return client;
}

function toPrediction<R>(
  answer: Answer,
  ctx: Pick<CallContext, 'requestId' | 'traceId'>,
  minConfidence: number | undefined,
): Prediction<R> {
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
