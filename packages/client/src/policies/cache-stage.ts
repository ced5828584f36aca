import { type Answer, callFields, type Stage } from '../internal/call-context.js';
import { fallbackReason } from './failure.js';
import type { ResponseCache } from './response-cache.js';

/**
 * Stage 1: answers from the credential-scoped cache, stores successes (never fallback answers under
 * the primary's key), and serves an expired answer marked `stale` when the model fails and
 * `staleIfError` is on.
 *
 * @example cacheStage(new ResponseCache(policy, clock), policy)
 */
export function cacheStage(cache: ResponseCache, staleIfError: boolean): Stage {
  return async (ctx, next) => {
    if (!ctx.useCache || ctx.cacheKey === undefined) return next(ctx);
    const key = ctx.cacheKey;
    const fresh = cache.getFresh(key);
    if (fresh) {
      if (ctx.observed) ctx.emit({ type: 'cache_hit', ...callFields(ctx) });
      return { ...fresh, cached: true, stale: false, fallback: undefined, attempts: 0 };
    }
    if (ctx.observed) ctx.emit({ type: 'cache_miss', ...callFields(ctx) });
    let answer: Answer;
    try {
      answer = await next(ctx);
    } catch (error) {
      const stale = staleIfError && fallbackReason(error) !== undefined ? cache.getAny(key) : undefined;
      if (!stale) throw error;
      ctx.emit({ type: 'cache_stale', ...callFields(ctx) });
      return { ...stale, cached: true, stale: true, fallback: undefined, attempts: (error as { attempts: number }).attempts };
    }
    if (!answer.fallback && !answer.stale) cache.set(key, answer);
    return answer;
  };
}
