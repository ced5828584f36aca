package io.modelwire.client.internal.telemetry;

/**
 * What one logical call did, gathered while it runs and read when it settles: the {@code call_end}
 * event and the call span's attributes are both made from it. Shared by every copy of a call (the
 * fallback's, the coalesced flight's). The flags are set by the stages that know them.
 *
 * <pre>{@code CallFacts f = new CallFacts("predict", "fraud-score", null, requestId, true); }</pre>
 */
public final class CallFacts {
  private final String operation;
  private final String model;
  private final String version;
  private final String requestId;
  private final boolean cacheFlags;
  private final long startNanos = System.nanoTime();
  private volatile boolean cached;
  private volatile boolean stale;
  private volatile boolean coalesced;
  private volatile String fallbackTo;
  private volatile String fallbackReason;
  private volatile String servedVersion;
  private volatile int attempts;
  private volatile String errorCode;
  private volatile String breakerState;

  /**
   * Facts of a call that just started.
   *
   * @param operation snake_case operation name
   * @param model the model called (the primary) or null
   * @param version pinned version or null
   * @param requestId request id
   * @param cacheFlags true for predict (cached / stale / coalesced are always reported)
   */
  public CallFacts(String operation, String model, String version, String requestId, boolean cacheFlags) {
    this.operation = operation;
    this.model = model;
    this.version = version;
    this.requestId = requestId;
    this.cacheFlags = cacheFlags;
  }

  /** snake_case operation name. {@code f.operation()} */
  public String operation() {
    return operation;
  }

  /** The primary model or null. {@code f.model()} */
  public String model() {
    return model;
  }

  /** Pinned version or null. {@code f.version()} */
  public String version() {
    return version;
  }

  /** Request id. {@code f.requestId()} */
  public String requestId() {
    return requestId;
  }

  /** Whether cached/stale/coalesced are reported (predict). {@code f.cacheFlags()} */
  public boolean cacheFlags() {
    return cacheFlags;
  }

  /** End-to-end latency so far, in ms. {@code f.latencyMs()} */
  public double latencyMs() {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  /** Served from the cache. {@code f.cached()} */
  public boolean cached() {
    return cached;
  }

  /** Served stale (stale-if-error). {@code f.stale()} */
  public boolean stale() {
    return stale;
  }

  /** Joined an identical call in flight. {@code f.coalesced()} */
  public boolean coalesced() {
    return coalesced;
  }

  /** The backup model answered or was tried, or null. {@code f.fallbackTo()} */
  public String fallbackTo() {
    return fallbackTo;
  }

  /** {@code circuit_open} / {@code retries_exhausted} with {@link #fallbackTo()}. {@code f.fallbackReason()} */
  public String fallbackReason() {
    return fallbackReason;
  }

  /** The X-Model-Version the answer carried, or null. {@code f.servedVersion()} */
  public String servedVersion() {
    return servedVersion;
  }

  /** HTTP attempts of the call (set when it settles). {@code f.attempts()} */
  public int attempts() {
    return attempts;
  }

  /** The error's code, or null when the call succeeded (set when it settles). {@code f.errorCode()} */
  public String errorCode() {
    return errorCode;
  }

  /** {@code ok} or the error's code. {@code f.outcome()} */
  public String outcome() {
    return errorCode == null ? "ok" : errorCode;
  }

  /** The primary's breaker state when the call ended, or null (no breaker). {@code f.breakerState()} */
  public String breakerState() {
    return breakerState;
  }

  /** Marks the call as answered from the cache. {@code f.markCached(false)} @param isStale served stale */
  public void markCached(boolean isStale) {
    cached = true;
    stale = isStale;
  }

  /** Marks the call as a follower of an identical call in flight. {@code f.markCoalesced()} */
  public void markCoalesced() {
    coalesced = true;
  }

  /**
   * Records that the backup was called. {@code f.markFallback("fraud-score-backup", "retries_exhausted")}
   *
   * @param to backup model
   * @param reason why
   */
  public void markFallback(String to, String reason) {
    fallbackTo = to;
    fallbackReason = reason;
  }

  /** Records the served version. {@code f.servedVersion("2")} @param v version or null */
  public void servedVersion(String v) {
    servedVersion = v;
  }

  /**
   * Records how the call settled.
   *
   * @param attemptCount HTTP attempts
   * @param code the error's code, or null for success
   * @param breaker the primary's breaker state ({@code closed}, {@code open}, {@code half-open}) or null
   */
  public void settle(int attemptCount, String code, String breaker) {
    attempts = attemptCount;
    errorCode = code;
    breakerState = breaker;
  }
}
