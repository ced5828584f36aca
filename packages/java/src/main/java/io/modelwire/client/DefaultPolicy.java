package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The default resilience policy, read from {@code x-modelwire-policy} of the contract (plus the
 * model-name pattern and the final job states) that the build
 * bundles into the jar ({@code modelwire-openapi.json}, produced from {@code openapi/modelwire.yaml}
 * by openapi-generator). No number is copied by hand, so Java cannot drift from TS and Python.
 *
 * <pre>{@code int retries = DefaultPolicy.get().maxRetries(); // 2 }</pre>
 *
 * @param maxRetries retries after the first attempt
 * @param retryOnStatus statuses that are retried
 * @param backoffInitialMs first backoff delay
 * @param backoffMultiplier backoff growth factor
 * @param backoffMaxMs backoff cap
 * @param jitter "full" or "none"
 * @param retryAfterCapMs longest Retry-After honoured
 * @param budgetMaxTokens retry budget size
 * @param budgetRetryCost tokens one retry costs
 * @param budgetSuccessRefill tokens one success adds
 * @param breakerConsecutiveFailures failures in a row that open the breaker
 * @param breakerResetTimeoutMs open time before the half-open trial
 * @param cacheTtlMs cache freshness
 * @param cacheMaxEntries cache entry bound
 * @param cacheMaxBytes cache byte bound
 * @param cacheStaleIfError serve expired answers when all else failed
 * @param timeoutMs per-attempt timeout
 * @param deadlineMs total deadline
 * @param maxInputBytes largest input sent
 * @param maxResponseBytes largest response body read (decoded bytes)
 * @param maxJsonDepth deepest JSON nesting parsed in a response
 * @param jobsPollInitialMs first job poll delay
 * @param jobsPollMultiplier job poll growth
 * @param jobsPollMaxMs job poll cap
 * @param webhookToleranceSeconds webhook timestamp tolerance
 * @param tokenRefreshSkewMs refresh OIDC tokens this long before expiry (at most half their lifetime)
 * @param tokenFailureBackoffInitialMs pause after the first failed token request
 * @param tokenFailureBackoffMaxMs longest pause after consecutive failed token requests
 * @param modelNamePattern the model-name pattern ({@code components.parameters.Model})
 * @param finalJobStates job states after which a job never changes ({@code JobState.x-final-states})
 */
public record DefaultPolicy(
    int maxRetries,
    List<Integer> retryOnStatus,
    long backoffInitialMs,
    double backoffMultiplier,
    long backoffMaxMs,
    String jitter,
    long retryAfterCapMs,
    double budgetMaxTokens,
    double budgetRetryCost,
    double budgetSuccessRefill,
    int breakerConsecutiveFailures,
    long breakerResetTimeoutMs,
    long cacheTtlMs,
    long cacheMaxEntries,
    long cacheMaxBytes,
    boolean cacheStaleIfError,
    long timeoutMs,
    long deadlineMs,
    long maxInputBytes,
    long maxResponseBytes,
    int maxJsonDepth,
    long jobsPollInitialMs,
    double jobsPollMultiplier,
    long jobsPollMaxMs,
    long webhookToleranceSeconds,
    long tokenRefreshSkewMs,
    long tokenFailureBackoffInitialMs,
    long tokenFailureBackoffMaxMs,
    String modelNamePattern,
    List<String> finalJobStates) {

  /** Bundled resource name of the contract (JSON form). */
  public static final String RESOURCE = "modelwire-openapi.json";

  private static final DefaultPolicy INSTANCE = load();

  /**
   * The policy of the bundled contract.
   *
   * <pre>{@code DefaultPolicy.get().cacheTtlMs() // 30000 }</pre>
   *
   * @return the policy
   */
  public static DefaultPolicy get() {
    return INSTANCE;
  }

  /**
   * Parses {@code x-modelwire-policy} out of a contract tree (exposed for the drift test).
   *
   * <pre>{@code DefaultPolicy.fromContract(Json.MAPPER.readTree(specJson)) }</pre>
   *
   * @param contract the OpenAPI document
   * @return the policy
   */
  public static DefaultPolicy fromContract(JsonNode contract) {
    JsonNode p = contract.path("x-modelwire-policy");
    if (p.isMissingNode()) {
      throw new IllegalStateException("the contract has no x-modelwire-policy extension");
    }
    JsonNode r = p.path("retry");
    JsonNode b = r.path("budget");
    JsonNode br = p.path("breaker");
    JsonNode c = p.path("cache");
    JsonNode j = p.path("jobs");
    List<Integer> statuses = new ArrayList<>();
    req(r, "retry_on_status").forEach(n -> statuses.add(n.intValue()));
    return new DefaultPolicy(
        req(r, "max_retries").intValue(),
        List.copyOf(statuses),
        req(r, "backoff_initial_ms").longValue(),
        req(r, "backoff_multiplier").doubleValue(),
        req(r, "backoff_max_ms").longValue(),
        req(r, "jitter").textValue(),
        req(r, "retry_after_cap_ms").longValue(),
        req(b, "max_tokens").doubleValue(),
        req(b, "retry_cost").doubleValue(),
        req(b, "success_refill").doubleValue(),
        req(br, "consecutive_failures").intValue(),
        req(br, "reset_timeout_ms").longValue(),
        req(c, "ttl_ms").longValue(),
        req(c, "max_entries").longValue(),
        req(c, "max_bytes").longValue(),
        req(c, "stale_if_error").booleanValue(),
        req(p, "timeout_ms").longValue(),
        req(p, "deadline_ms").longValue(),
        req(p, "max_input_bytes").longValue(),
        req(p, "max_response_bytes").longValue(),
        req(p, "max_json_depth").intValue(),
        req(j, "poll_initial_ms").longValue(),
        req(j, "poll_multiplier").doubleValue(),
        req(j, "poll_max_ms").longValue(),
        req(p.path("webhook"), "tolerance_seconds").longValue(),
        req(p, "token_refresh_skew_ms").longValue(),
        req(p, "token_failure_backoff_initial_ms").longValue(),
        req(p, "token_failure_backoff_max_ms").longValue(),
        modelNamePattern(contract),
        texts(req(contract.path("components").path("schemas").path("JobState"), "x-final-states")));
  }

  // The bundled JSON is openapi-generator's output, which inlines $ref'd parameters into the
  // operations; the YAML keeps components.parameters.Model. Both carry the same pattern.
  private static String modelNamePattern(JsonNode contract) {
    JsonNode declared = contract.path("components").path("parameters").path("Model").path("schema");
    if (declared.has("pattern")) return declared.get("pattern").textValue();
    for (JsonNode path : contract.path("paths")) {
      for (JsonNode op : path) {
        for (JsonNode param : op.path("parameters")) {
          if ("model".equals(param.path("name").asText()) && "path".equals(param.path("in").asText())) {
            return req(param.path("schema"), "pattern").textValue();
          }
        }
      }
    }
    throw new IllegalStateException("the contract declares no model-name pattern");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.textValue()));
    return List.copyOf(out);
  }

  private static JsonNode req(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new IllegalStateException("x-modelwire-policy lacks " + field);
    }
    return n;
  }

  private static DefaultPolicy load() {
    try (InputStream in = DefaultPolicy.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar; rebuild with mvn package");
      }
      return fromContract(Json.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled contract " + RESOURCE, e);
    }
  }
}
