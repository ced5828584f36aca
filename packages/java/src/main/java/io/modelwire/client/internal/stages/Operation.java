package io.modelwire.client.internal.stages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * One operation of the contract as the pipeline sends it: which stages it gets ({@link Kind}), its
 * method, and its path and body for a given model (the fallback stage swaps the model).
 *
 * <pre>{@code new Operation(Operation.Kind.READ, "GET", m -> "/models/" + m + "/info", call -> null) }</pre>
 *
 * @param kind which pipeline runs it (see {@link Pipelines})
 * @param method HTTP method
 * @param path model (may be null) → path below the base URL, starting with "/"
 * @param body the call (its model and version) → JSON body, or null for none
 */
public record Operation(Kind kind, String method, Function<String, String> path, Function<Call, ObjectNode> body) {
  /** The operation kinds, each with its own stage list in {@link Pipelines}. {@code Operation.Kind.PREDICT} */
  public enum Kind {
    /** Predictions: every stage. */
    PREDICT,
    /** Job submission: retry, breaker, timeout. */
    SUBMIT_JOB,
    /** Idempotent reads (GET): retry, timeout. */
    READ,
    /** Other writes (feedback, cancel): retry, timeout. */
    WRITE
  }
}
