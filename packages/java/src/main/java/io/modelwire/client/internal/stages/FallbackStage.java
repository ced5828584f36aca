package io.modelwire.client.internal.stages;

import io.modelwire.client.Fallback;
import io.modelwire.client.errors.ModelwireException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * When the primary model fails in a way a backup could fix ({@link Failures#fallbackReason}), asks
 * the backup model once (depth 1): same request id and trace, a new Idempotency-Key, no version pin.
 * If the backup fails too, the caller gets the primary's error with the backup's suppressed and the
 * attempts of both.
 *
 * <pre>{@code new FallbackStage(m -> "fraud-score".equals(m) ? "fraud-score-backup" : null, events) }</pre>
 */
public final class FallbackStage implements Stage {
  private final Function<String, String> fallbacks;
  private final Events events;

  /**
   * Creates the stage.
   *
   * @param fallbacks model → backup model, or null for none
   * @param events event sink
   */
  public FallbackStage(Function<String, String> fallbacks, Events events) {
    this.fallbacks = fallbacks;
    this.events = events;
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call, Chain next) {
    return next.proceed(call).exceptionallyCompose(err -> {
      ModelwireException primary = Errors.asModelwire(err);
      String reason = Failures.fallbackReason(primary);
      String backup = reason == null || call.model() == null ? null : fallbacks.apply(call.model());
      if (backup == null || backup.equals(call.model())) return CompletableFuture.failedFuture(primary);
      if (call.facts() != null) call.facts().markFallback(backup, reason);
      events.fallback(call, backup, reason);
      String key = call.idempotencyKey() == null ? null : UUID.randomUUID().toString();
      Fallback how = new Fallback(call.model(), backup, reason);
      return next.proceed(call.with(call.op(), backup, null, key, call.cacheKey()))
          .thenApply(answer -> answer.viaFallback(how))
          .exceptionallyCompose(backupErr -> {
            // the caller asked for the primary model: its failure is the one to report
            primary.addSuppressed(Errors.asModelwire(backupErr));
            primary.withAttempts(call.attempts());
            return CompletableFuture.failedFuture(primary);
          });
    });
  }
}
