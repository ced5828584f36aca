package io.modelwire.client.internal.telemetry;

import java.net.URI;
import java.util.function.Supplier;

/**
 * The span of one logical call (kind INTERNAL), or {@link #NONE}. Started where the call starts,
 * ended once when it settles ({@link #end}); its attempt spans are its children.
 *
 * <pre>{@code AttemptSpan a = call.span().startAttempt("POST", target, 1); }</pre>
 */
public interface CallSpan {
  /** No span: nothing records (and nothing is allocated). */
  CallSpan NONE = new CallSpan() {};

  /** The trace id the call carries (of its span), or null: the rule of "Identity" applies. {@code span.traceId()} */
  default String traceId() {
    return null;
  }

  /** The trace flags (2 hex) with {@link #traceId()}. {@code span.traceFlags()} */
  default String traceFlags() {
    return null;
  }

  /**
   * Starts one attempt span (kind CLIENT), child of this span.
   *
   * @param method HTTP method
   * @param url the attempt's URL (redacted before it is recorded)
   * @param attempt the attempt number of the logical call (1-based)
   * @return the attempt span ({@link AttemptSpan#NONE} when nothing records)
   */
  default AttemptSpan startAttempt(String method, URI url, int attempt) {
    return AttemptSpan.NONE;
  }

  /**
   * Runs {@code work} with this span as the active context (calls made inside become its children).
   *
   * @param work the work
   * @param <T> result
   * @return what {@code work} returned
   */
  default <T> T runWithin(Supplier<T> work) {
    return work.get();
  }

  /**
   * Sets the call's attributes and ends the span (once; later calls do nothing).
   *
   * @param facts what the call did
   */
  default void end(CallFacts facts) {}
}
