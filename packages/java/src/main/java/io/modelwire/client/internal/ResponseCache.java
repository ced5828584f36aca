package io.modelwire.client.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.modelwire.client.CacheOptions;
import io.modelwire.client.Scheduler;
import io.modelwire.client.internal.stages.Answer;
import java.time.Duration;

/**
 * The prediction cache: Caffeine bounded by bytes (weigher = byte length of the stored JSON) and,
 * on top, by entry count (Caffeine offers one bound per cache, so the entry bound is enforced by
 * evicting Caffeine's coldest entries). Freshness is checked against the injected clock; when
 * stale-if-error is on, expired entries are kept (until evicted by size) so they can be served.
 *
 * <pre>{@code cache.put(key, prediction, bytes); cache.getFresh(key) }</pre>
 */
public final class ResponseCache {
  /**
   * A stored answer.
   *
   * @param answer the answer
   * @param bytes byte length of its JSON
   * @param storedAt wall-clock store time
   */
  public record Entry(Answer answer, int bytes, long storedAt) {}

  private final Cache<String, Entry> cache;
  private final CacheOptions options;
  private final Scheduler scheduler;

  /**
   * Creates the cache.
   *
   * <pre>{@code new ResponseCache(CacheOptions.defaults(), Scheduler.system()) }</pre>
   *
   * @param options bounds and TTL
   * @param scheduler clock
   */
  public ResponseCache(CacheOptions options, Scheduler scheduler) {
    this.options = options;
    this.scheduler = scheduler;
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .executor(Runnable::run) // maintenance on the caller's thread: deterministic bounds
        .ticker(() -> scheduler.nowMillis() * 1_000_000L)
        .maximumWeight(Math.max(0, options.maxBytes()));
    Caffeine<String, Entry> weighted = b.weigher((String k, Entry e) -> e.bytes());
    if (!options.staleIfError()) weighted.expireAfterWrite(Duration.ofMillis(Math.max(1, options.ttlMs())));
    this.cache = weighted.build();
  }

  /**
   * A fresh entry or null.
   *
   * <pre>{@code Entry e = cache.getFresh(key); }</pre>
   *
   * @param key cache key
   * @return entry within TTL, else null
   */
  public Entry getFresh(String key) {
    Entry e = cache.getIfPresent(key);
    if (e == null || scheduler.nowMillis() - e.storedAt() >= options.ttlMs()) return null;
    return e;
  }

  /**
   * Any entry, fresh or expired (stale-if-error).
   *
   * <pre>{@code Entry e = cache.getAny(key); }</pre>
   *
   * @param key cache key
   * @return entry or null
   */
  public Entry getAny(String key) {
    return cache.getIfPresent(key);
  }

  /**
   * Stores an answer and enforces both bounds.
   *
   * <pre>{@code cache.put(key, answer, 1024) }</pre>
   *
   * @param key cache key
   * @param answer the answer
   * @param bytes its byte size
   */
  public void put(String key, Answer answer, int bytes) {
    put(key, answer, bytes, 0);
  }

  /**
   * Stores an answer that is already {@code ageMs} old (an entry of fleet mode's shared cache).
   *
   * <pre>{@code cache.put(key, answer, 1024, 2500) }</pre>
   *
   * @param key cache key
   * @param answer the answer
   * @param bytes its byte size
   * @param ageMs its age
   */
  public void put(String key, Answer answer, int bytes, long ageMs) {
    if (bytes > options.maxBytes()) return; // larger than the whole budget: never cached
    cache.put(key, new Entry(answer, bytes, scheduler.nowMillis() - Math.max(0, ageMs)));
    if (cache.estimatedSize() > options.maxEntries()) {
      cache.cleanUp();
      long excess = cache.estimatedSize() - options.maxEntries(); // read once: other threads race us
      if (excess > 0) {
        cache.policy().eviction().ifPresent(ev ->
            ev.coldest((int) Math.min(Integer.MAX_VALUE, excess)).keySet().forEach(cache::invalidate));
      }
    }
  }

  /** Entries held (after maintenance). {@code cache.size()} */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Bytes held (after maintenance). {@code cache.weight()} */
  public long weight() {
    cache.cleanUp();
    return cache.policy().eviction().flatMap(ev -> ev.weightedSize().isPresent()
        ? java.util.Optional.of(ev.weightedSize().getAsLong()) : java.util.Optional.empty()).orElse(0L);
  }

  /** Drops everything. {@code cache.clear()} */
  public void clear() {
    cache.invalidateAll();
  }
}
