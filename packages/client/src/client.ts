import { FailurePause } from './auth/failure-pause.js';
import { type TokenSource, tokenSource } from './auth/token-source.js';
import { AbortedError, DeadlineExceededError } from './errors/error-classes.js';
import { type BreakerState, emitter, type ModelwireEvent } from './events.js';
import { DEFAULT_POLICY, FINAL_JOB_STATES } from './generated/policy.js';
import type { CallContext } from './internal/call-context.js';
import { envelopeBody, prepareInput } from './internal/envelope.js';
import { newId } from './internal/ids.js';
import { toPrediction } from './internal/mappers.js';
import {
  cancelJobOperation,
  feedbackOperation,
  getJobOperation,
  healthOperation,
  listModelsOperation,
  modelHealthOperation,
  modelInfoOperation,
  type Operation,
  predictOperation,
  submitJobOperation,
} from './internal/operations.js';
import { sendStage } from './internal/send-stage.js';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { assemblePipelines, type Pipeline, type PipelineName } from './pipeline.js';
import type { BreakerRegistry } from './policies/breaker-stage.js';
import { startTrace } from './trace.js';
import type { Transport } from './transport/transport.js';
import type {
  CallOptions,
  FeedbackInput,
  FeedbackReceipt,
  Job,
  ModelHealth,
  ModelInfo,
  ModelSummary,
  Prediction,
  PredictOptions,
  SubmitJobOptions,
  WaitForJobOptions,
} from './types.js';
import { checkCallOptions, checkFeedback, checkModel, checkWaitOptions } from './validation.js';

const FINAL_STATES: ReadonlySet<string> = new Set(FINAL_JOB_STATES);

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
  feedback(model: string, input: FeedbackInput, options?: CallOptions): Promise<FeedbackReceipt>;
  /** Versions, traffic, schemas, thresholds. @example (await client.modelInfo('fraud-score')).thresholds */
  modelInfo(model: string, options?: CallOptions): Promise<ModelInfo>;
  /** Models visible to this credential. @example await client.listModels() */
  listModels(options?: CallOptions): Promise<ModelSummary[]>;
  /** Gateway readiness (`ready`) or liveness (`live`). @example await client.health() */
  health(options?: CallOptions & { probe?: 'ready' | 'live' }): Promise<{ state: string }>;
  /** One model's readiness. @example await client.modelHealth('fraud-score') */
  modelHealth(model: string, options?: CallOptions): Promise<ModelHealth>;
  /** The breaker state for a model (and pinned version); reading it emits no event. @example client.breakerState('fraud-score') */
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
  return new PipelineClient(opts, opts.transport ?? defaultTransport(options));
}

/** What one call adds to its operation: its body, version pin, keys and cache use. */
type CallRequest = Partial<
  Pick<CallContext, 'version' | 'body' | 'idempotencyKey' | 'presetToken' | 'deadlineAt' | 'cacheKey' | 'useCache'>
> & {
  /** True when `prepareInput` already checked the model and the options. */
  validated?: boolean;
};

/**
 * The client: wiring (pipelines, tokens, events) plus one descriptor per public operation. Methods are
 * arrow properties so they stay bound (`const { predict } = client` keeps working).
 */
