package io.modelwire.client.internal.fleet;

import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisSortedSetAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link RedisOps} over the application's Lettuce connection (its async API; never closed here).
 *
 * <pre>{@code RedisOps ops = LettuceOps.of(connection); }</pre>
 */
public final class LettuceOps implements RedisOps {
  private final RedisStringAsyncCommands<String, String> strings;
  private final RedisKeyAsyncCommands<String, String> keys;
  private final RedisSortedSetAsyncCommands<String, String> zsets;

  private LettuceOps(Object commands) {
    @SuppressWarnings("unchecked")
    RedisStringAsyncCommands<String, String> s = (RedisStringAsyncCommands<String, String>) commands;
    @SuppressWarnings("unchecked")
    RedisKeyAsyncCommands<String, String> k = (RedisKeyAsyncCommands<String, String>) commands;
    @SuppressWarnings("unchecked")
    RedisSortedSetAsyncCommands<String, String> z = (RedisSortedSetAsyncCommands<String, String>) commands;
    this.strings = s;
    this.keys = k;
    this.zsets = z;
  }

  /**
   * Wraps a single-node or cluster connection.
   *
   * @param connection a StatefulRedisConnection or StatefulRedisClusterConnection (String, String)
   * @return the operations
   */
  public static RedisOps of(StatefulConnection<String, String> connection) {
    if (connection instanceof StatefulRedisConnection<String, String> c) return new LettuceOps(c.async());
    if (connection instanceof StatefulRedisClusterConnection<String, String> c) return new LettuceOps(c.async());
    throw new IllegalArgumentException("fleet.redis: a StatefulRedisConnection or StatefulRedisClusterConnection, got "
        + connection.getClass().getName());
  }

  @Override
  public CompletableFuture<String> get(String key) {
    return strings.get(key).toCompletableFuture();
  }

  @Override
  public CompletableFuture<Void> setPx(String key, String value, long px) {
    return strings.set(key, value, SetArgs.Builder.px(px)).toCompletableFuture().thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Boolean> setNxPx(String key, String value, long px) {
    return strings.set(key, value, SetArgs.Builder.nx().px(px)).toCompletableFuture().thenApply("OK"::equals);
  }

  @Override
  public CompletableFuture<Void> del(String key) {
    return keys.del(key).toCompletableFuture().thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> zaddExpire(String key, double score, String member, long ttlMs) {
    return zsets.zadd(key, score, member).toCompletableFuture()
        .thenCompose(r -> keys.pexpire(key, ttlMs).toCompletableFuture()).thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> zrem(String key, String member) {
    return zsets.zrem(key, member).toCompletableFuture().thenApply(r -> null);
  }

  @Override
  public CompletableFuture<List<String>> zrangeAfter(String key, double since) {
    return zsets.zrangebyscore(key, Range.from(Range.Boundary.excluding(since), Range.Boundary.unbounded()))
        .toCompletableFuture();
  }
}
