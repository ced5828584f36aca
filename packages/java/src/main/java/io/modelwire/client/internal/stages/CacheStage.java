package io.modelwire.client.internal.stages;

import io.modelwire.client.ModelwireEvent.Type;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.ResponseCache;
import java.util.concurrent.CompletableFuture;

/**
 * Answers from the credential-scoped cache, stores successes (never a fallback's answer under the
 * primary's key), and, with stale-if-error, serves an expired answer when the model failed in a way
 * a backup could have fixed ({@link Failures#fallbackReason}).
 *
 * <pre>{@code new CacheStage(cache, true, events) }</pre>
 */
public final class CacheStage implements Stage {
  private final ResponseCache cache;
  private final boolean staleIfError;
  private final Events events;

  /**
   * Creates the stage.
   *
   * @param cache the cache
   * @param staleIfError serve expired answers when all else failed
   * @param events event sink
   */
  public CacheStage(ResponseCache cache, boolean staleIfError, Events events) {
    this.cache = cache;
    this.staleIfError = staleIfError;
    this.events = events;
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call, Chain next) {
    String key = call.cacheKey();
    if (key == null) return next.proceed(call);
    ResponseCache.Entry hit = cache.getFresh(key);
    if (hit != null) {
      events.callLevel(Type.CACHE_HIT, call);
      return CompletableFuture.completedFuture(hit.answer().fromCache(false, 0));
    }
    events.callLevel(Type.CACHE_MISS, call);
    return next.proceed(call).thenApply(answer -> {
      if (answer.fallback() == null && !answer.stale()) store(key, answer);
      return answer;
    }).exceptionallyCompose(err -> {
      ModelwireException e = Errors.asModelwire(err);
      ResponseCache.Entry old = staleIfError && Failures.fallbackReason(e) != null ? cache.getAny(key) : null;
      if (old == null) return CompletableFuture.failedFuture(e);
      events.callLevel(Type.CACHE_STALE, call);
      return CompletableFuture.completedFuture(old.answer().fromCache(true, e.attempts()));
    });
  }

  private void store(String key, Answer answer) {
    try {
      cache.put(key, answer, Json.MAPPER.writeValueAsBytes(answer.envelope().path("result")).length);
    } catch (Exception ignored) {
      // a cache failure must never fail a call that succeeded
    }
  }
}
