package io.modelwire.client;

import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.OptionRules;
import java.net.URI;
import java.net.http.HttpClient;
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
 * @param maxInputBytes largest input sent, in bytes of its JSON (> 0)
 * @param maxResponseBytes largest response body read, counted as it is read (docs/semantics.md, "Response limits")
 * @param maxJsonDepth deepest JSON nesting parsed in a response
 * @param minConfidence confidence below which predictions are flagged, or null (model thresholds)
 * @param fallbacks model → backup model, or null for none
 * @param onEvent event listener or null
 * @param transport custom transport, or null for java.net.http
 * @param scheduler clock and timers
 * @param random jitter source in [0,1)
 * @param telemetry false turns OpenTelemetry spans and metrics off ({@code .telemetry(false)})
 * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry} given with {@code .openTelemetry(…)}, or null
 *     for {@code GlobalOpenTelemetry} (typed Object: the OpenTelemetry API is an optional dependency)
 * @param httpClient the caller's own java.net.http client (proxies, mTLS, custom CAs) used for every request,
 *     token requests included, and never closed by the SDK; null: the SDK creates (and closes) its own
 */
public record ClientOptions(URI baseUrl, Auth auth, RetryOptions retry, BreakerOptions breaker, CacheOptions cache,
    Duration timeout, Duration deadline, long maxInputBytes, long maxResponseBytes, int maxJsonDepth,
    Double minConfidence, Function<String, String> fallbacks,
    Consumer<ModelwireEvent> onEvent, Transport transport, Scheduler scheduler, DoubleSupplier random,
    boolean telemetry, Object openTelemetry, HttpClient httpClient, Fleet fleet) {

  /**
   * Options without fleet mode.
   *
   * @param baseUrl base URL
   * @param auth auth
   * @param retry retry
   * @param breaker breaker
   * @param cache cache
   * @param timeout per-attempt timeout
   * @param deadline deadline
   * @param maxInputBytes largest input
   * @param maxResponseBytes largest response body
   * @param maxJsonDepth deepest JSON nesting
   * @param minConfidence confidence threshold or null
   * @param fallbacks backups
   * @param onEvent listener or null
   * @param transport transport or null
   * @param scheduler clock
   * @param random jitter source
   * @param telemetry false turns OpenTelemetry off
   * @param openTelemetry an OpenTelemetry or null
   * @param httpClient the caller's HTTP client or null
   */
  public ClientOptions(URI baseUrl, Auth auth, RetryOptions retry, BreakerOptions breaker, CacheOptions cache,
      Duration timeout, Duration deadline, long maxInputBytes, long maxResponseBytes, int maxJsonDepth,
      Double minConfidence, Function<String, String> fallbacks,
      Consumer<ModelwireEvent> onEvent, Transport transport, Scheduler scheduler, DoubleSupplier random,
      boolean telemetry, Object openTelemetry, HttpClient httpClient) {
    this(baseUrl, auth, retry, breaker, cache, timeout, deadline, maxInputBytes, maxResponseBytes, maxJsonDepth,
        minConfidence, fallbacks, onEvent, transport, scheduler, random, telemetry, openTelemetry, httpClient, null);
  }

  /**
   * Options without a caller's HTTP client (the SDK creates its own).
   *
   * <pre>{@code new ClientOptions(baseUrl, Auth.none(), …, random, true, null) }</pre>
   *
   * @param baseUrl base URL
   * @param auth credentials
   * @param retry retry options
   * @param breaker breaker options
   * @param cache cache options
   * @param timeout per-attempt timeout
   * @param deadline deadline
   * @param maxInputBytes largest input
   * @param maxResponseBytes largest response body
   * @param maxJsonDepth deepest JSON nesting
   * @param minConfidence confidence threshold or null
   * @param fallbacks backups
   * @param onEvent listener or null
   * @param transport transport or null
   * @param scheduler clock
   * @param random jitter source
   * @param telemetry false turns OpenTelemetry off
   * @param openTelemetry an OpenTelemetry or null
   */
  public ClientOptions(URI baseUrl, Auth auth, RetryOptions retry, BreakerOptions breaker, CacheOptions cache,
      Duration timeout, Duration deadline, long maxInputBytes, long maxResponseBytes, int maxJsonDepth,
      Double minConfidence, Function<String, String> fallbacks, Consumer<ModelwireEvent> onEvent, Transport transport,
      Scheduler scheduler, DoubleSupplier random, boolean telemetry, Object openTelemetry) {
    this(baseUrl, auth, retry, breaker, cache, timeout, deadline, maxInputBytes, maxResponseBytes, maxJsonDepth,
        minConfidence, fallbacks, onEvent, transport, scheduler, random, telemetry, openTelemetry, null);
  }

  /**
   * Options without telemetry settings (the global OpenTelemetry, when installed, is used).
   *
   * <pre>{@code new ClientOptions(baseUrl, Auth.none(), …, scheduler, random) }</pre>
   *
   * @param baseUrl base URL
   * @param auth credentials
   * @param retry retry options
   * @param breaker breaker options
   * @param cache cache options
   * @param timeout per-attempt timeout
   * @param deadline deadline
   * @param maxInputBytes largest input
   * @param maxResponseBytes largest response body
   * @param maxJsonDepth deepest JSON nesting
   * @param minConfidence confidence threshold or null
   * @param fallbacks backups
   * @param onEvent listener or null
   * @param transport transport or null
   * @param scheduler clock
   * @param random jitter source
   */
  public ClientOptions(URI baseUrl, Auth auth, RetryOptions retry, BreakerOptions breaker, CacheOptions cache,
      Duration timeout, Duration deadline, long maxInputBytes, long maxResponseBytes, int maxJsonDepth,
      Double minConfidence, Function<String, String> fallbacks, Consumer<ModelwireEvent> onEvent, Transport transport,
      Scheduler scheduler, DoubleSupplier random) {
    this(baseUrl, auth, retry, breaker, cache, timeout, deadline, maxInputBytes, maxResponseBytes, maxJsonDepth,
        minConfidence, fallbacks, onEvent, transport, scheduler, random, true, null, null);
  }

  /**
   * Validates every option (docs/semantics.md, "What the SDKs check before sending").
   *
   * @param baseUrl base URL including {@code /v1}
   * @param auth credentials
   * @param retry retry options
   * @param breaker breaker options
   * @param cache cache options
   * @param timeout per-attempt timeout
   * @param deadline total deadline of a call
   * @param maxInputBytes largest input sent
   * @param maxResponseBytes largest response body read
   * @param maxJsonDepth deepest JSON nesting parsed
   * @param minConfidence confidence threshold, or null
   * @param fallbacks model to backup model, or null
   * @param onEvent event listener, or null
   * @param transport custom transport, or null
   * @param scheduler clock and timers
   * @param random jitter source
   * @param telemetry false turns OpenTelemetry off
   * @param openTelemetry an {@code OpenTelemetry}, or null
   * @param httpClient the caller's client, or null
   * @param fleet fleet options, or null
   * @throws io.modelwire.client.errors.InvalidInputException (code INVALID_OPTIONS) when an option is wrong
   */
  public ClientOptions {
    OptionRules.baseUrl(baseUrl, null);
    OptionRules.required(auth, "auth", "an Auth (Auth.none() for none)");
    if (auth instanceof Auth.Oidc oidc) io.modelwire.client.internal.auth.OidcOptionRules.check(oidc);
    OptionRules.required(retry, "retry", "RetryOptions (RetryOptions.defaults())");
    OptionRules.required(breaker, "breaker", "BreakerOptions (BreakerOptions.defaults())");
    OptionRules.required(cache, "cache", "CacheOptions (CacheOptions.disabled() for none)");
    OptionRules.required(scheduler, "scheduler", "a Scheduler (Scheduler.system())");
    OptionRules.required(random, "random", "a jitter source in [0,1)");
    OptionRules.positive(timeout, "timeout");
    OptionRules.positive(deadline, "deadline");
    OptionRules.atLeast(maxInputBytes, 1, "maxInputBytes");
    OptionRules.atLeast(maxResponseBytes, 1, "maxResponseBytes");
    // the body is read into one array, whose size Java caps just below 2^31
    if (maxResponseBytes > Integer.MAX_VALUE - 8) {
      throw OptionRules.broken("maxResponseBytes", "at most " + (Integer.MAX_VALUE - 8), Long.toString(maxResponseBytes));
    }
    OptionRules.atLeast(maxJsonDepth, 1, "maxJsonDepth");
    OptionRules.atLeast(retry.maxRetries(), 0, "retry.maxRetries");
    OptionRules.atLeast(retry.backoffInitialMs(), 0, "retry.backoffInitialMs");
    OptionRules.atLeast(retry.backoffMaxMs(), 0, "retry.backoffMaxMs");
    OptionRules.finiteAtLeast(retry.backoffMultiplier(), 0, "retry.backoffMultiplier");
    OptionRules.atLeast(retry.retryAfterCapMs(), 0, "retry.retryAfterCapMs");
    // a disabled breaker's numbers are never used
    if (breaker.enabled()) {
      OptionRules.atLeast(breaker.consecutiveFailures(), 1, "breaker.consecutiveFailures");
      OptionRules.atLeast(breaker.resetTimeoutMs(), 1, "breaker.resetTimeoutMs");
    }
    if (minConfidence != null) OptionRules.finiteAtLeast(minConfidence, 0, "minConfidence");
    // one way to send: a custom transport already decides which HTTP client (if any) it uses
    if (transport != null && httpClient != null) {
      throw OptionRules.broken("httpClient", "unset when a transport is given (pass one of the two)",
          "an HttpClient and a Transport");
    }
    if (openTelemetry != null && !isOpenTelemetry(openTelemetry)) {
      throw OptionRules.broken("openTelemetry", "an io.opentelemetry.api.OpenTelemetry",
          openTelemetry.getClass().getName());
    }
  }

  private static boolean isOpenTelemetry(Object o) {
    try {
      return Class.forName("io.opentelemetry.api.OpenTelemetry", false, o.getClass().getClassLoader()).isInstance(o);
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
