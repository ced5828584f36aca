package io.modelwire.client;

import java.time.Duration;
import java.util.Map;

/**
 * Per-call options; every field is optional.
 *
 * <pre>{@code
 * client.predict("fraud-score", data, CallOptions.builder()
 *     .version("2").requestId("order-42").cache(false).timeout(Duration.ofSeconds(2)).build());
 * }</pre>
 *
 * @param version pin a model version (sent as {@code X-Model-Version}; part of the cache key)
 * @param requestId the logical call's id (default: a new UUID v4)
 * @param meta extra {@code meta} fields for the request body
 * @param cache false skips the cache and coalescing for this call
 * @param signal abort signal
 * @param timeout per-attempt timeout override
 * @param deadline total deadline override
 * @param traceparent W3C traceparent to continue
 * @param callbackUrl submitJob only: where the gateway posts the finished job
 */
public record CallOptions(
    String version,
    String requestId,
    Map<String, Object> meta,
    Boolean cache,
    AbortSignal signal,
    Duration timeout,
    Duration deadline,
    String traceparent,
    String callbackUrl) {

  /** No options. {@code CallOptions.NONE} */
  public static final CallOptions NONE = builder().build();

  /**
   * Starts a builder. {@code CallOptions.builder().version("2").build()}
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link CallOptions}. {@code CallOptions.builder().cache(false).build()} */
  public static final class Builder {
    private String version;
    private String requestId;
    private Map<String, Object> meta;
    private Boolean cache;
    private AbortSignal signal;
    private Duration timeout;
    private Duration deadline;
    private String traceparent;
    private String callbackUrl;

    private Builder() {}

    /**
     * Pins a version. {@code .version("2")}
     *
     * @param v the version, or null for the model's default
     * @return this builder
     */
    public Builder version(String v) {
      this.version = v;
      return this;
    }

    /**
     * Sets the request id. {@code .requestId("order-42")}
     *
     * @param v the request id (1 to 128 visible ASCII characters)
     * @return this builder
     */
    public Builder requestId(String v) {
      this.requestId = v;
      return this;
    }

    /**
     * Adds body meta. {@code .meta(Map.of("tenant", "eu"))}
     *
     * @param v the fields
     * @return this builder
     */
    public Builder meta(Map<String, Object> v) {
      this.meta = v;
      return this;
    }

    /**
     * Enables/disables cache and coalescing for this call. {@code .cache(false)}
     *
     * @param v false skips the cache and coalescing
     * @return this builder
     */
    public Builder cache(boolean v) {
      this.cache = v;
      return this;
    }

    /**
     * Sets the abort signal. {@code .signal(signal)}
     *
     * @param v the signal
     * @return this builder
     */
    public Builder signal(AbortSignal v) {
      this.signal = v;
      return this;
    }

    /**
     * Per-attempt timeout. {@code .timeout(Duration.ofSeconds(2))}
     *
     * @param v the timeout
     * @return this builder
     */
    public Builder timeout(Duration v) {
      this.timeout = v;
      return this;
    }

    /**
     * Total deadline. {@code .deadline(Duration.ofSeconds(5))}
     *
     * @param v the deadline
     * @return this builder
     */
    public Builder deadline(Duration v) {
      this.deadline = v;
      return this;
    }

    /**
     * Continues a trace. {@code .traceparent("00-…-…-01")}
     *
     * @param v a W3C traceparent header value
     * @return this builder
     */
    public Builder traceparent(String v) {
      this.traceparent = v;
      return this;
    }

    /**
     * submitJob callback. {@code .callbackUrl("https://orders.example/hooks")}
     *
     * @param v the callback URL
     * @return this builder
     */
    public Builder callbackUrl(String v) {
      this.callbackUrl = v;
      return this;
    }

    /**
     * Builds. {@code .build()}
     *
     * @return the options
     */
    public CallOptions build() {
      return new CallOptions(version, requestId, meta, cache, signal, timeout, deadline, traceparent, callbackUrl);
    }
  }
}
