package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.AbortedException;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.BadRequestException;
import io.modelwire.client.errors.ConflictException;
import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.FieldError;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.NotFoundException;
import io.modelwire.client.errors.PayloadTooLargeException;
import io.modelwire.client.errors.RateLimitException;
import io.modelwire.client.errors.ServerException;
import io.modelwire.client.errors.TimeoutException;
import io.modelwire.client.errors.UnavailableException;
import io.modelwire.client.errors.ValidationException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps HTTP statuses and transport failures to the error kinds of docs/semantics.md.
 *
 * <pre>{@code throw ErrorMapper.fromStatus(503, body, "1", "req-1", traceId, now); }</pre>
 */
public final class ErrorMapper {
  private ErrorMapper() {}

  /**
   * The error for a non-2xx response. A body that is not JSON (or beyond the response limits, so
   * not parsed: {@code json} null) keeps the status's kind and default code.
   *
   * <pre>{@code ErrorMapper.fromStatus(422, limits.parse(body), null, id, trace, now) // ValidationException }</pre>
   *
   * @param status HTTP status
   * @param json the parsed response body, or null
   * @param retryAfter Retry-After header or null
   * @param requestId request id
   * @param traceId trace id
   * @param nowMs clock for HTTP-date Retry-After
   * @return the error
   */
  public static ModelwireException fromStatus(int status, JsonNode json, String retryAfter, String requestId,
      String traceId, long nowMs) {
    String code = null;
    String message = null;
    List<FieldError> fieldErrors = List.of();
    if (json != null && json.isObject()) {
      code = json.path("code").isTextual() ? json.path("code").textValue() : null;
      message = json.path("message").isTextual() ? json.path("message").textValue() : null;
      if (json.path("errors").isArray()) {
        List<FieldError> fe = new ArrayList<>();
        json.path("errors").forEach(e -> fe.add(new FieldError(e.path("field").asText(""), e.path("message").asText(""))));
        fieldErrors = fe;
      }
    }
    Long retryAfterMs = RetryAfter.parseMs(retryAfter, nowMs);
    String text = "HTTP " + status + (message != null ? ": " + message : "");
    ErrorInfo base = ErrorInfo.of(null, text).status(status).ids(requestId, traceId).fieldErrors(fieldErrors)
        .retryAfterMs(retryAfterMs);
    return switch (status) {
      case 400 -> new BadRequestException(withCode(base, code != null ? code : "BAD_REQUEST"));
      case 401 -> new AuthException(withCode(base, "UNAUTHENTICATED"));
      case 403 -> new AuthException(withCode(base, "FORBIDDEN"));
      case 404 -> new NotFoundException(withCode(base, "NOT_FOUND"));
      case 409 -> new ConflictException(withCode(base, "CONFLICT"));
      case 413 -> new PayloadTooLargeException(withCode(base, "PAYLOAD_TOO_LARGE"));
      case 422 -> new ValidationException(withCode(base, "VALIDATION_FAILED"));
      case 429 -> new RateLimitException(withCode(base, "RATE_LIMITED"));
      case 503 -> new UnavailableException(withCode(base, "MODEL_UNAVAILABLE"));
      default -> new ServerException(withCode(base, code != null ? code : "HTTP_" + status));
    };
  }

  /**
   * The error for a transport failure (timeout, connection, abort).
   *
   * <pre>{@code ErrorMapper.fromTransport(new HttpTimeoutException("t"), uri, id, trace, 10_000) }</pre>
   *
   * @param t the failure
   * @param target the URL the attempt went to (named without credentials or query), or null
   * @param requestId request id
   * @param traceId trace id
   * @param timeoutMs the per-attempt timeout in force
   * @return the error
   */
  public static ModelwireException fromTransport(Throwable t, URI target, String requestId, String traceId,
      long timeoutMs) {
    Throwable c = unwrap(t);
    if (c instanceof ModelwireException m) return m;
    ResponseTooLargeException tooLarge = causeOf(c, ResponseTooLargeException.class);
    if (tooLarge != null) return ResponseLimits.tooLarge(tooLarge.maxBytes(), tooLarge.status(), requestId, traceId);
    if (c instanceof HttpTimeoutException) {
      return new TimeoutException(ErrorInfo.of("TIMEOUT",
          "no answer within " + timeoutMs + " ms; raise timeout or check the model's latency")
          .ids(requestId, traceId).cause(c));
    }
    if (c instanceof CancellationException) {
      return new AbortedException(ErrorInfo.of("ABORTED", "the call was aborted by the caller").ids(requestId, traceId));
    }
    String where = target == null ? "" : " to " + RedactedUrl.of(target);
    return new ConnectionException(ErrorInfo.of("CONNECTION_ERROR",
        "connection" + where + " failed: " + ConnectionReason.of(c, target) + " (" + c.getClass().getSimpleName()
            + "); check baseUrl and that the gateway is reachable").ids(requestId, traceId).cause(c));
  }

  /**
   * Strips CompletableFuture wrappers.
   *
   * <pre>{@code ErrorMapper.unwrap(completionException) }</pre>
   *
   * @param t a throwable
   * @return the innermost meaningful cause
   */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // java.net.http may wrap a body subscriber's failure in an IOException of its own
  private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }

  private static ErrorInfo withCode(ErrorInfo i, String code) {
    return new ErrorInfo(code, i.message(), i.httpStatus(), i.requestId(), i.traceId(), i.errors(),
        i.retryAfterMs(), i.attempts(), i.cause());
  }
}
