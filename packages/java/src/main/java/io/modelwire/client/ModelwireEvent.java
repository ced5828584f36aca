package io.modelwire.client;

/**
 * One observation of the pipeline, for metrics and tracing. Carries no tokens and no bodies.
 *
 * <pre>{@code
 * ModelwireClient.builder().onEvent(e -> {
 *   if (e.type() == ModelwireEvent.Type.RESPONSE) histogram.record(e.latencyMs());
 * })
 * }</pre>
 *
 * @param type what happened
 * @param model model name (null for gateway calls)
 * @param version pinned version or null
 * @param requestId the logical call's id
 * @param attempt attempt number (1-based) or 0
 * @param status HTTP status or null
 * @param latencyMs latency of the attempt or call, or 0
 * @param errorCode error code when the event is about an error, else null
 * @param detail free text (e.g. the backup model, the retry delay)
 */
public record ModelwireEvent(
    Type type, String model, String version, String requestId, int attempt, Integer status,
    double latencyMs, String errorCode, String detail) {

  /** Event types. {@code ModelwireEvent.Type.RETRY} */
  public enum Type {
    /** An attempt is sent. */
    REQUEST,
    /** An attempt ended (status, or errorCode for transport errors). */
    RESPONSE,
    /** A retry is scheduled; detail = delay in ms. */
    RETRY,
    /** A fresh cached answer was served. */
    CACHE_HIT,
    /** No fresh cached answer. */
    CACHE_MISS,
    /** A breaker opened. */
    BREAKER_OPEN,
    /** A breaker went half-open. */
    BREAKER_HALF_OPEN,
    /** A breaker closed. */
    BREAKER_CLOSE,
    /** The backup model was called; detail = backup name. */
    FALLBACK
  }
}
