package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.DefaultPolicy;
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
   * Feedback as a JSON object with a {@code request_id}, or InvalidInputException.
   *
   * <pre>{@code Inputs.feedback(Map.of("request_id", id, "label", "fraud")) }</pre>
   *
   * @param feedback map, POJO or FeedbackRequest
   * @return the object
   */
  public static ObjectNode feedback(Object feedback) {
    JsonNode tree = tree(feedback);
    if (!tree.isObject() || !tree.path("request_id").isTextual()) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "feedback needs a request_id (the prediction's requestId()) and optional label/outcome/score/comment"));
    }
    return (ObjectNode) tree;
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
