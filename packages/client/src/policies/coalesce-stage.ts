import type { Clock } from '../clock.js';
import { AbortedError, DeadlineExceededError } from '../errors/error-classes.js';
import type { FleetTier } from '../fleet/fleet-tier.js';
import { type Answer, type CallContext, callFields, type Stage } from '../internal/call-context.js';

interface Shared {
  promise: Promise<Answer>;
  controller: AbortController;
  waiters: number;
  /** A caller that can neither abort nor time out on its own waits: the shared call is never cancelled. */
  pinned: boolean;
  deadlineAt: number;
  /** Removes the entry from the in-flight map (idempotent). */
  cleanup: () => void;
}

/**
 * Stage 2: identical calls in flight share one upstream call. The shared call owns its own
 * AbortController, and its deadline is the later of the client's and the first caller's: one
 * caller's abort or shorter deadline rejects only that caller, and the shared call is cancelled
 * only when every caller has left (it then leaves the in-flight map at once, so a newcomer starts a
 * fresh call instead of joining a cancelled one).
 *
 * @example coalesceStage(clock, 30_000)
 */
export function coalesceStage(clock: Clock, clientDeadlineMs: number, fleet?: FleetTier): Stage {
  const inflight = new Map<string, Shared>();
  return (ctx, next) => {
    if (!ctx.useCache || ctx.cacheKey === undefined) return next(ctx);
    const key = ctx.cacheKey;
    let shared = inflight.get(key);
    if (shared) {
      ctx.counter.coalesced = true;
      if (ctx.observed) ctx.emit({ type: 'coalesced', ...callFields(ctx), tier: 'memory' });
    } else {
      const controller = new AbortController();
      const sharedCtx: CallContext = {
        ...ctx,
        signal: controller.signal,
        deadlineAt: Math.max(ctx.deadlineAt, clock.now() + clientDeadlineMs),
        perCallDeadline: false,
      };
      const cleanup = () => {
        if (inflight.get(key) === created) inflight.delete(key);
      };
      const created: Shared = {
        // Fleet mode: across instances too, one of them calls upstream.
        promise: fleet ? fleet.coalesce(key, sharedCtx, next, ctx.deadlineAt) : next(sharedCtx),
        controller,
        waiters: 0,
        pinned: false,
        deadlineAt: sharedCtx.deadlineAt,
        cleanup,
      };
      shared = created;
      inflight.set(key, created);
      created.promise.then(cleanup, cleanup);
    }
    // Fast path: a caller without a signal or a shorter deadline of its own simply shares the promise.
    if (!ctx.signal && !(ctx.perCallDeadline && ctx.deadlineAt < shared.deadlineAt)) {
      shared.pinned = true;
      return shared.promise;
    }
    return wait(shared, ctx, clock);
  };
}

function wait(shared: Shared, ctx: CallContext, clock: Clock): Promise<Answer> {
  shared.waiters++;
  const { signal } = ctx;
  return new Promise<Answer>((resolve, reject) => {
    let done = false;
    let cancelTimer = () => {};
    const leave = (error: unknown) => {
      if (done) return;
      done = true;
      finish();
      // The last caller to leave cancels the shared call; earlier ones just stop waiting.
      if (--shared.waiters === 0 && !shared.pinned) {
        shared.cleanup();
        shared.controller.abort(error);
      }
      reject(error);
    };
    const onAbort = () =>
      leave(new AbortedError('the call was aborted by its signal', { code: 'ABORTED', requestId: ctx.requestId, cause: signal?.reason }));
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      cancelTimer();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Only a caller with a shorter deadline than the shared call needs a timer of its own.
    if (ctx.perCallDeadline && ctx.deadlineAt < shared.deadlineAt) {
      cancelTimer = clock.timer(Math.max(0, ctx.deadlineAt - clock.now()), () =>
        leave(
          new DeadlineExceededError("the call's deadline passed while waiting for a shared identical call", {
            code: 'DEADLINE_EXCEEDED',
            requestId: ctx.requestId,
          }),
        ),
      );
    }
    shared.promise.then(
      (answer) => {
        if (done) return;
        done = true;
        shared.waiters--;
        finish();
        resolve(answer);
      },
      (error) => {
        if (done) return;
        done = true;
        shared.waiters--;
        finish();
        reject(error);
      },
    );
  });
}
