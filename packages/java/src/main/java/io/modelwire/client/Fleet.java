package io.modelwire.client;

import io.lettuce.core.api.StatefulConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.modelwire.client.internal.OptionRules;

/**
 * Fleet mode's options (docs/semantics.md, "Fleet mode (Redis)"): the shared cache on Redis as the
 * second level, over the application's own Lettuce connection. The SDK never connects, closes or
 * configures that connection. Lettuce ({@code io.lettuce:lettuce-core}) is an optional dependency:
 * only applications that use fleet mode need it.
 *
 * <p>{@code redis} is a {@link StatefulConnection StatefulConnection&lt;String, String&gt;}: a
 * {@code StatefulRedisConnection} ({@code RedisClient.connect()}) or a
 * {@code StatefulRedisClusterConnection} ({@code RedisClusterClient.connect()}); their common
 * supertype, so both single-node Redis and Redis Cluster work (every operation touches one key).
 *
 * <pre>{@code
 * StatefulRedisConnection<String, String> conn = RedisClient.create("redis://cache:6379").connect();
 * ModelwireClient client = ModelwireClient.builder().baseUrl(url)
 *     .fleet(Fleet.builder().redis(conn).prefix("scoring").hmacKey("at least 16 characters!").build())
 *     .build();
 * }</pre>
 */
public final class Fleet {
  private final StatefulConnection<String, String> redis;
  private final String prefix;
  private final Duration opTimeout;
  private final Duration staleWindow;
  private final byte[] hmacKey;
  private final int quorum;
  private final String instanceId;

  private Fleet(Builder b) {
    this.redis = b.redis;
    this.prefix = b.prefix;
    this.opTimeout = b.opTimeout;
    this.staleWindow = b.staleWindow;
    this.hmacKey = b.hmacKey;
    this.quorum = b.quorum;
    this.instanceId = b.instanceId;
  }

  /**
   * A builder. {@code Fleet.builder().redis(conn).build()}
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The application's connection.
   *
   * @return the connection
   */
  public StatefulConnection<String, String> redis() {
    return redis;
  }

  /**
   * Key prefix.
   *
   * @return the key prefix
   */
  public String prefix() {
    return prefix;
  }

  /**
   * Bound of every Redis operation.
   *
   * @return the bound
   */
  public Duration opTimeout() {
    return opTimeout;
  }

  /**
   * How long past its TTL an entry stays in Redis (stale-if-error).
   *
   * @return the window
   */
  public Duration staleWindow() {
    return staleWindow;
  }

  /**
   * The entry authentication key (a copy) or null.
   *
   * @return a copy of the key, or null
   */
  public byte[] hmacKey() {
    return hmacKey == null ? null : hmacKey.clone();
  }

  /**
   * Other instances needed to open a breaker early.
   *
   * @return the quorum
   */
  public int quorum() {
    return quorum;
  }

  /**
   * This client's id in the fleet, or null (a random UUID per client).
   *
   * @return the id, or null
   */
  public String instanceId() {
    return instanceId;
  }

  @Override
  public String toString() { // never shows the HMAC key
    return "Fleet(prefix=" + prefix + ", quorum=" + quorum + ", instanceId=" + instanceId + ")";
  }

  /** Builds {@link Fleet}; {@link #build} checks the values. */
  public static final class Builder {
    private StatefulConnection<String, String> redis;
    private String prefix = "modelwire";
    private Duration opTimeout = Duration.ofMillis(50);
    private Duration staleWindow = Duration.ofMillis(300_000);
    private byte[] hmacKey;
    private int quorum = 3;
    private String instanceId;

    private Builder() {}

    /**
     * The application's Lettuce connection (never closed by the SDK).
     *
     * @param v the connection
     * @return this builder
     */
    public Builder redis(StatefulConnection<String, String> v) {
      this.redis = v;
      return this;
    }

    /**
     * Key prefix (default {@code modelwire}).
     *
     * @param v the prefix
     * @return this builder
     */
    public Builder prefix(String v) {
      this.prefix = v;
      return this;
    }

    /**
     * Bound of every Redis operation (default 50 ms).
     *
     * @param v the bound
     * @return this builder
     */
    public Builder opTimeout(Duration v) {
      this.opTimeout = v;
      return this;
    }

    /**
     * How long past its TTL an entry stays in Redis (default 300 s).
     *
     * @param v the window
     * @return this builder
     */
    public Builder staleWindow(Duration v) {
      this.staleWindow = v;
      return this;
    }

    /**
     * Entry authentication key, at least 16 characters (UTF-8).
     *
     * @param v the key, or null for none
     * @return this builder
     */
    public Builder hmacKey(String v) {
      this.hmacKey = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /**
     * Entry authentication key, at least 16 bytes.
     *
     * @param v the key, or null for none
     * @return this builder
     */
    public Builder hmacKey(byte[] v) {
      this.hmacKey = v == null ? null : v.clone();
      return this;
    }

    /**
     * Other instances needed to open a breaker early (default 3, minimum 2).
     *
     * @param v the quorum
     * @return this builder
     */
    public Builder quorum(int v) {
      this.quorum = v;
      return this;
    }

    /**
     * This client's id in the fleet (default a random UUID).
     *
     * @param v the id, or null for a random UUID
     * @return this builder
     */
    public Builder instanceId(String v) {
      this.instanceId = v;
      return this;
    }

    /**
     * Checks and builds.
     *
     * @return the options
     * @throws io.modelwire.client.errors.InvalidInputException (code INVALID_OPTIONS) on an invalid value
     */
    public Fleet build() {
      OptionRules.required(redis, "fleet.redis", "a Lettuce StatefulConnection<String, String>");
      if (prefix == null || prefix.isEmpty()) throw OptionRules.broken("fleet.prefix", "a non-empty string", prefix);
      OptionRules.positive(opTimeout, "fleet.opTimeout");
      if (staleWindow == null || staleWindow.isNegative()) {
        throw OptionRules.broken("fleet.staleWindow", "a duration >= 0", staleWindow == null ? null : staleWindow.toMillis() + " ms");
      }
      if (hmacKey != null && hmacKey.length < 16) {
        throw OptionRules.broken("fleet.hmacKey", "a string or bytes of at least 16 characters", "(hidden)");
      }
      OptionRules.atLeast(quorum, 2, "fleet.quorum");
      if (instanceId != null && instanceId.isEmpty()) throw OptionRules.broken("fleet.instanceId", "a non-empty string", "\"\"");
      return new Fleet(this);
    }
  }
}
