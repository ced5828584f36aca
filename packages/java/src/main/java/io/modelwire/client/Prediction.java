package io.modelwire.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.internal.Json;

/**
 * A prediction with everything the pipeline knows about it.
 *
 * <pre>{@code
 * Prediction p = client.predict("fraud-score", Map.of("amount", 129.5));
 * double score = p.result().path("score").asDouble();
 * if (p.lowConfidence()) review(p.requestId());
 * }</pre>
 *
 * @param result the model output ({@code result} of the envelope); the caller's own copy, so changing
 *     it never changes what the cache or another caller gets
 * @param confidence {@code result.confidence} or null
 * @param uncertaintyScore {@code result.uncertainty_score} or null
 * @param lowConfidence confidence below minConfidence (option, else the model's threshold)
 * @param requestId the logical call's request id
 * @param traceId the trace id (32 hex)
 * @param model the model and version that served
 * @param cached served from the cache
 * @param stale an expired cached answer served because everything else failed
 * @param fallback set when a backup model answered
 * @param attempts HTTP attempts made (0 for a cache hit)
 */
public record Prediction(
    JsonNode result,
    Double confidence,
    Double uncertaintyScore,
    boolean lowConfidence,
    String requestId,
    String traceId,
    ServedModel model,
    boolean cached,
    boolean stale,
    Fallback fallback,
    int attempts) {

  /**
   * Converts {@link #result()} to your own type.
   *
   * <pre>{@code FraudScore s = p.resultAs(FraudScore.class); }</pre>
   *
   * @param type target type (Jackson-mappable)
   * @param <T> the type
   * @return the converted result
   */
  public <T> T resultAs(Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(result, type);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE",
          // names where it failed, never the value (results may hold personal data)
          "result does not map to " + type.getSimpleName() + " at " + where(e))
          .ids(requestId, traceId).cause(e));
    }
  }

  private static String where(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder("result");
      for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
        sb.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
      }
      return sb.toString();
    }
    return "result";
  }
}
