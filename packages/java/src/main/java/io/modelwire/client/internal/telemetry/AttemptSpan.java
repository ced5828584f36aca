package io.modelwire.client.internal.telemetry;

import java.util.function.Supplier;

/**
 * The span of one HTTP attempt (kind CLIENT, HTTP client semantic conventions), or {@link #NONE}.
 * Its context is the wire {@code traceparent}; the transport runs inside it with the HTTP library's
 * own OpenTelemetry instrumentation suppressed ({@link #runWithin}).
 *
 * <pre>{@code String tp = span.traceparent(); // null: a random span id per attempt, as without OpenTelemetry }</pre>
 */
public interface AttemptSpan {
  /** No span. */
  AttemptSpan NONE = new AttemptSpan() {};

  /** The wire traceparent {@code 00-<trace>-<span>-<flags>} of this span, or null (no span of its own). {@code span.traceparent()} */
  default String traceparent() {
    return null;
  }

  /**
   * Runs the transport inside this span's context, with the HTTP library's instrumentation suppressed.
   *
   * @param send starts the exchange
   * @param <T> result
   * @return what {@code send} returned
   */
  default <T> T runWithin(Supplier<T> send) {
    return send.get();
  }

  /**
   * Ends the span (once).
   *
   * @param status the HTTP status when an answer came, else null
   * @param errorType the attempt's {@code error.type} ({@code "503"}, {@code TIMEOUT}, …), or null when it succeeded
   */
  default void end(Integer status, String errorType) {}
}
