import type { Clock } from '../clock.js';
import { AbortedError, DeadlineExceededError, TimeoutError } from '../errors/error-classes.js';
import type { Stage } from '../internal/call-context.js';

/** Marks an abort caused by our own timer, so it is told apart from the caller's abort (also in `request_error` events). */
export class AttemptTimedOut extends Error {}

/**
 * Stage 6: bounds one attempt by `timeoutMs` (or the time left before the deadline, if shorter) and
 * links the caller's signal. The only timeout in the pipeline: the breaker has none.
 *
 * @example timeoutStage(clock)
 */
export function timeoutStage(clock: Clock): Stage {
  return async (ctx, next) => {
    const remaining = ctx.deadlineAt - clock.now();
    if (remaining <= 0) {
      throw new DeadlineExceededError("the call's deadline passed before the attempt could start", {
        code: 'DEADLINE_EXCEEDED',
        requestId: ctx.requestId,
        traceId: ctx.traceId,
      });
    }
    const limitedByDeadline = remaining < ctx.timeoutMs;
    const budget = Math.min(ctx.timeoutMs, remaining);
    const controller = new AbortController();
    const parent = ctx.signal;
    const onParentAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted) onParentAbort();
    else parent?.addEventListener('abort', onParentAbort, { once: true });
    const cancel = clock.timer(budget, () => controller.abort(new AttemptTimedOut()));
    try {
      return await next({ ...ctx, signal: controller.signal });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      const reason = controller.signal.reason;
      if (reason instanceof AttemptTimedOut) {
        if (limitedByDeadline) {
          throw new DeadlineExceededError(`the call's deadline passed during attempt ${ctx.counter.attempts}`, {
            code: 'DEADLINE_EXCEEDED',
            requestId: ctx.requestId,
            traceId: ctx.traceId,
            cause: new TimeoutError(`attempt ${ctx.counter.attempts} was cut short after ${budget} ms by the deadline`, {
              code: 'TIMEOUT',
            }),
          });
        }
        throw new TimeoutError(`attempt ${ctx.counter.attempts} took longer than ${ctx.timeoutMs} ms`, {
          code: 'TIMEOUT',
          requestId: ctx.requestId,
          traceId: ctx.traceId,
        });
      }
      throw new AbortedError('the call was aborted by its signal', {
        code: 'ABORTED',
        requestId: ctx.requestId,
        traceId: ctx.traceId,
        cause: reason,
      });
    } finally {
      cancel();
      parent?.removeEventListener('abort', onParentAbort);
    }
  };
}
