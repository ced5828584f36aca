import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { CircuitOpenError } from '../errors/error-classes.js';
import type { BreakerState } from '../events.js';
import type { BreakerHints } from '../fleet/breaker-hints.js';
import type { Stage } from '../internal/call-context.js';
import { ConsecutiveBreaker } from './consecutive-breaker.js';
import { type BreakerVerdict, breakerVerdict } from './failure.js';

/**
 * One breaker per (model, pinned version), created on first use.
 *
 * @example registry.get('fraud-score', undefined).state // 'closed'
 */
export class BreakerRegistry {
  // Bounded: versions are caller-supplied strings. Evicting a long-unused breaker only forgets its state.
  private readonly breakers = new LRUCache<string, ConsecutiveBreaker>({ max: 10_000 });

  constructor(
    private readonly options: { consecutiveFailures: number; resetTimeoutMs: number },
    private readonly clock: Clock,
    private readonly onTransition: (model: string, version: string | null, state: BreakerState, fromFleet: boolean) => void,
  ) {}

  get(model: string, version: string | undefined): ConsecutiveBreaker {
    const key = `${model}\u0000${version ?? ''}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new ConsecutiveBreaker(this.options, this.clock, (state, fromFleet) =>
        this.onTransition(model, version ?? null, state, fromFleet),
      );
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}

/**
 * Stage 5: fails fast with `CircuitOpenError` while the model's breaker is open, and feeds every
 * attempt's outcome to it (verdicts in `failure.ts`).
 *
 * @example breakerStage(new BreakerRegistry(policy, clock, onTransition))
 */
export function breakerStage(registry: BreakerRegistry, hints?: BreakerHints): Stage {
  return async (ctx, next) => {
    if (ctx.model === undefined) return next(ctx);
    const breaker = registry.get(ctx.model, ctx.version);
    // Fleet mode: a quorum of other instances may open this closed breaker (read in the background).
    if (hints && breaker.state === 'closed') hints.check(ctx.model, ctx.version ?? null, () => breaker.trip());
    if (!breaker.tryAcquire()) {
      throw new CircuitOpenError(
        `circuit for model ${ctx.model}${ctx.version ? `@${ctx.version}` : ''} is ${breaker.state}: failing fast without calling it`,
        { code: 'CIRCUIT_OPEN', requestId: ctx.requestId, traceId: ctx.traceId },
      );
    }
    // Released on every exit path: whatever `next` throws, the trial slot is freed with the table's verdict.
    let verdict: BreakerVerdict = 'ignored';
    try {
      const answer = await next(ctx);
      verdict = breakerVerdict({ answer });
      return answer;
    } catch (error) {
      verdict = breakerVerdict({ error });
      throw error;
    } finally {
      breaker.record(verdict);
    }
  };
}
