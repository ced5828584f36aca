package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.DefaultPolicy;
import io.modelwire.client.Feedback;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.errors.PayloadTooLargeException;
import io.modelwire.client.internal.stages.Call;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks of the caller's input, made before anything is sent: model names (the contract's pattern),
 * feedback convertible to JSON, the input size limit (prediction data: {@link DataTree}).
 *
 * <pre>{@code Inputs.model("fraud-score"); JsonNode tree = Inputs.tree(data); }</pre>
 */
public final class Inputs {
  private static final Pattern MODEL_NAME = Pattern.compile(DefaultPolicy.get().modelNamePattern());

  private Inputs() {}

  /**
   * A valid model name, or InvalidInputException.
   *
   * <pre>{@code Inputs.model("fraud-score") // "fraud-score" }</pre>
   *
   * @param model the name
   * @return the name
   */
  public static String model(String model) {
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "model name '" + model + "' is invalid; it must match " + MODEL_NAME.pattern()));
    }
    return model;
  }

  /**
   * A feedback body as a JSON tree (maps, the generated FeedbackRequest, JsonNode).
   *
   * <pre>{@code Inputs.tree(Map.of("amount", 1)) }</pre>
   *
   * @param data the data
   * @return the tree
   */
  public static JsonNode tree(Object data) {
    if (data == null) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "data is null; pass a map or an object"));
    }
    if (data instanceof JsonNode n) return n;
    try {
      return Json.MAPPER.valueToTree(data);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "data cannot be converted to JSON (" + e.getClass().getSimpleName() + "); pass maps, lists and plain values")
          .cause(e));
    }
  }

  /**
   * The request body of typed feedback: {@code request_id} and the fields that are set (a field
   * left null is left out, not sent as {@code null}).
   *
   * <pre>{@code Inputs.feedbackBody(Feedback.of(id).label("fraud")) // {"request_id":…,"label":"fraud"} }</pre>
   *
   * @param feedback the checked feedback
   * @return the body
   */
  public static ObjectNode feedbackBody(Feedback feedback) {
    if (feedback == null) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "feedback is null; pass Feedback.of(prediction.requestId()) with a label, outcome, score or comment"));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("request_id", feedback.requestId());
    if (feedback.label() != null) body.put("label", feedback.label());
    if (feedback.outcome() != null) body.put("outcome", feedback.outcome());
    if (feedback.score() != null) body.put("score", feedback.score());
    if (feedback.comment() != null) body.put("comment", feedback.comment());
    return body;
  }

  /**
   * Untyped feedback (a map, a POJO, the generated FeedbackRequest, a JsonNode) as {@link Feedback},
   * so it is checked and sent exactly as the typed input. A {@code null} member counts as absent;
   * a member the contract does not define, or of the wrong type, is InvalidInputException.
   *
   * <pre>{@code Inputs.feedback(Map.of("request_id", id, "label", "fraud")) }</pre>
   *
   * @param feedback map, POJO, FeedbackRequest or Feedback
   * @return the typed feedback
   */
  public static Feedback feedback(Object feedback) {
    if (feedback instanceof Feedback typed) return typed;
    JsonNode tree = tree(feedback);
    if (!tree.isObject() || !tree.path("request_id").isTextual()) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "feedback needs a request_id (the prediction's requestId()) and optional label/outcome/score/comment"));
    }
    tree.fieldNames().forEachRemaining(name -> {
      if (!FEEDBACK_FIELDS.contains(name)) {
        throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "feedback has an unknown field '" + name
            + "'; the contract defines " + String.join(", ", FEEDBACK_FIELDS)));
      }
    });
    Double score = null;
    JsonNode s = tree.path("score");
    if (s.isNumber()) score = s.doubleValue();
    else if (!s.isMissingNode() && !s.isNull()) throw wrongType("score", "a number");
    return new Feedback(tree.get("request_id").textValue(), text(tree, "label"), text(tree, "outcome"), score,
        text(tree, "comment"));
  }

  private static final java.util.List<String> FEEDBACK_FIELDS =
      java.util.List.of("request_id", "label", "outcome", "score", "comment");

  private static String text(JsonNode tree, String field) {
    JsonNode v = tree.path(field);
    if (v.isMissingNode() || v.isNull()) return null;
    if (!v.isTextual()) throw wrongType(field, "a string");
    return v.textValue();
  }

  private static InvalidInputException wrongType(String field, String rule) {
    return new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
        "feedback " + field + " must be " + rule + " (or absent)"));
  }

  /**
   * Rejects input above {@code maxInputBytes} with PayloadTooLargeException.
   *
   * <pre>{@code Inputs.checkSize(tree, 1 << 20, call) }</pre>
   *
   * @param tree the input
   * @param maxInputBytes the limit
   * @param call the call (for its ids)
   */
  public static void checkSize(JsonNode tree, long maxInputBytes, Call call) {
    int size;
    try {
      size = Json.MAPPER.writeValueAsBytes(tree).length;
    } catch (Exception e) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "data cannot be serialised").cause(e));
    }
    if (size > maxInputBytes) {
      throw new PayloadTooLargeException(ErrorInfo.of("PAYLOAD_TOO_LARGE",
          "input is " + size + " bytes, above maxInputBytes " + maxInputBytes + "; send less data or raise the limit")
          .ids(call.requestId(), call.traceId()));
    }
  }

  /**
   * A path segment, percent-encoded.
   *
   * <pre>{@code Inputs.segment("job 1") // "job%201" }</pre>
   *
   * @param s the segment
   * @return the encoded segment
   */
  public static String segment(String s) {
    return URLEncoder.encode(Objects.requireNonNull(s, "jobId"), StandardCharsets.UTF_8).replace("+", "%20");
  }
}
