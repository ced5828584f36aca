import type { Answer, CallContext, Stage } from './internal/call-context.js';

/**
 * THE order of the pipeline, declared once (`PIPELINE_ORDER[0] === 'cache'`). Every operation runs a subsequence of it, in this order,
 * ending with one HTTP attempt (the transport):
 * cache → coalesce → fallback → retry → breaker → per-attempt timeout → transport.
 */
export const PIPELINE_ORDER = ['cache', 'coalesce', 'fallback', 'retry', 'breaker', 'timeout'] as const;

/** A stage's name. */
export type StageName = (typeof PIPELINE_ORDER)[number];

/** Which stages each operation uses (predictions get all of them). */
export const OPERATION_STAGES = {
  predict: PIPELINE_ORDER,
  submitJob: ['retry', 'breaker', 'timeout'],
  read: ['retry', 'timeout'],
  write: ['retry', 'timeout'],
} as const satisfies Record<string, readonly StageName[]>;

/**
 * Composes the named stages around the transport, refusing any order other than `PIPELINE_ORDER`.
 *
 * @example const run = buildPipeline(stages, send, OPERATION_STAGES.predict); await run(ctx);
 */
export function buildPipeline(
  stages: Record<StageName, Stage>,
  transport: (ctx: CallContext) => Promise<Answer>,
  names: readonly StageName[],
): (ctx: CallContext) => Promise<Answer> {
  let last = -1;
  for (const name of names) {
    const index = PIPELINE_ORDER.indexOf(name);
    if (index <= last) throw new Error(`pipeline stage ${name} is out of order; the order is ${PIPELINE_ORDER.join(' → ')}`);
    last = index;
  }
  return names.reduceRight<(ctx: CallContext) => Promise<Answer>>((next, name) => {
    const stage = stages[name];
    return (ctx) => stage(ctx, next);
  }, transport);
}
