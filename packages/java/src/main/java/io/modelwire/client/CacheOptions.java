package io.modelwire.client;

/**
 * Cache choices; defaults from {@code x-modelwire-policy.cache}.
 *
 * <pre>{@code CacheOptions.defaults().withStaleIfError(true) }</pre>
 *
 * @param enabled false disables cache and coalescing
 * @param ttlMs freshness
 * @param maxEntries entry bound
 * @param maxBytes byte bound (size = byte length of the stored JSON)
 * @param staleIfError serve an expired answer when the primary and the backup failed
 * @param scope explicit cache scope (null: derived from the credential)
 */
public record CacheOptions(boolean enabled, long ttlMs, long maxEntries, long maxBytes, boolean staleIfError, String scope) {
  /**
   * The contract's defaults. {@code CacheOptions.defaults()}
   *
   * @return the default cache options
   */
  public static CacheOptions defaults() {
    DefaultPolicy p = DefaultPolicy.get();
    return new CacheOptions(true, p.cacheTtlMs(), p.cacheMaxEntries(), p.cacheMaxBytes(), p.cacheStaleIfError(), null);
  }

  /**
   * Disabled cache. {@code CacheOptions.disabled()}
   *
   * @return cache options with the cache off
   */
  public static CacheOptions disabled() {
    return defaults().withEnabled(false);
  }

  /**
   * Copy with enabled flag. {@code .withEnabled(false)}
   *
   * @param v false turns the cache and coalescing off
   * @return the copy
   */
  public CacheOptions withEnabled(boolean v) {
    return new CacheOptions(v, ttlMs, maxEntries, maxBytes, staleIfError, scope);
  }

  /**
   * Copy with stale-if-error. {@code .withStaleIfError(true)}
   *
   * @param v true serves an expired answer when the primary and the backup failed
   * @return the copy
   */
  public CacheOptions withStaleIfError(boolean v) {
    return new CacheOptions(enabled, ttlMs, maxEntries, maxBytes, v, scope);
  }

  /**
   * Copy with bounds. {@code .withBounds(30_000, 100, 1 << 20)}
   *
   * @param ttl freshness in milliseconds
   * @param entries entry bound
   * @param bytes byte bound
   * @return the copy
   */
  public CacheOptions withBounds(long ttl, long entries, long bytes) {
    return new CacheOptions(enabled, ttl, entries, bytes, staleIfError, scope);
  }

  /**
   * Copy with an explicit scope. {@code .withScope("tenant-a")}
   *
   * @param v the cache scope, or null to derive it from the credential
   * @return the copy
   */
  public CacheOptions withScope(String v) {
    return new CacheOptions(enabled, ttlMs, maxEntries, maxBytes, staleIfError, v);
  }
}
