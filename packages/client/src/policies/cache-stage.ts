import type { Answer, Stage } from '../internal/call-context.js';
import { isFallbackEligible } from './failure.js';
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
    const model = ctx.model ?? '';
    const fresh = cache.getFresh(key);
    if (fresh) {
      if (ctx.observed) ctx.emit({ type: 'cache_hit', model, requestId: ctx.requestId });
      return { ...fresh, cached: true, stale: false, fallback: undefined, attempts: 0 };
    }
    if (ctx.observed) ctx.emit({ type: 'cache_miss', model, requestId: ctx.requestId });
    let answer: Answer;
    try {
      answer = await next(ctx);
    } catch (error) {
      const stale = staleIfError && isFallbackEligible(error) ? cache.getAny(key) : undefined;
      if (!stale) throw error;
      ctx.emit({ type: 'cache_stale', model, requestId: ctx.requestId });
      return { ...stale, cached: true, stale: true, fallback: undefined, attempts: (error as { attempts: number }).attempts };
    }
    if (!answer.fallback && !answer.stale) cache.set(key, answer);
    return answer;
  };
}
