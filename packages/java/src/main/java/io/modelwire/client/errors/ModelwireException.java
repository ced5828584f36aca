package io.modelwire.client.errors;

import java.util.List;

/**
 * Base of every error the modelwire client throws. Catch this to handle all of them, or a subclass
 * ({@link RateLimitException}, {@link UnavailableException}, …) for one kind.
 *
 * <pre>{@code
 * try {
 *   client.predict("fraud-score", data);
 * } catch (ValidationException e) {
 *   e.errors().forEach(fe -> log.warn("{}: {}", fe.field(), fe.message()));
 * } catch (ModelwireException e) {
 *   log.warn("{} (HTTP {}, request {})", e.code(), e.httpStatus(), e.requestId());
 * }
 * }</pre>
 *
 * <p>Messages never contain tokens or request bodies.
 */
public class ModelwireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The stable code. */
  private final String code;
  /** The HTTP status, or null. */
  private final Integer httpStatus;
  /** The logical call's request id. */
  private final String requestId;
  /** The logical call's trace id. */
  private final String traceId;
  /** Field errors (422). */
  private final List<FieldError> errors;
  /** The server's Retry-After in milliseconds, or null. */
  private volatile Long retryAfterMs;
  /** HTTP attempts made. */
  private volatile int attempts;

  /**
   * Creates an error; subclasses fix the kind.
   *
   * <pre>{@code new ModelwireException(ErrorInfo.of("HTTP_418", "teapot").status(418)) }</pre>
   *
   * @param info what went wrong
   */
  public ModelwireException(ErrorInfo info) {
    super(info.message(), info.cause());
    this.code = info.code();
    this.httpStatus = info.httpStatus();
    this.requestId = info.requestId();
    this.traceId = info.traceId();
    this.errors = info.errors() == null ? List.of() : List.copyOf(info.errors());
    this.retryAfterMs = info.retryAfterMs();
    this.attempts = info.attempts();
  }

  /**
   * Stable machine-readable code, e.g. {@code "RATE_LIMITED"}; see docs/semantics.md.
   *
   * @return the code
   */
  public String code() {
    return code;
  }

  /**
   * HTTP status of the response that caused this error, or {@code null} when there was none.
   *
   * @return the status, or null
   */
  public Integer httpStatus() {
    return httpStatus;
  }

  /**
   * The {@code request_id} of the logical call (identical on retries and fallback).
   *
   * @return the request id
   */
  public String requestId() {
    return requestId;
  }

  /**
   * The W3C trace id (32 hex) of the logical call.
   *
   * @return the trace id
   */
  public String traceId() {
    return traceId;
  }

  /**
   * Field errors from a 422 response ({@code [{field, message}]}); empty otherwise.
   *
   * @return the field errors
   */
  public List<FieldError> errors() {
    return errors;
  }

  /**
   * The server's {@code Retry-After} in milliseconds when it sent one, else {@code null}.
   *
   * @return the wait in milliseconds, or null
   */
  public Long retryAfterMs() {
    return retryAfterMs;
  }

  /**
   * How many HTTP attempts the call made before failing (0 when it failed before sending).
   *
   * @return the attempt count
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Records the number of attempts; used by the pipeline when the error leaves the retry loop.
   *
   * <pre>{@code err.withAttempts(3) }</pre>
   *
   * @param count attempts made
   * @return this error
   */
  public ModelwireException withAttempts(int count) {
    this.attempts = count;
    return this;
  }

  /**
   * Records the server's wait hint; used by the pipeline when it gives up on a long Retry-After.
   *
   * <pre>{@code err.withRetryAfterMs(60_000L) }</pre>
   *
   * @param ms wait in milliseconds
   * @return this error
   */
  public ModelwireException withRetryAfterMs(Long ms) {
    this.retryAfterMs = ms;
    return this;
  }
}
