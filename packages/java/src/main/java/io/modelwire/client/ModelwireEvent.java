package io.modelwire.client;

/**
 * One observation of the pipeline, for metrics and tracing (docs/semantics.md, "Events"). Carries
 * no tokens, headers or bodies. Fields that do not apply to a type are null (numbers: 0).
 *
 * <pre>{@code
 * ModelwireClient.builder().onEvent(e -> {
 *   if (e.type() == ModelwireEvent.Type.RESPONSE) histogram.record(e.latencyMs());
 * })
 * }</pre>
 *
 * @param type what happened
 * @param model the model the event is about (the backup's name on its attempts), null for gateway calls
 * @param version pinned version or null
 * @param requestId the logical call's id (null on breaker events)
 * @param attempt HTTP attempt number of the logical call (1-based), or 0
 * @param method HTTP method (request, response) or null
 * @param path operation path below the base URL (request, response) or null
 * @param status HTTP status (response) or null
 * @param latencyMs latency of the attempt (response, request_error), end to end (call_end), or 0
 * @param errorCode {@code TIMEOUT}/{@code CONNECTION_ERROR}/{@code ABORTED} (request_error), the failed
 *     attempt's code (retry), else null
 * @param delayMs wait before the next attempt (retry), or 0
 * @param to the backup model (fallback) or null
 * @param reason {@code circuit_open} or {@code retries_exhausted} (fallback) or null
 * @param operation snake_case operation name ({@code predict}, {@code health}, …) (call_end) or null
 * @param outcome {@code ok} or the error's code (call_end) or null
 * @param attempts HTTP attempts of the logical call (call_end), or 0
 * @param cached the call was answered from the cache (call_end)
 * @param coalesced the call joined an identical call in flight (call_end)
 * @param fallback the backup model that answered or was tried (call_end) or null
 * @param tier {@code memory} or {@code redis} (cache_hit; coalesced in fleet mode) or null
 * @param fleet true on a {@code breaker_open} caused by the fleet's breaker hints (a quorum), else false
 */
public record ModelwireEvent(
    Type type, String model, String version, String requestId, int attempt, String method, String path,
    Integer status, double latencyMs, String errorCode, long delayMs, String to, String reason,
    String operation, String outcome, int attempts, boolean cached, boolean coalesced, String fallback,
    String tier, boolean fleet) {

  /**
   * An event without {@code fleet}.
   *
   * @param type type
   * @param model model
   * @param version version
   * @param requestId request id
   * @param attempt attempt
   * @param method method
   * @param path path
   * @param status status
   * @param latencyMs latency
   * @param errorCode error code
   * @param delayMs delay
   * @param to backup
   * @param reason reason
   * @param operation operation
   * @param outcome outcome
   * @param attempts attempts
   * @param cached cached
   * @param coalesced coalesced
   * @param fallback fallback
   * @param tier tier
   */
  public ModelwireEvent(Type type, String model, String version, String requestId, int attempt, String method,
      String path, Integer status, double latencyMs, String errorCode, long delayMs, String to, String reason,
      String operation, String outcome, int attempts, boolean cached, boolean coalesced, String fallback,
      String tier) {
    this(type, model, version, requestId, attempt, method, path, status, latencyMs, errorCode, delayMs, to, reason,
        operation, outcome, attempts, cached, coalesced, fallback, tier, false);
  }

  /**
   * An event without {@code tier} (the shape before fleet mode existed).
   *
   * @param type type
   * @param model model
   * @param version version
   * @param requestId request id
   * @param attempt attempt
   * @param method method
   * @param path path
   * @param status status
   * @param latencyMs latency
   * @param errorCode error code
   * @param delayMs delay
   * @param to backup
   * @param reason reason
   * @param operation operation
   * @param outcome outcome
   * @param attempts attempts
   * @param cached cached
   * @param coalesced coalesced
   * @param fallback fallback
   */
  public ModelwireEvent(Type type, String model, String version, String requestId, int attempt, String method,
      String path, Integer status, double latencyMs, String errorCode, long delayMs, String to, String reason,
      String operation, String outcome, int attempts, boolean cached, boolean coalesced, String fallback) {
    this(type, model, version, requestId, attempt, method, path, status, latencyMs, errorCode, delayMs, to, reason,
        operation, outcome, attempts, cached, coalesced, fallback, null);
  }

  /**
   * An event without the call_end fields (the shape before {@code call_end} existed).
   *
   * <pre>{@code new ModelwireEvent(Type.RETRY, "m", null, "id", 1, null, null, null, 0, "TIMEOUT", 50, null, null) }</pre>
   *
   * @param type type
   * @param model model
   * @param version version
   * @param requestId request id
   * @param attempt attempt
   * @param method method
   * @param path path
   * @param status status
   * @param latencyMs latency
   * @param errorCode error code
   * @param delayMs delay
   * @param to backup
   * @param reason reason
   */
  public ModelwireEvent(Type type, String model, String version, String requestId, int attempt, String method,
      String path, Integer status, double latencyMs, String errorCode, long delayMs, String to, String reason) {
    this(type, model, version, requestId, attempt, method, path, status, latencyMs, errorCode, delayMs, to, reason,
        null, null, 0, false, false, null, null);
  }

  /** Event types, in the words of docs/semantics.md. {@code ModelwireEvent.Type.RETRY} */
  public enum Type {
    /** A predict call was answered from a fresh cached entry. */
    CACHE_HIT,
    /** A predict call with the cache on found no fresh entry. */
    CACHE_MISS,
    /** A predict call joined an identical call already in flight. */
    COALESCED,
    /** An HTTP attempt is about to be sent (the breaker let it through). */
    REQUEST,
    /** An attempt got an HTTP answer (any status, also a malformed 2xx body). */
    RESPONSE,
    /** An attempt ended without an HTTP answer (TIMEOUT, CONNECTION_ERROR or ABORTED). */
    REQUEST_ERROR,
    /** A breaker opened. */
    BREAKER_OPEN,
    /** A breaker admitted its half-open trial. */
    BREAKER_HALF_OPEN,
    /** A breaker closed. */
    BREAKER_CLOSE,
    /** A failed attempt will be retried after {@code delayMs}. */
    RETRY,
    /** The primary failed and the backup {@code to} is about to be called. */
    FALLBACK,
    /** An expired cached entry is served (stale-if-error). */
    CACHE_STALE,
    /** The logical call settled: always its last event ({@code operation}, {@code outcome}, {@code latencyMs} end to end, {@code attempts}, …). */
    CALL_END,
    /** Fleet mode lost Redis: local-only for 5 s after 3 consecutive failures ({@code reason}). */
    FLEET_UNAVAILABLE,
    /** Fleet mode's first Redis success after {@code FLEET_UNAVAILABLE}. */
    FLEET_AVAILABLE,
    /** A shared entry failed authentication ({@code reason}: {@code bad_mac}) and was ignored. */
    FLEET_ENTRY_REJECTED
  }
}
