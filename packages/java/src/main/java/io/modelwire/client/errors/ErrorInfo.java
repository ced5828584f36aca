package io.modelwire.client.errors;

import java.util.List;

/**
 * The facts an error carries; a small immutable builder so every exception is built the same way.
 *
 * <pre>{@code
 * ErrorInfo.of("RATE_LIMITED", "too many requests").status(429).retryAfterMs(1000L)
 * }</pre>
 *
 * @param code stable code
 * @param message human message, never with secrets or bodies
 * @param httpStatus HTTP status or null
 * @param requestId request id or null
 * @param traceId trace id or null
 * @param errors field errors
 * @param retryAfterMs Retry-After in ms or null
 * @param attempts attempts made
 * @param cause underlying cause or null
 */
public record ErrorInfo(
    String code,
    String message,
    Integer httpStatus,
    String requestId,
    String traceId,
    List<FieldError> errors,
    Long retryAfterMs,
    int attempts,
    Throwable cause) {

  /**
   * Starts an info with a code and a message.
   *
   * <pre>{@code ErrorInfo.of("TIMEOUT", "no answer within 10000 ms") }</pre>
   *
   * @param code stable code
   * @param message human message
   * @return the info
   */
  public static ErrorInfo of(String code, String message) {
    return new ErrorInfo(code, message, null, null, null, List.of(), null, 0, null);
  }

  /**
   * Returns a copy with the HTTP status. {@code info.status(503)}
   *
   * @param s the HTTP status, or null
   * @return the copy
   */
  public ErrorInfo status(Integer s) {
    return new ErrorInfo(code, message, s, requestId, traceId, errors, retryAfterMs, attempts, cause);
  }

  /**
   * Returns a copy with request and trace ids. {@code info.ids("req-1", "4bf9…")}
   *
   * @param req the request id
   * @param trace the trace id
   * @return the copy
   */
  public ErrorInfo ids(String req, String trace) {
    return new ErrorInfo(code, message, httpStatus, req, trace, errors, retryAfterMs, attempts, cause);
  }

  /**
   * Returns a copy with field errors. {@code info.fieldErrors(List.of(new FieldError("/a", "bad")))}
   *
   * @param e the field errors
   * @return the copy
   */
  public ErrorInfo fieldErrors(List<FieldError> e) {
    return new ErrorInfo(code, message, httpStatus, requestId, traceId, e, retryAfterMs, attempts, cause);
  }

  /**
   * Returns a copy with the Retry-After wait. {@code info.retryAfterMs(1000L)}
   *
   * @param ms the wait in milliseconds, or null
   * @return the copy
   */
  public ErrorInfo retryAfterMs(Long ms) {
    return new ErrorInfo(code, message, httpStatus, requestId, traceId, errors, ms, attempts, cause);
  }

  /**
   * Returns a copy with the attempt count. {@code info.attempts(3)}
   *
   * @param n the attempt count
   * @return the copy
   */
  public ErrorInfo attempts(int n) {
    return new ErrorInfo(code, message, httpStatus, requestId, traceId, errors, retryAfterMs, n, cause);
  }

  /**
   * Returns a copy with a cause. {@code info.cause(ioException)}
   *
   * @param c the cause
   * @return the copy
   */
  public ErrorInfo cause(Throwable c) {
    return new ErrorInfo(code, message, httpStatus, requestId, traceId, errors, retryAfterMs, attempts, c);
  }
}
