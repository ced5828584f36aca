package io.modelwire.client;

import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Everything a client is configured with, validated once when it is created (by
 * {@link ModelwireClientBuilder#build()}); defaults come from the contract's
 * {@code x-modelwire-policy} through the builder.
 *
 * <pre>{@code ClientOptions o = ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").options(); }</pre>
 *
 * @param baseUrl absolute http(s) URL ending in /v1 (no trailing slash)
 * @param auth credentials
 * @param retry retry options
 * @param breaker breaker options
 * @param cache cache options (incl. the explicit scope)
 * @param timeout per-attempt timeout
 * @param deadline total deadline of a call
 * @param maxInputBytes largest input sent (0: no limit)
 * @param maxResponseBytes largest response body read, counted as it is read (docs/semantics.md, "Response limits")
 * @param maxJsonDepth deepest JSON nesting parsed in a response
 * @param minConfidence confidence below which predictions are flagged, or null (model thresholds)
 * @param fallbacks model → backup model, or null for none
 * @param onEvent event listener or null
 * @param transport custom transport, or null for java.net.http
 * @param scheduler clock and timers
 * @param random jitter source in [0,1)
 * @throws InvalidInputException (code INVALID_OPTIONS) when an option is wrong
 */
public record ClientOptions(URI baseUrl, Auth auth, RetryOptions retry, BreakerOptions breaker, CacheOptions cache,
    Duration timeout, Duration deadline, long maxInputBytes, long maxResponseBytes, int maxJsonDepth,
    Double minConfidence, Function<String, String> fallbacks,
    Consumer<ModelwireEvent> onEvent, Transport transport, Scheduler scheduler, DoubleSupplier random) {

  /** Validates. */
  public ClientOptions {
    if (baseUrl == null || baseUrl.getScheme() == null
        || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))) {
      throw invalid("baseUrl must be an absolute http(s) URL ending in /v1, e.g. http://127.0.0.1:4010/v1");
    }
    if (timeout.isNegative() || timeout.isZero() || deadline.isNegative() || deadline.isZero()) {
      throw invalid("timeout and deadline must be positive");
    }
    if (maxResponseBytes <= 0 || maxResponseBytes > Integer.MAX_VALUE - 8 || maxJsonDepth <= 0) {
      throw invalid("maxResponseBytes must be in 1..2^31-9 and maxJsonDepth positive");
    }
    if (retry.maxRetries() < 0) throw invalid("retry.maxRetries must be >= 0");
  }

  private static InvalidInputException invalid(String message) {
    return new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS", message));
  }
}
