import type { FleetTier } from '../fleet/fleet-tier.js';
import { type Answer, callFields, type Stage } from '../internal/call-context.js';
import { fallbackReason } from './failure.js';
import type { ResponseCache } from './response-cache.js';

/**
 * Stage 1: answers from the credential-scoped cache, stores successes (never fallback answers under
 * the primary's key), and serves an expired answer marked `stale` when the model fails and
 * `staleIfError` is on. In fleet mode a shared cache on Redis is the second level.
 *
 * @example cacheStage(new ResponseCache(policy, clock), policy)
 */
export function cacheStage(cache: ResponseCache, staleIfError: boolean, fleet?: FleetTier): Stage {
  return async (ctx, next) => {
    if (!ctx.useCache || ctx.cacheKey === undefined) return next(ctx);
    const key = ctx.cacheKey;
    const fresh = cache.getFresh(key);
    if (fresh) {
      if (ctx.observed) ctx.emit({ type: 'cache_hit', ...callFields(ctx), tier: 'memory' });
      return { ...fresh, cached: true, stale: false, fallback: undefined, attempts: 0 };
    }
    // Fleet mode: the shared cache on Redis is the second level (docs/semantics.md "Fleet mode").
    const shared = fleet ? await fleet.lookup(key, ctx) : undefined;
    if (shared?.verdict === 'fresh') {
      cache.set(key, shared.answer, shared.ageMs);
      if (ctx.observed) ctx.emit({ type: 'cache_hit', ...callFields(ctx), tier: 'redis' });
      return { ...shared.answer, cached: true, stale: false, fallback: undefined, attempts: 0 };
    }
    if (ctx.observed) ctx.emit({ type: 'cache_miss', ...callFields(ctx) });
    let answer: Answer;
    try {
      answer = await next(ctx);
    } catch (error) {
      const stale = staleIfError && fallbackReason(error) !== undefined ? (cache.getAny(key) ?? shared?.answer) : undefined;
      if (!stale) throw error;
      ctx.emit({ type: 'cache_stale', ...callFields(ctx) });
      return { ...stale, cached: true, stale: true, fallback: undefined, attempts: (error as { attempts: number }).attempts };
    }
    // (In fleet mode the coalesce stage has written the shared entry.)
    if (!answer.fallback && !answer.stale) cache.set(key, answer);
    return answer;
  };
}
