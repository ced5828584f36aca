package io.modelwire.client.internal.stages;

import io.modelwire.client.ModelwireEvent.Type;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.ResponseCache;
import io.modelwire.client.internal.fleet.FleetTier;
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
  private final FleetTier fleet; // null: no second level

  /**
   * Creates the stage.
   *
   * @param cache the cache
   * @param staleIfError serve expired answers when all else failed
   * @param events event sink
   */
  public CacheStage(ResponseCache cache, boolean staleIfError, Events events) {
    this(cache, staleIfError, events, null);
  }

  /**
   * Creates the stage with fleet mode's shared cache on Redis as the second level.
   *
   * @param cache the cache
   * @param staleIfError serve expired answers when all else failed
   * @param events event sink
   * @param fleet the shared cache or null
   */
  public CacheStage(ResponseCache cache, boolean staleIfError, Events events, FleetTier fleet) {
    this.fleet = fleet;
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
      events.cacheHit(call, "memory");
      return CompletableFuture.completedFuture(hit.answer().fromCache(false, 0));
    }
    if (fleet == null) return miss(call, key, next, null);
    // Fleet mode: the shared cache on Redis is the second level (docs/semantics.md "Fleet mode")
    return fleet.lookup(key, call).thenCompose(shared -> {
      if (shared != null && shared.fresh()) {
        cache.put(key, shared.answer(), shared.bytes(), shared.ageMs());
        events.cacheHit(call, "redis");
        return CompletableFuture.completedFuture(shared.answer().fromCache(false, 0));
      }
      return miss(call, key, next, shared);
    });
  }

  private CompletableFuture<Answer> miss(Call call, String key, Chain next, FleetTier.Found shared) {
    events.callLevel(Type.CACHE_MISS, call);
    return next.proceed(call).thenApply(answer -> {
      if (answer.fallback() == null && !answer.stale()) {
        store(key, answer); // (in fleet mode the coalesce stage has written the shared entry)
      }
      return answer;
    }).exceptionallyCompose(err -> {
      ModelwireException e = Errors.asModelwire(err);
      boolean canStale = staleIfError && Failures.fallbackReason(e) != null;
      ResponseCache.Entry old = canStale ? cache.getAny(key) : null;
      Answer stale = old != null ? old.answer() : canStale && shared != null ? shared.answer() : null;
      if (stale == null) return CompletableFuture.failedFuture(e);
      events.callLevel(Type.CACHE_STALE, call);
      return CompletableFuture.completedFuture(stale.fromCache(true, e.attempts()));
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
