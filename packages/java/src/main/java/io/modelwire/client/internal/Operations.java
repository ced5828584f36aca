package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.internal.stages.Call;
import io.modelwire.client.internal.stages.Operation;
import io.modelwire.client.internal.stages.Operation.Kind;
import io.modelwire.client.internal.stages.SendStage;
import java.util.Map;
import java.util.Objects;

/**
 * The operation descriptors of the contract: kind (which pipeline), method, path and body.
 *
 * <pre>{@code Operations.read(m -> "/models/" + m + "/info") }</pre>
 */
public final class Operations {
  private Operations() {}

  /**
   * A prediction. The body's {@code meta.input_digest} is the cache key of the model actually asked
   * (the backup's own after a fallback).
   *
   * <pre>{@code Operations.predict(data, meta, scope, "fraud-score", null, key) }</pre>
   *
   * @param data input
   * @param meta extra meta or null
   * @param scope cache scope
   * @param model the primary model
   * @param version the primary's pinned version or null
   * @param key the primary's cache key
   * @return the descriptor
   */
  public static Operation predict(JsonNode data, Map<String, Object> meta, String scope, String model, String version,
      String key) {
    return new Operation(Kind.PREDICT, "POST", m -> "/models/" + m + "/predict",
        call -> body(call, data, meta, digest(call, scope, data, model, version, key), null));
  }

  /**
   * A job submission (same body as a prediction, plus the callback URL).
   *
   * <pre>{@code Operations.submitJob(data, meta, scope, key, callbackUrl) }</pre>
   *
   * @param data input
   * @param meta extra meta or null
   * @param scope cache scope
   * @param key the input digest
   * @param callbackUrl callback URL or null
   * @return the descriptor
   */
  public static Operation submitJob(JsonNode data, Map<String, Object> meta, String scope, String key,
      String callbackUrl) {
    return new Operation(Kind.SUBMIT_JOB, "POST", m -> "/models/" + m + "/jobs",
        call -> body(call, data, meta, key, callbackUrl));
  }

  /**
   * A GET.
   *
   * <pre>{@code Operations.read(m -> "/models/" + m + "/health") }</pre>
   *
   * @param path model → path
   * @return the descriptor
   */
  public static Operation read(java.util.function.Function<String, String> path) {
    return new Operation(Kind.READ, "GET", path, call -> null);
  }

  /**
   * A write other than predict/submit (feedback POST, job DELETE).
   *
   * <pre>{@code Operations.write("DELETE", m -> "/models/" + m + "/jobs/" + id, null) }</pre>
   *
   * @param method HTTP method
   * @param path model → path
   * @param body JSON body or null
   * @return the descriptor
   */
  public static Operation write(String method, java.util.function.Function<String, String> path, ObjectNode body) {
    return new Operation(Kind.WRITE, method, path, call -> body);
  }

  private static String digest(Call call, String scope, JsonNode data, String model, String version, String key) {
    // the primary's digest is known; a backup (another model, never pinned) gets its own
    if (model.equals(call.model()) && Objects.equals(version, call.version())) return key;
    return CacheKey.of(call.model(), call.version(), scope, data);
  }

  private static ObjectNode body(Call call, JsonNode data, Map<String, Object> meta, String digest, String callbackUrl) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("request_id", call.requestId());
    body.set("data", data);
    ObjectNode m = body.putObject("meta");
    if (meta != null) meta.forEach((k, v) -> m.set(k, Json.MAPPER.valueToTree(v)));
    m.put("input_digest", digest);
    if (!m.has("client")) m.put("client", SendStage.CLIENT);
    if (callbackUrl != null) body.put("callback_url", callbackUrl);
    return body;
  }
}