class PipelineClient implements ModelwireClient {
  private readonly emit: (event: ModelwireEvent) => void;
  private readonly tokens: TokenSource;
  private readonly inputDeps: Parameters<typeof prepareInput>[3];
  private readonly pipelines: Record<PipelineName, Pipeline>;
  private readonly breakers: BreakerRegistry | undefined;
  /** Each model's `min_confidence` threshold, learnt from `modelInfo`, for `lowConfidence`. */
  private readonly thresholds = new Map<string, number>();

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly transport: Transport,
  ) {
    const { clock } = opts;
    this.emit = emitter(opts.onEvent);
    const pause = new FailurePause(
      DEFAULT_POLICY.tokenFailureBackoffInitialMs,
      DEFAULT_POLICY.tokenFailureBackoffMaxMs,
      opts.retry.jitter,
      opts.random,
    );
    this.tokens = tokenSource(opts.auth, { transport, clock, skewMs: DEFAULT_POLICY.tokenRefreshSkewMs, timeoutMs: opts.timeoutMs, pause });
    this.inputDeps = {
      tokens: this.tokens,
      cacheScope: opts.cacheScope,
      maxInputBytes: opts.maxInputBytes,
      maxJsonDepth: opts.maxJsonDepth,
      clock,
    };
    const send = sendStage({
      baseUrl: opts.baseUrl,
      transport,
      tokens: this.tokens,
      clock,
      headers: opts.headers,
      maxResponseBytes: opts.maxResponseBytes,
      maxJsonDepth: opts.maxJsonDepth,
    });
    ({ pipelines: this.pipelines, breakers: this.breakers } = assemblePipelines(opts, send, this.emit));
  }

  readonly predict = async <R>(model: string, data: Record<string, unknown>, options: PredictOptions = {}): Promise<Prediction<R>> => {
    // The deadline starts now: the token wait before the pipeline counts against it.
    const deadlineAt = this.deadlineAt(options);
    const input = await prepareInput(model, data, options, this.inputDeps, deadlineAt);
    const minConfidence = options.minConfidence ?? this.opts.minConfidence ?? this.thresholds.get(model);
    const operation = predictOperation((answer, ctx) => toPrediction<R>(answer, ctx, minConfidence));
    return this.call(operation, model, options, {
      validated: true,
      version: options.version,
      idempotencyKey: newId(),
      presetToken: input.token,
      deadlineAt,
      cacheKey: input.key,
      useCache: options.cache !== false && this.opts.cache !== false,
      body: (ctx) => envelopeBody(ctx, input, model, options.meta),
    });
  };

  readonly submitJob = async (model: string, data: Record<string, unknown>, options: SubmitJobOptions = {}): Promise<Job> => {
    // The deadline starts now: the token wait before the pipeline counts against it.
    const deadlineAt = this.deadlineAt(options);
    const input = await prepareInput(model, data, options, this.inputDeps, deadlineAt);
    const extra = options.callbackUrl ? `,"callback_url":${JSON.stringify(options.callbackUrl)}` : '';
    return this.call(submitJobOperation, model, options, {
      validated: true,
      version: options.version,
      idempotencyKey: options.idempotencyKey ?? newId(),
      presetToken: input.token,
      deadlineAt,
      body: (ctx) => envelopeBody(ctx, input, model, options.meta, extra),
    });
  };

  readonly getJob = (model: string, jobId: string, options: CallOptions = {}): Promise<Job> => {
    return this.call(getJobOperation(jobId), model, options);
  };

  readonly cancelJob = (model: string, jobId: string, options: CallOptions = {}): Promise<Job> => {
    return this.call(cancelJobOperation(jobId), model, options);
  };

  readonly waitForJob = async (model: string, jobId: string, options: WaitForJobOptions = {}): Promise<Job> => {
    checkModel(model);
    checkWaitOptions(options);
    checkCallOptions({ signal: options.signal });
    const P = DEFAULT_POLICY.jobs;
    const { clock } = this.opts;
    const deadlineAt = clock.now() + (options.timeoutMs ?? this.opts.deadlineMs);
    let delay = options.pollInitialMs ?? P.pollInitialMs;
    for (;;) {
      const job = await this.getJob(model, jobId, { signal: options.signal });
      if (FINAL_STATES.has(job.state)) return job;
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
  };

  readonly feedback = async (model: string, input: FeedbackInput, options: CallOptions = {}): Promise<FeedbackReceipt> => {
    checkModel(model);
    checkFeedback(input);
    const body = { request_id: input.requestId, label: input.label, outcome: input.outcome, score: input.score, comment: input.comment };
    return this.call(feedbackOperation, model, options, { idempotencyKey: newId(), body: () => body });
  };

  readonly modelInfo = async (model: string, options: CallOptions = {}): Promise<ModelInfo> => {
    const info = await this.call(modelInfoOperation, model, options);
    // Remember the model's threshold so later predictions can flag low confidence.
    if (typeof info.thresholds?.min_confidence === 'number') this.thresholds.set(model, info.thresholds.min_confidence);
    return info;
  };

  readonly listModels = (options: CallOptions = {}): Promise<ModelSummary[]> => {
    return this.call(listModelsOperation, undefined, options);
  };

  readonly health = (options: CallOptions & { probe?: 'ready' | 'live' } = {}): Promise<{ state: string }> => {
    return this.call(healthOperation(options.probe ?? 'ready'), undefined, options);
  };

  readonly modelHealth = (model: string, options: CallOptions = {}): Promise<ModelHealth> => {
    return this.call(modelHealthOperation, model, options);
  };

  readonly breakerState = (model: string, version?: string): BreakerState => {
    return this.breakers ? this.breakers.get(model, version).state : 'closed';
  };

  readonly close = async (): Promise<void> => {
    if (!this.opts.transport) await this.transport.close?.();
  };

  /** THE way every operation runs: validate, build the call's context, run its pipeline, map the answer. */
  private async call<T, E>(operation: Operation<T, E>, model: string | undefined, options: CallOptions, request?: CallRequest): Promise<T> {
    if (!request?.validated) {
      if (model !== undefined) checkModel(model);
      checkCallOptions(options);
    }
    const ctx = this.context(operation, model, options, request);
    return operation.result(await this.pipelines[operation.pipeline](ctx), ctx);
  }

  /** When a call that starts now must have settled. */
  private deadlineAt(call: CallOptions): number {
    return this.opts.clock.now() + (call.deadlineMs ?? this.opts.deadlineMs);
  }

  private context(
    operation: Operation<unknown, never>,
    model: string | undefined,
    call: CallOptions,
    request: CallRequest = {},
  ): CallContext {
    if (call.signal?.aborted) throw new AbortedError('the call was aborted before it started', { code: 'ABORTED' });
    const { opts } = this;
    const trace = startTrace(call.traceparent ?? opts.traceparent?.());
    return {
      operation: operation.name,
      method: operation.method,
      path: operation.path,
      model,
      version: request.version,
      body: request.body,
      idempotencyKey: request.idempotencyKey,
      presetToken: request.presetToken,
      cacheKey: request.cacheKey,
      useCache: request.useCache ?? false,
      requestId: call.requestId ?? newId(),
      traceId: trace.traceId,
      traceFlags: trace.flags,
      signal: call.signal,
      deadlineAt: request.deadlineAt ?? this.deadlineAt(call),
      perCallDeadline: call.deadlineMs !== undefined,
      timeoutMs: call.timeoutMs ?? opts.timeoutMs,
      counter: { attempts: 0 },
      emit: this.emit,
      observed: opts.onEvent !== undefined,
    };
  }
}
