package io.modelwire.client;

import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.OptionRules;

/**
 * Ground truth for a past prediction, the typed input of {@link ModelwireClient#feedback(String, Feedback)}.
 * Immutable: each setter returns a new instance, so one value can be a template for several calls.
 * Checked when built (docs/semantics.md, "What the SDKs check before sending"), so a bad value
 * throws {@link InvalidInputException} at the line that wrote it and nothing is sent:
 * {@code requestId} must match the contract's {@code ^[!-~]{1,128}$} (code {@code INVALID_OPTIONS},
 * as a call's request id), {@code score} must be finite and {@code comment} at most 2000 characters
 * (code {@code INVALID_INPUT}).
 *
 * <pre>{@code
 * Prediction p = client.predict("fraud-score", data);
 * FeedbackReceipt r = client.feedback("fraud-score",
 *     Feedback.of(p.requestId()).label("fraud").outcome("chargeback").score(1.0));
 * }</pre>
 *
 * @param requestId the {@code requestId()} of the prediction this feedback is about
 * @param label the true label, or null
 * @param outcome what happened (e.g. {@code "chargeback"}), or null
 * @param score a numeric ground truth, or null
 * @param comment free text (at most 2000 characters), or null
 */
public record Feedback(String requestId, String label, String outcome, Double score, String comment) {
  /** The contract's {@code FeedbackRequest.comment.maxLength}. */
  public static final int MAX_COMMENT_LENGTH = 2000;

  /**
   * Checks every field; see the class comment. {@code new Feedback("req-1", "fraud", null, null, null)}
   *
   * @param requestId the prediction's request id
   * @param label the true label, or null
   * @param outcome what happened, or null
   * @param score a numeric ground truth, or null
   * @param comment free text (at most 2000 characters), or null
   */
  public Feedback {
    OptionRules.requestId(OptionRules.required(requestId, "requestId",
        "the prediction's requestId() (1 to 128 visible ASCII characters)"));
    if (score != null && !Double.isFinite(score)) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "feedback score must be a finite number, got " + score));
    }
    // JSON Schema's maxLength counts code points, not UTF-16 units
    if (comment != null && comment.codePointCount(0, comment.length()) > MAX_COMMENT_LENGTH) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "feedback comment must be at most "
          + MAX_COMMENT_LENGTH + " characters, got " + comment.codePointCount(0, comment.length())));
    }
  }

  /**
   * Feedback about one prediction, with no label, outcome, score or comment yet.
   * <pre>{@code Feedback.of(p.requestId()).label("fraud") }</pre>
   *
   * @param requestId the prediction's request id
   * @return the feedback
   * @throws InvalidInputException INVALID_OPTIONS when the id cannot be a request id
   */
  public static Feedback of(String requestId) {
    return new Feedback(requestId, null, null, null, null);
  }

  /**
   * A copy with the true label.
   * <pre>{@code Feedback.of(id).label("fraud") }</pre>
   *
   * @param label the label, or null to leave it out
   * @return the new feedback
   */
  public Feedback label(String label) {
    return new Feedback(requestId, label, outcome, score, comment);
  }

  /**
   * A copy with the outcome.
   * <pre>{@code Feedback.of(id).outcome("chargeback") }</pre>
   *
   * @param outcome the outcome, or null to leave it out
   * @return the new feedback
   */
  public Feedback outcome(String outcome) {
    return new Feedback(requestId, label, outcome, score, comment);
  }

  /**
   * A copy with a numeric ground truth.
   * <pre>{@code Feedback.of(id).score(0.25) }</pre>
   *
   * @param score a finite number
   * @return the new feedback
   * @throws InvalidInputException INVALID_INPUT for NaN or an infinity
   */
  public Feedback score(double score) {
    return new Feedback(requestId, label, outcome, score, comment);
  }

  /**
   * A copy with a comment.
   * <pre>{@code Feedback.of(id).comment("confirmed by the issuer") }</pre>
   *
   * @param comment at most 2000 characters, or null to leave it out
   * @return the new feedback
   * @throws InvalidInputException INVALID_INPUT when longer
   */
  public Feedback comment(String comment) {
    return new Feedback(requestId, label, outcome, score, comment);
  }
}
