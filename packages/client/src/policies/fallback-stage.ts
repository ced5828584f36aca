import { ModelwireError } from '../errors/modelwire-error.js';
import { callFields, type Stage } from '../internal/call-context.js';
import { fallbackReason } from './failure.js';

/**
 * Stage 3: when the primary model fails in a way a backup could fix (breaker open, or retries ended
 * on 5xx/timeout/connection), asks the backup model once (depth 1). The backup call keeps the
 * request id and trace id, gets its own Idempotency-Key and no version pin. If the backup fails too,
 * the primary's error is thrown.
 *
 * @example fallbackStage((model) => ({ 'fraud-score': 'fraud-score-backup' })[model], newId)
 */
export function fallbackStage(fallbackFor: (model: string) => string | undefined, newId: () => string): Stage {
  return async (ctx, next) => {
    try {
      return await next(ctx);
    } catch (error) {
      const from = ctx.model;
      const to = from === undefined ? undefined : fallbackFor(from);
      const reason = fallbackReason(error);
      if (!(error instanceof ModelwireError) || from === undefined || !to || to === from || reason === undefined) throw error;
      ctx.emit({ type: 'fallback', ...callFields(ctx), to, reason });
      ctx.counter.fallback = { from, to, reason };
      try {
        const answer = await next({
          ...ctx,
          model: to,
          version: undefined,
          idempotencyKey: ctx.idempotencyKey === undefined ? undefined : newId(),
        });
        return { ...answer, fallback: { from, to, reason } };
      } catch (backupError) {
        // The caller asked for the primary model: its failure is the one to report.
        error.attempts = ctx.counter.attempts;
        if (backupError instanceof ModelwireError) error.backupError = backupError;
        throw error;
      }
    }
  };
}
