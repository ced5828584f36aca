import pRetry from 'p-retry';
import type { Clock } from '../clock.js';
import { AbortedError, DeadlineExceededError } from '../errors/error-classes.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import type { Stage } from '../internal/call-context.js';
import type { ResolvedOptions } from '../options.js';
import { backoffDelay } from './backoff.js';
import { isRetryable } from './failure.js';
import type { RetryBudget } from './retry-budget.js';

/**
 * Stage 4: retries retryable failures with capped exponential backoff and jitter, lets `Retry-After`
 * replace the backoff (up to a cap; above it, or past the deadline, gives up at once), spends the
 * client's retry budget, and honours the caller's abort while waiting.
 *
 * p-retry drives the loop with every option set explicitly; its own delay is 0 because the wait is
 * computed here (Retry-After, jitter) and slept on the injected clock.
 *
 * @example retryStage(resolved.retry, new RetryBudget(resolved.retry.budget), clock, Math.random)
 */
export function retryStage(policy: ResolvedOptions['retry'], budget: RetryBudget, clock: Clock, random: () => number): Stage {
  return async (ctx, next) => {
    try {
      const answer = await pRetry(() => next(ctx), {
        retries: policy.maxRetries,
        factor: 1,
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        maxRetryTime: Number.POSITIVE_INFINITY,
        shouldConsumeRetry: () => true,
        onFailedAttempt: () => {},
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!isRetryable(error, policy.retryOnStatus)) return false;
          const retryAfter = (error as ModelwireError).retryAfterMs;
          const remaining = ctx.deadlineAt - clock.now();
          // A server asking for a longer wait than we accept (or than the deadline allows): stop now,
          // and let the error carry the wait so the caller can schedule it.
          if (retryAfter !== undefined && (retryAfter > policy.retryAfterCapMs || retryAfter > remaining)) return false;
          const delay = retryAfter ?? backoffDelay(retriesConsumed + 1, policy, random);
          if (delay >= remaining) {
            throw new DeadlineExceededError(
              `deadline reached after ${ctx.counter.attempts} attempt(s); last: ${(error as Error).message}`,
              {
                code: 'DEADLINE_EXCEEDED',
                requestId: ctx.requestId,
                traceId: ctx.traceId,
                cause: error,
              },
            );
          }
          if (!budget.tryConsume()) return false;
          ctx.emit({
            type: 'retry',
            model: ctx.model,
            requestId: ctx.requestId,
            attempt: ctx.counter.attempts,
            delayMs: delay,
            reason: (error as ModelwireError).code,
          });
          try {
            await clock.sleep(delay, ctx.signal);
          } catch (reason) {
            throw new AbortedError('the call was aborted while waiting to retry', {
              code: 'ABORTED',
              requestId: ctx.requestId,
              cause: reason,
            });
          }
          return true;
        },
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
