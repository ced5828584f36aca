import type { ModelwireEvent } from './events.js';
import { BreakerHints } from './fleet/breaker-hints.js';
import { FleetCache } from './fleet/fleet-cache.js';
import { FleetTier } from './fleet/fleet-tier.js';
import type { Answer, CallContext, Stage } from './internal/call-context.js';
import { newId } from './internal/ids.js';
import type { ResolvedOptions } from './options.js';
import { BreakerRegistry, breakerStage } from './policies/breaker-stage.js';
import { cacheStage } from './policies/cache-stage.js';
import { coalesceStage } from './policies/coalesce-stage.js';
import { fallbackStage } from './policies/fallback-stage.js';
import { ResponseCache } from './policies/response-cache.js';
import { RetryBudget } from './policies/retry-budget.js';
import { retryStage } from './policies/retry-stage.js';
import { timeoutStage } from './policies/timeout-stage.js';

/**
 * THE order of the pipeline, declared once (`PIPELINE_ORDER[0] === 'cache'`). Every operation runs a subsequence of it, in this order,
 * ending with one HTTP attempt (the transport):
 * cache → coalesce → fallback → retry → breaker → per-attempt timeout → transport.
 */
export const PIPELINE_ORDER = ['cache', 'coalesce', 'fallback', 'retry', 'breaker', 'timeout'] as const;

/** A stage's name. */
export type StageName = (typeof PIPELINE_ORDER)[number];

/**
 * Which stages each kind of operation uses: predictions get all of them, job submissions retry
 * behind their model's breaker, and every other call (reads, cancel, feedback) only retries.
 */
export const OPERATION_STAGES = {
  predict: PIPELINE_ORDER,
  submitJob: ['retry', 'breaker', 'timeout'],
  read: ['retry', 'timeout'],
} as const satisfies Record<string, readonly StageName[]>;

/** The name of an assembled pipeline. */
export type PipelineName = keyof typeof OPERATION_STAGES;

/** A composed pipeline: one logical call in, its answer out. */
export type Pipeline = (ctx: CallContext) => Promise<Answer>;

const passThrough: Stage = (ctx, next) => next(ctx);

/**
 * Composes the named stages around the transport, refusing any order other than `PIPELINE_ORDER`.
 *
 * @example const run = buildPipeline(stages, send, OPERATION_STAGES.predict); await run(ctx);
 */
export function buildPipeline(stages: Record<StageName, Stage>, transport: Pipeline, names: readonly StageName[]): Pipeline {
  let last = -1;
  for (const name of names) {
    const index = PIPELINE_ORDER.indexOf(name);
    if (index <= last) throw new Error(`pipeline stage ${name} is out of order; the order is ${PIPELINE_ORDER.join(' → ')}`);
    last = index;
  }
  return names.reduceRight<Pipeline>((next, name) => {
    const stage = stages[name];
    return (ctx) => stage(ctx, next);
  }, transport);
}

/**
 * THE assembly: builds each stage once from the resolved options (a policy turned off becomes a
 * pass-through) and composes one pipeline per entry of `OPERATION_STAGES`, all sharing the same
 * stages (one cache, one breaker registry, one retry budget per client).
 *
 * @example const { pipelines, breakers } = assemblePipelines(opts, send, emit); await pipelines.read(ctx);
 */
export function assemblePipelines(
  opts: Pick<ResolvedOptions, 'cache' | 'deadlineMs' | 'fallbackFor' | 'retry' | 'breaker' | 'random' | 'clock' | 'fleet' | 'maxJsonDepth'>,
  send: Pipeline,
  emit: (event: ModelwireEvent) => void,
): { pipelines: Record<PipelineName, Pipeline>; breakers: BreakerRegistry | undefined } {
  const { clock } = opts;
  const fleet = fleetParts(opts, emit);
  const hints =
    fleet && opts.breaker
      ? new BreakerHints(fleet.cache, { quorum: fleet.quorum, resetTimeoutMs: opts.breaker.resetTimeoutMs }, clock)
      : undefined;
  const breakers = opts.breaker
    ? new BreakerRegistry(opts.breaker, clock, (model, version, state, fromFleet) => {
        const type = state === 'open' ? 'breaker_open' : state === 'half-open' ? 'breaker_half_open' : 'breaker_close';
        emit(fromFleet ? { type, model, version, fleet: true } : { type, model, version });
        hints?.reported(model, version, state, fromFleet);
      })
    : undefined;
  const stages: Record<StageName, Stage> = {
    cache: opts.cache ? cacheStage(new ResponseCache(opts.cache, clock), opts.cache.staleIfError, fleet?.tier) : passThrough,
    coalesce: opts.cache ? coalesceStage(clock, opts.deadlineMs, fleet?.tier) : passThrough,
    fallback: fallbackStage(opts.fallbackFor, newId),
    retry: retryStage(opts.retry, new RetryBudget(opts.retry.budget), clock, opts.random),
    breaker: breakers ? breakerStage(breakers, hints) : passThrough,
    timeout: timeoutStage(clock),
  };
  const pipelines: Record<PipelineName, Pipeline> = {
    predict: buildPipeline(stages, send, OPERATION_STAGES.predict),
    submitJob: buildPipeline(stages, send, OPERATION_STAGES.submitJob),
    read: buildPipeline(stages, send, OPERATION_STAGES.read),
  };
  return { pipelines, breakers };
}

/** Fleet mode's shared parts (docs/semantics.md "Fleet mode"): the Redis side and the cache's second level. */
function fleetParts(opts: Pick<ResolvedOptions, 'cache' | 'fleet' | 'maxJsonDepth' | 'clock'>, emit: (event: ModelwireEvent) => void) {
  if (!opts.fleet) return undefined;
  const cache = new FleetCache(opts.fleet.redis, opts.fleet.policy, opts.clock, emit, opts.fleet.policy.instanceId);
  const tier = opts.cache
    ? new FleetTier(cache, { ttlMs: opts.cache.ttlMs, staleIfError: opts.cache.staleIfError, maxJsonDepth: opts.maxJsonDepth }, opts.clock)
    : undefined;
  return { cache, tier, quorum: opts.fleet.policy.quorum };
}
