package io.modelwire.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.generated.model.Job;

/**
 * The {@code tamper} step of a conformance scenario: tries to change a result the client returned
 * (label overwritten, a field added) through its public type, ignoring any refusal — results are
 * read-only or the caller's own copy (docs/semantics.md, "Results are read-only").
 *
 * <pre>{@code Tamper.attempt(prediction); }</pre>
 */
final class Tamper {
  private Tamper() {}

  static void attempt(Object returned) {
    try {
      if (returned instanceof Prediction p && p.result() instanceof ObjectNode r) {
        r.put("label", "TAMPERED");
        r.put("injected", true);
      } else if (returned instanceof Job j && j.getResult() != null) {
        j.getResult().setLabel("TAMPERED");
        j.getResult().putAdditionalProperty("injected", true);
      } else if (returned == null) {
        throw new IllegalStateException("tamper: nothing was saved under that name");
      }
    } catch (UnsupportedOperationException refused) {
      // read-only: the change was refused, which is what the scenario allows
    }
  }
}
