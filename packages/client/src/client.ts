import { FailurePause } from './auth/failure-pause.js';
import { type TokenSource, tokenSource } from './auth/token-source.js';
import { AbortedError, DeadlineExceededError } from './errors/error-classes.js';
import { ModelwireError } from './errors/modelwire-error.js';
import { type BreakerState, emitter, type ModelwireEvent } from './events.js';
import { DEFAULT_POLICY, FINAL_JOB_STATES } from './generated/policy.js';
import type { Answer, CallContext } from './internal/call-context.js';
import { CallScope, operationName, type ScopeDeps } from './internal/call-scope.js';
import { checkedInput, envelopeBody, type InputDeps, prepareInput } from './internal/envelope.js';
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
import type { OtelApi } from './telemetry/otel-api.js';
import { Telemetry } from './telemetry/telemetry.js';
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
export function createClientWith(
  options: ClientOptions,
  defaultTransport: (o: ClientOptions) => Transport,
  otelApi: () => OtelApi | undefined = () => undefined,
): ModelwireClient {
  const opts = resolveOptions(options);
  const telemetry = Telemetry.create(opts.telemetry === false ? undefined : otelApi(), opts.telemetry, opts.baseUrl);
  return new PipelineClient(opts, opts.transport ?? defaultTransport(options), telemetry);
}

/** What one call adds to its operation: its body, version pin, keys and cache use. */
type CallRequest = Partial<
  Pick<CallContext, 'version' | 'body' | 'idempotencyKey' | 'presetToken' | 'deadlineAt' | 'cacheKey' | 'useCache'>
> & {
  /** True when `checkedInput` already checked the model and the options. */
  validated?: boolean;
};

/** Work a call does inside its scope before the pipeline (the token wait of predict and submitJob). */
type Prepare = (scope: CallScope) => Promise<CallRequest>;

/**
 * The client: wiring (pipelines, tokens, events) plus one descriptor per public operation. Methods are
 * arrow properties so they stay bound (`const { predict } = client` keeps working).
 */
