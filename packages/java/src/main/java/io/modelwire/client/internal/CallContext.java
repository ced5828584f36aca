package io.modelwire.client.internal;

import io.modelwire.client.AbortSignal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Identity and limits of one logical call: request id, trace id, deadline, per-attempt timeout,
 * abort signal, and the attempt counter shared by the primary and the fallback.
 *
 * <pre>{@code new CallContext("req-1", traceId, "01", deadlineAt, 10_000, signal) }</pre>
 */
public final class CallContext {
  final String requestId;
  final String traceId;
  final String traceFlags;
  final long deadlineAt;
  final long timeoutMs;
  final AbortSignal signal;
  final AtomicInteger attempts;
  final java.util.concurrent.atomic.AtomicReference<String> prefetchedToken;

  /**
   * Creates the context.
   *
   * <pre>{@code new CallContext(id, trace, "01", now + 30_000, 10_000, new AbortSignal()) }</pre>
   *
   * @param requestId request id (body and X-Request-Id)
   * @param traceId 32-hex trace id
   * @param traceFlags 2-hex flags
   * @param deadlineAt wall-clock deadline
   * @param timeoutMs per-attempt timeout
   * @param signal abort signal (never null)
   */
  public CallContext(String requestId, String traceId, String traceFlags, long deadlineAt, long timeoutMs, AbortSignal signal) {
    this(requestId, traceId, traceFlags, deadlineAt, timeoutMs, signal, new AtomicInteger(),
        new java.util.concurrent.atomic.AtomicReference<>());
  }

  private CallContext(String requestId, String traceId, String traceFlags, long deadlineAt, long timeoutMs,
      AbortSignal signal, AtomicInteger attempts, java.util.concurrent.atomic.AtomicReference<String> prefetchedToken) {
    this.prefetchedToken = prefetchedToken;
    this.requestId = requestId;
    this.traceId = traceId;
    this.traceFlags = traceFlags;
    this.deadlineAt = deadlineAt;
    this.timeoutMs = timeoutMs;
    this.signal = signal;
    this.attempts = attempts;
  }

  /**
   * The same call driven by another signal (the coalesced flight's own).
   *
   * <pre>{@code ctx.withSignal(flightSignal) }</pre>
   *
   * @param s the signal
   * @return a context sharing everything else
   */
  public CallContext withSignal(AbortSignal s) {
    return new CallContext(requestId, traceId, traceFlags, deadlineAt, timeoutMs, s, attempts, prefetchedToken);
  }

  /** The request id. {@code ctx.requestId()} */
  public String requestId() {
    return requestId;
  }

  /** The trace id. {@code ctx.traceId()} */
  public String traceId() {
    return traceId;
  }

  /** Attempts made so far. {@code ctx.attempts()} */
  public int attempts() {
    return attempts.get();
  }
}
