package io.modelwire.client.internal.stages;

import io.modelwire.client.AbortSignal;
import io.modelwire.client.internal.telemetry.CallFacts;
import io.modelwire.client.internal.telemetry.CallSpan;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One logical call as the stages see it: identity (request id, trace), limits (deadline, per-attempt
 * timeout), the caller's abort signal, the operation and its target model. Immutable: a stage that
 * changes something (the fallback's model, the coalesced flight's signal, the attempt's timeout)
 * passes a copy on. The attempt counter and the prefetched token are shared by all copies.
 *
 * <pre>{@code Call call = Call.start(op, "fraud-score", null, ids, deadlineAt, 10_000, signal); }</pre>
 */
public final class Call {
  /** Request id, trace id and trace flags of a call. @param requestId id @param traceId 32 hex @param traceFlags 2 hex */
  public record Ids(String requestId, String traceId, String traceFlags) {}

  private final Operation op;
  private final Ids ids;
  private final String model;
  private final String version;
  private final String idempotencyKey;
  private final String cacheKey;
  private final long deadlineAt;
  private final long timeoutMs;
  private final long attemptTimeoutMs;
  private final AbortSignal signal;
  private final AtomicInteger attempts;
  private final AtomicReference<String> prefetchedToken;
  private final CallFacts facts;
  private final CallSpan span;

  private Call(Operation op, Ids ids, String model, String version, String idempotencyKey, String cacheKey,
      long deadlineAt, long timeoutMs, long attemptTimeoutMs, AbortSignal signal, AtomicInteger attempts,
      AtomicReference<String> prefetchedToken, CallFacts facts, CallSpan span) {
    this.op = op;
    this.ids = ids;
    this.model = model;
    this.version = version;
    this.idempotencyKey = idempotencyKey;
    this.cacheKey = cacheKey;
    this.deadlineAt = deadlineAt;
    this.timeoutMs = timeoutMs;
    this.attemptTimeoutMs = attemptTimeoutMs;
    this.signal = signal;
    this.attempts = attempts;
    this.prefetchedToken = prefetchedToken;
    this.facts = facts;
    this.span = span;
  }

  /**
   * A new logical call.
   *
   * <pre>{@code Call.start(ids, deadlineAt, 10_000, signal) }</pre>
   *
   * @param ids request id and trace
   * @param deadlineAt wall-clock deadline (scheduler ms)
   * @param timeoutMs per-attempt timeout
   * @param signal abort signal (never null)
   * @return a call without an operation yet ({@link #with})
   */
  public static Call start(Ids ids, long deadlineAt, long timeoutMs, AbortSignal signal) {
    return start(ids, deadlineAt, timeoutMs, signal, null, CallSpan.NONE);
  }

  /**
   * A new logical call with its telemetry.
   *
   * <pre>{@code Call.start(ids, deadlineAt, 10_000, signal, facts, span) }</pre>
   *
   * @param ids request id and trace
   * @param deadlineAt wall-clock deadline (scheduler ms)
   * @param timeoutMs per-attempt timeout
   * @param signal abort signal (never null)
   * @param facts what the call does, gathered for call_end and the call span (null: not recorded)
   * @param span the call span ({@link CallSpan#NONE} when nothing records)
   * @return a call without an operation yet ({@link #with})
   */
  public static Call start(Ids ids, long deadlineAt, long timeoutMs, AbortSignal signal, CallFacts facts,
      CallSpan span) {
    return new Call(null, ids, null, null, null, null, deadlineAt, timeoutMs, timeoutMs, signal, new AtomicInteger(),
        new AtomicReference<>(), facts, span);
  }

  /**
   * This call running {@code op} against {@code model}.
   *
   * <pre>{@code call.with(op, "fraud-score", "2", UUID.randomUUID().toString(), cacheKey) }</pre>
   *
   * @param op the operation
   * @param model target model or null (gateway operations)
   * @param version pinned version or null
   * @param idempotencyKey Idempotency-Key (same on every retry) or null
   * @param cacheKey cache/coalescing key, or null when the call is not cached
   * @return the copy
   */
  public Call with(Operation op, String model, String version, String idempotencyKey, String cacheKey) {
    return new Call(op, ids, model, version, idempotencyKey, cacheKey, deadlineAt, timeoutMs, attemptTimeoutMs, signal,
        attempts, prefetchedToken, facts, span);
  }

  Call withSignal(AbortSignal s) {
    return new Call(op, ids, model, version, idempotencyKey, cacheKey, deadlineAt, timeoutMs, attemptTimeoutMs, s,
        attempts, prefetchedToken, facts, span);
  }

  Call withAttemptTimeout(long ms) {
    return new Call(op, ids, model, version, idempotencyKey, cacheKey, deadlineAt, timeoutMs, ms, signal, attempts,
        prefetchedToken, facts, span);
  }

  /** The operation. {@code call.op().kind()} */
  public Operation op() {
    return op;
  }

  /** Request id and trace. {@code call.ids().requestId()} */
  public Ids ids() {
    return ids;
  }

  /** Request id. {@code call.requestId()} */
  public String requestId() {
    return ids.requestId();
  }

  /** Trace id. {@code call.traceId()} */
  public String traceId() {
    return ids.traceId();
  }

  /** Target model or null. {@code call.model()} */
  public String model() {
    return model;
  }

  /** Pinned version or null. {@code call.version()} */
  public String version() {
    return version;
  }

  /** Idempotency-Key or null. {@code call.idempotencyKey()} */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** Cache key or null. {@code call.cacheKey()} */
  public String cacheKey() {
    return cacheKey;
  }

  /** Wall-clock deadline. {@code call.deadlineAt()} */
  public long deadlineAt() {
    return deadlineAt;
  }

  /** The configured per-attempt timeout. {@code call.timeoutMs()} */
  public long timeoutMs() {
    return timeoutMs;
  }

  /** This attempt's timeout (the timeout stage cuts it to the deadline). {@code call.attemptTimeoutMs()} */
  public long attemptTimeoutMs() {
    return attemptTimeoutMs;
  }

  /** The abort signal in force. {@code call.signal().isAborted()} */
  public AbortSignal signal() {
    return signal;
  }

  /** What the call does (call_end, call span), or null when not recorded. {@code call.facts()} */
  public CallFacts facts() {
    return facts;
  }

  /** The call span. {@code call.span().startAttempt("POST", url, 1)} */
  public CallSpan span() {
    return span;
  }

  /** HTTP attempts made so far by the logical call. {@code call.attempts()} */
  public int attempts() {
    return attempts.get();
  }

  int nextAttempt() {
    return attempts.incrementAndGet();
  }

  /**
   * Hands the token obtained for the cache scope to the first attempt, so a provider is asked once.
   *
   * <pre>{@code call.prefetch(token) }</pre>
   *
   * @param token the token (may be null)
   */
  public void prefetch(String token) {
    prefetchedToken.set(token);
  }

  String takePrefetchedToken() {
    return prefetchedToken.getAndSet(null);
  }
}
