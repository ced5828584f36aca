package io.modelwire.client.internal.fleet;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis commands fleet mode uses, each touching one key (so Redis Cluster works). The only
 * implementation is {@link LettuceOps}; kept as an interface so no Lettuce class is loaded unless
 * fleet mode is on.
 *
 * <pre>{@code ops.get("modelwire:cache:ab12") }</pre>
 */
public interface RedisOps {
  /** GET. @param key key @return the value or null */
  CompletableFuture<String> get(String key);

  /** SET key value PX px. @param key key @param value value @param px ms @return done */
  CompletableFuture<Void> setPx(String key, String value, long px);

  /** SET key value NX PX px. @param key key @param value value @param px ms @return true when set */
  CompletableFuture<Boolean> setNxPx(String key, String value, long px);

  /** DEL. @param key key @return done */
  CompletableFuture<Void> del(String key);

  /** ZADD key score member, then PEXPIRE key ttl. @param key key @param score score @param member member @param ttlMs ttl @return done */
  CompletableFuture<Void> zaddExpire(String key, double score, String member, long ttlMs);

  /** ZREM. @param key key @param member member @return done */
  CompletableFuture<Void> zrem(String key, String member);

  /** ZRANGEBYSCORE key (since +inf. @param key key @param since exclusive lower bound @return members */
  CompletableFuture<List<String>> zrangeAfter(String key, double since);
}