class PipelineClient implements ModelwireClient {
  private readonly emit: (event: ModelwireEvent) => void;
  private readonly tokens: TokenSource;
  private readonly inputDeps: InputDeps;
  private readonly scopeDeps: ScopeDeps;
  private readonly pipelines: Record<PipelineName, Pipeline>;
  private readonly breakers: BreakerRegistry | undefined;
  /** Each model's `min_confidence` threshold, learnt from `modelInfo`, for `lowConfidence`. */
  private readonly thresholds = new Map<string, number>();

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly transport: Transport,
    private readonly telemetry: Telemetry | undefined,
  ) {
    const { clock } = opts;
    const hook = emitter(opts.onEvent);
    // Metrics are derived from the events: with telemetry on, every event also feeds them.
    this.emit = telemetry
      ? (event) => {
          hook(event);
          telemetry.recordEvent(event);
        }
      : hook;
    this.scopeDeps = { telemetry, clock, emit: this.emit, observed: opts.onEvent !== undefined || telemetry !== undefined };
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
    const dataJson = checkedInput(model, data, options, this.inputDeps);
    const minConfidence = options.minConfidence ?? this.opts.minConfidence ?? this.thresholds.get(model);
    const operation = predictOperation((answer, ctx) => toPrediction<R>(answer, ctx, minConfidence));
    return this.call(operation, model, options, { validated: true, version: options.version }, async (scope) => {
      const input = await prepareInput(model, dataJson, options, this.inputDeps, deadlineAt, scope.requestId);
      return {
        idempotencyKey: newId(),
        presetToken: input.token,
        deadlineAt,
        cacheKey: input.key,
        useCache: options.cache !== false && this.opts.cache !== false,
        body: (ctx) => envelopeBody(ctx, input, model, options.meta),
      };
    });
  };

  readonly submitJob = async (model: string, data: Record<string, unknown>, options: SubmitJobOptions = {}): Promise<Job> => {
    // The deadline starts now: the token wait before the pipeline counts against it.
    const deadlineAt = this.deadlineAt(options);
    const dataJson = checkedInput(model, data, options, this.inputDeps);
    const extra = options.callbackUrl ? `,"callback_url":${JSON.stringify(options.callbackUrl)}` : '';
    return this.call(submitJobOperation, model, options, { validated: true, version: options.version }, async (scope) => {
      const input = await prepareInput(model, dataJson, options, this.inputDeps, deadlineAt, scope.requestId);
      return {
        idempotencyKey: options.idempotencyKey ?? newId(),
        presetToken: input.token,
        deadlineAt,
        body: (ctx) => envelopeBody(ctx, input, model, options.meta, extra),
      };
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
    const deadlineAt = this.opts.clock.now() + (options.timeoutMs ?? this.opts.deadlineMs);
    // One span around the polls (docs/semantics.md "Telemetry"): each get_job call is its child.
    const span = this.telemetry?.startCall(
      'wait_for_job',
      model,
      { 'modelwire.operation': 'wait_for_job', 'modelwire.model': model },
      undefined,
    );
    if (span === undefined) return this.pollJob(model, jobId, options, deadlineAt);
    let polls = 0;
    try {
      const job = await span.activate(() => this.pollJob(model, jobId, options, deadlineAt, () => polls++));
      span.end({ attempts: polls });
      return job;
    } catch (error) {
      span.end({ attempts: polls, errorCode: error instanceof ModelwireError ? error.code : 'INTERNAL_ERROR' });
      throw error;
    }
  };

  private async pollJob(model: string, jobId: string, options: WaitForJobOptions, deadlineAt: number, onPoll = () => {}): Promise<Job> {
    const P = DEFAULT_POLICY.jobs;
    const { clock } = this.opts;
    let delay = options.pollInitialMs ?? P.pollInitialMs;
    for (;;) {
      onPoll();
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
  }

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

  /**
   * THE way every operation runs: validate (a bad call ends here, unobserved), open the call's scope
   * (request id, trace, call span), prepare, build the context, run its pipeline, map the answer, and
   * settle the scope (`call_end`, span end) however it ended.
   */
  private async call<T, E>(
    operation: Operation<T, E>,
    model: string | undefined,
    options: CallOptions,
    request: CallRequest = {},
    prepare?: Prepare,
  ): Promise<T> {
    if (!request.validated) {
      if (model !== undefined) checkModel(model);
      checkCallOptions(options);
    }
    if (options.signal?.aborted) throw new AbortedError('the call was aborted before it started', { code: 'ABORTED' });
    const traceparent = options.traceparent ?? this.opts.traceparent?.();
    const scope = new CallScope(
      this.scopeDeps,
      operationName(operation.name),
      model,
      request.version,
      options.requestId ?? newId(),
      traceparent,
    );
    let answer: Answer | undefined;
    let failure: { error: unknown } | undefined;
    try {
      const prepared = prepare ? { ...request, ...(await prepare(scope)) } : request;
      const ctx = this.context(operation, model, options, prepared, scope);
      answer = await this.pipelines[operation.pipeline](ctx);
      return operation.result(answer, ctx);
    } catch (error) {
      failure = { error };
      throw error;
    } finally {
      scope.settle(failure ? undefined : answer, failure?.error, this.breakerOf(operation, model, request.version));
    }
  }

  /** The primary's breaker state, for operations behind a breaker. */
  private breakerOf(
    operation: Operation<unknown, never>,
    model: string | undefined,
    version: string | undefined,
  ): BreakerState | undefined {
    if (!this.breakers || model === undefined || operation.pipeline === 'read') return undefined;
    return this.breakers.get(model, version).state;
  }

  /** When a call that starts now must have settled. */
  private deadlineAt(call: CallOptions): number {
    return this.opts.clock.now() + (call.deadlineMs ?? this.opts.deadlineMs);
  }

  private context(
    operation: Operation<unknown, never>,
    model: string | undefined,
    call: CallOptions,
    request: CallRequest,
    scope: CallScope,
  ): CallContext {
    const { opts } = this;
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
      requestId: scope.requestId,
      traceId: scope.traceId,
      traceFlags: scope.traceFlags,
      signal: call.signal,
      deadlineAt: request.deadlineAt ?? this.deadlineAt(call),
      perCallDeadline: call.deadlineMs !== undefined,
      timeoutMs: call.timeoutMs ?? opts.timeoutMs,
      counter: scope.progress,
      span: scope.span,
      emit: this.emit,
      observed: this.scopeDeps.observed,
    };
  }
}
