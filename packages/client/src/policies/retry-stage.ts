import pRetry from 'p-retry';
import type { Clock } from '../clock.js';
import { AbortedError, DeadlineExceededError } from '../errors/error-classes.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import { type CallContext, callFields, type Stage } from '../internal/call-context.js';
import type { ResolvedOptions } from '../options.js';
import { backoffDelay } from './backoff.js';
import { isRetryable } from './failure.js';
import type { RetryBudget } from './retry-budget.js';

type RetryPolicy = ResolvedOptions['retry'];

/**
 * Stage 4: retries retryable failures with capped exponential backoff and jitter, lets `Retry-After`
 * replace the backoff (up to a cap; above it, or past the deadline, gives up at once), spends the
 * client's retry budget, and honours the caller's abort while waiting.
 *
 * @example retryStage(resolved.retry, new RetryBudget(resolved.retry.budget), clock, Math.random)
 */
export function retryStage(policy: RetryPolicy, budget: RetryBudget, clock: Clock, random: () => number): Stage {
  return async (ctx, next) => {
    try {
      // p-retry counts attempts and stops when they run out; the wait is ours (Retry-After, deadline, clock), hence minTimeout 0.
      const answer = await pRetry(() => next(ctx), {
        retries: policy.maxRetries,
        minTimeout: 0,
        shouldRetry: ({ error, retriesConsumed }) => waitBeforeRetry(ctx, error, retriesConsumed + 1, { policy, budget, clock, random }),
      });
      budget.onSuccess();
      answer.attempts = ctx.counter.attempts;
      return answer;
    } catch (error) {
      if (error instanceof ModelwireError) error.attempts = ctx.counter.attempts;
      throw error;
    }
  };
}

/** Decides whether retry `retryNumber` happens; when it does, reports it and waits (false = give up now). */
async function waitBeforeRetry(
  ctx: CallContext,
  error: unknown,
  retryNumber: number,
  deps: { policy: RetryPolicy; budget: RetryBudget; clock: Clock; random: () => number },
): Promise<boolean> {
  const { policy, clock } = deps;
  if (!isRetryable(error, policy.retryOnStatus)) return false;
  const retryAfter = error.retryAfterMs;
  const remaining = ctx.deadlineAt - clock.now();
  // A server asking for a longer wait than we accept (or than the deadline allows): stop now,
  // and let the error carry the wait so the caller can schedule it.
  if (retryAfter !== undefined && (retryAfter > policy.retryAfterCapMs || retryAfter > remaining)) return false;
  const delay = retryAfter ?? backoffDelay(retryNumber, policy, deps.random);
  if (delay >= remaining) {
    throw new DeadlineExceededError(`deadline reached after ${ctx.counter.attempts} attempt(s); last: ${error.message}`, {
      code: 'DEADLINE_EXCEEDED',
      requestId: ctx.requestId,
      traceId: ctx.traceId,
      cause: error,
    });
  }
  if (!deps.budget.tryConsume()) return false;
  ctx.emit({ type: 'retry', ...callFields(ctx), attempt: ctx.counter.attempts, delayMs: delay, errorCode: error.code });
  try {
    await clock.sleep(delay, ctx.signal);
  } catch (reason) {
    throw new AbortedError('the call was aborted while waiting to retry', { code: 'ABORTED', requestId: ctx.requestId, cause: reason });
  }
  return true;
}
