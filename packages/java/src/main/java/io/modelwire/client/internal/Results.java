package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.FeedbackReceipt;
import io.modelwire.client.Prediction;
import io.modelwire.client.ServedModel;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.internal.stages.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps success envelopes to what the caller gets: a {@link Prediction} (with low-confidence from
 * the option, else the model's threshold learnt from modelInfo), a generated model class, a list,
 * a feedback receipt.
 *
 * <pre>{@code Prediction p = results.prediction(answer); }</pre>
 */
public final class Results {
  private final Double minConfidence;
  private final Map<String, Double> modelThresholds = new ConcurrentHashMap<>();

  /**
   * Creates the mapper.
   *
   * @param minConfidence client-wide minConfidence, or null (use the models' thresholds)
   */
  public Results(Double minConfidence) {
    this.minConfidence = minConfidence;
  }

  /**
   * Remembers a model's {@code thresholds.min_confidence} (learnt from modelInfo).
   *
   * <pre>{@code results.rememberThreshold("fraud-score", 0.6) }</pre>
   *
   * @param model model
   * @param min threshold, or null to forget
   */
  public void rememberThreshold(String model, Double min) {
    if (min == null) modelThresholds.remove(model);
    else modelThresholds.put(model, min);
  }

  /**
   * The prediction of an answer.
   *
   * @param a the answer
   * @return the prediction
   */
  public Prediction prediction(Answer a) {
    JsonNode env = a.envelope();
    // the caller's own copy: the envelope is shared with the cache and with coalesced callers
    // (docs/semantics.md, "Results are read-only"); JsonNode has no read-only view
    JsonNode result = env.path("result").deepCopy();
    Double confidence = result.path("confidence").isNumber() ? result.path("confidence").doubleValue() : null;
    Double uncertainty = result.path("uncertainty_score").isNumber() ? result.path("uncertainty_score").doubleValue() : null;
    JsonNode served = env.path("model");
    String name = served.path("name").isTextual() ? served.path("name").textValue() : a.model();
    String version = served.path("version").isTextual() ? served.path("version").textValue() : a.servedVersion();
    Double threshold = minConfidence != null ? minConfidence : a.model() == null ? null : modelThresholds.get(a.model());
    boolean low = confidence != null && threshold != null && confidence < threshold;
    return new Prediction(result, confidence, uncertainty, low, text(env, "request_id", a.ids().requestId()),
        text(env, "trace_id", a.ids().traceId()), new ServedModel(name, version), a.cached(), a.stale(), a.fallback(),
        a.attempts());
  }

  /**
   * The envelope's {@code result} as a generated model class.
   *
   * @param a the answer
   * @param type the class
   * @param <T> the type
   * @return the value
   */
  public static <T> T result(Answer a, Class<T> type) {
    return convert(a.envelope().path("result"), type, a);
  }

  /**
   * The envelope's {@code result.<field>} array as a list of a generated model class.
   *
   * @param a the answer
   * @param field the array's name
   * @param type the element class
   * @param <T> the type
   * @return the list
   */
  public static <T> List<T> list(Answer a, String field, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (JsonNode m : a.envelope().path("result").path(field)) out.add(convert(m, type, a));
    return List.copyOf(out);
  }

  /**
   * The receipt of a feedback answer.
   *
   * @param a the answer
   * @return the receipt
   */
  public static FeedbackReceipt receipt(Answer a) {
    JsonNode res = a.envelope().path("result");
    return new FeedbackReceipt(res.path("feedback_id").asText(null), res.path("accepted").asBoolean(false),
        text(a.envelope(), "request_id", a.ids().requestId()));
  }

  private static String text(JsonNode env, String field, String otherwise) {
    return env.path(field).isTextual() ? env.path(field).textValue() : otherwise;
  }

  private static <T> T convert(JsonNode node, Class<T> type, Answer a) {
    try {
      if (node.isMissingNode() || node.isNull()) throw new IllegalArgumentException("no result");
      return Json.MAPPER.treeToValue(node, type);
    } catch (Exception e) {
      throw new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE",
          "response result is not a valid " + type.getSimpleName() + "; check that baseUrl points at a modelwire gateway")
          .ids(a.ids().requestId(), a.ids().traceId()).cause(e));
    }
  }
}
