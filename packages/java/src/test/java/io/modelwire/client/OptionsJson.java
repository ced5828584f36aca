package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Maps the snake_case client and call options of the conformance scenarios and the shared vectors
 * (test/conformance/scenario.schema.json) onto the Java builders. Auth stays with the scenario
 * runner (its token provider is runner state).
 */
final class OptionsJson {
  private OptionsJson() {}

  /** Applies every client option of {@code o} except {@code auth}. */
  static void client(ModelwireClientBuilder b, JsonNode o) {
    if (o.has("base_url")) b.baseUrl(o.get("base_url").isNull() ? null : o.get("base_url").asText());
    if (o.has("fallbacks")) {
      Map<String, String> fb = new HashMap<>();
      o.get("fallbacks").fields().forEachRemaining(e -> fb.put(e.getKey(), e.getValue().asText()));
      b.fallbacks(fb);
    }
    if (o.has("retry")) b.retry(retry(o.get("retry")));
    if (o.has("breaker")) {
      JsonNode br = o.get("breaker");
      BreakerOptions d = BreakerOptions.defaults();
      b.breaker(br.isBoolean() && !br.asBoolean() ? new BreakerOptions(false, d.consecutiveFailures(), d.resetTimeoutMs())
          : new BreakerOptions(true, br.path("consecutive_failures").asInt(d.consecutiveFailures()),
              br.path("reset_timeout_ms").asLong(d.resetTimeoutMs())));
    }
    if (o.has("cache")) {
      JsonNode c = o.get("cache");
      CacheOptions d = CacheOptions.defaults();
      b.cache(c.isBoolean() && !c.asBoolean() ? CacheOptions.disabled()
          : d.withBounds(c.path("ttl_ms").asLong(d.ttlMs()), c.path("max_entries").asLong(d.maxEntries()),
              c.path("max_bytes").asLong(d.maxBytes())).withStaleIfError(c.path("stale_if_error").asBoolean(d.staleIfError())));
    }
    if (o.has("cache_scope")) b.cacheScope(o.get("cache_scope").asText());
    if (o.has("timeout_ms")) b.timeout(Duration.ofMillis(o.get("timeout_ms").asLong()));
    if (o.has("deadline_ms")) b.deadline(Duration.ofMillis(o.get("deadline_ms").asLong()));
    if (o.has("min_confidence")) b.minConfidence(o.get("min_confidence").asDouble());
    if (o.has("max_input_bytes")) b.maxInputBytes(o.get("max_input_bytes").asLong());
    if (o.has("max_response_bytes")) b.maxResponseBytes(o.get("max_response_bytes").asLong());
    if (o.has("max_json_depth")) b.maxJsonDepth(o.get("max_json_depth").asInt());
  }

  private static RetryOptions retry(JsonNode r) {
    RetryOptions d = RetryOptions.defaults();
    Set<Integer> statuses = d.retryOnStatus();
    if (r.has("retry_on_status")) {
      statuses = new HashSet<>();
      for (JsonNode s : r.get("retry_on_status")) statuses.add(s.asInt());
    }
    JsonNode budget = r.path("budget");
    boolean budgetOn = !(budget.isBoolean() && !budget.asBoolean());
    return new RetryOptions(r.path("max_retries").asInt(d.maxRetries()), Set.copyOf(statuses),
        r.path("backoff_initial_ms").asLong(d.backoffInitialMs()),
        r.path("backoff_multiplier").asDouble(d.backoffMultiplier()), r.path("backoff_max_ms").asLong(d.backoffMaxMs()),
        r.has("jitter") ? r.get("jitter").asText().equals("full") : d.fullJitter(),
        r.path("retry_after_cap_ms").asLong(d.retryAfterCapMs()), budgetOn,
        budget.path("max_tokens").asDouble(d.budgetMaxTokens()), budget.path("retry_cost").asDouble(d.budgetRetryCost()),
        budget.path("success_refill").asDouble(d.budgetSuccessRefill()));
  }

  /**
   * The call options of {@code o} (version, request_id, cache, traceparent, callback_url, timeout_ms,
   * deadline_ms); the abort signal stays with the caller. {@code timeoutIsCall}: false for
   * wait_for_job, whose timeout_ms is the wait's own.
   */
  static CallOptions.Builder call(JsonNode o, boolean timeoutIsCall) {
    CallOptions.Builder cb = CallOptions.builder();
    if (o.has("version")) cb.version(o.get("version").asText());
    if (o.has("request_id")) cb.requestId(o.get("request_id").asText());
    if (o.has("cache")) cb.cache(o.get("cache").asBoolean());
    if (o.has("traceparent")) cb.traceparent(o.get("traceparent").asText());
    if (o.has("callback_url")) cb.callbackUrl(o.get("callback_url").asText());
    if (o.has("timeout_ms") && timeoutIsCall) cb.timeout(Duration.ofMillis(o.get("timeout_ms").asLong()));
    if (o.has("deadline_ms")) cb.deadline(Duration.ofMillis(o.get("deadline_ms").asLong()));
    return cb;
  }
}
