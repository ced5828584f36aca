package io.modelwire.client;

import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.OptionRules;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Builder for {@link ModelwireClient}; every default comes from the contract's
 * {@code x-modelwire-policy}.
 *
 * <pre>{@code
 * ModelwireClient.builder()
 *     .baseUrl("https://gateway.example/v1")
 *     .auth(Auth.oidc(tokenUrl, "svc", secret, "models:predict"))
 *     .retry(RetryOptions.defaults().withMaxRetries(3))
 *     .onEvent(e -> metrics.record(e))
 *     .build();
 * }</pre>
 */
public final class ModelwireClientBuilder {
  private String baseUrl;
  private Auth auth = Auth.none();
  private RetryOptions retry = RetryOptions.defaults();
  private BreakerOptions breaker = BreakerOptions.defaults();
  private CacheOptions cache = CacheOptions.defaults();
  private Fleet fleet;
  private Duration timeout = Duration.ofMillis(DefaultPolicy.get().timeoutMs());
  private Duration deadline = Duration.ofMillis(DefaultPolicy.get().deadlineMs());
  private long maxInputBytes = DefaultPolicy.get().maxInputBytes();
  private long maxResponseBytes = DefaultPolicy.get().maxResponseBytes();
  private int maxJsonDepth = DefaultPolicy.get().maxJsonDepth();
  private Double minConfidence;
  private Function<String, String> fallbacks = m -> null;
  private Consumer<ModelwireEvent> onEvent;
  private Transport transport;
  private Scheduler scheduler = Scheduler.system();
  private DoubleSupplier random = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();
  private boolean telemetry = true;
  private Object openTelemetry; // an io.opentelemetry.api.OpenTelemetry (the API is optional)
  private HttpClient httpClient; // the caller's; never closed by the SDK

  ModelwireClientBuilder() {}

  /**
   * Base URL including {@code /v1}; checked by {@link #build()} (an absolute http(s) URL, else
   * InvalidInputException INVALID_OPTIONS). {@code .baseUrl("http://127.0.0.1:4010/v1")}
   *
   * @param url the base URL
   * @return this builder
   */
  public ModelwireClientBuilder baseUrl(String url) {
    this.baseUrl = url;
    return this;
  }

  /**
   * Credentials. {@code .auth(Auth.token("t"))}
   *
   * @param a the credentials
   * @return this builder
   */
  public ModelwireClientBuilder auth(Auth a) {
    this.auth = a;
    return this;
  }

  /**
   * Retry options. {@code .retry(RetryOptions.defaults().withMaxRetries(0))}
   *
   * @param r the retry options
   * @return this builder
   */
  public ModelwireClientBuilder retry(RetryOptions r) {
    this.retry = r;
    return this;
  }

  /**
   * Breaker options. {@code .breaker(new BreakerOptions(true, 5, 30_000))}
   *
   * @param b the breaker options
   * @return this builder
   */
  public ModelwireClientBuilder breaker(BreakerOptions b) {
    this.breaker = b;
    return this;
  }

  /**
   * Fleet mode (docs/semantics.md, "Fleet mode (Redis)"): the shared cache on Redis as the second
   * level over the application's Lettuce connection (never closed by the SDK). Needs the cache on.
   *
   * <pre>{@code .fleet(Fleet.builder().redis(connection).build()) }</pre>
   *
   * @param f the fleet options or null (off)
   * @return this
   */
  public ModelwireClientBuilder fleet(Fleet f) {
    this.fleet = f;
    return this;
  }

  /**
   * Cache options. {@code .cache(CacheOptions.disabled())}
   *
   * @param c the cache options
   * @return this builder
   */
  public ModelwireClientBuilder cache(CacheOptions c) {
    this.cache = c;
    return this;
  }

  /**
   * Explicit cache scope. {@code .cacheScope("tenant-a")}
   *
   * @param scope the scope
   * @return this builder
   */
  public ModelwireClientBuilder cacheScope(String scope) {
    this.cache = cache.withScope(scope);
    return this;
  }

  /**
   * Per-attempt timeout. {@code .timeout(Duration.ofSeconds(2))}
   *
   * @param d the timeout
   * @return this builder
   */
  public ModelwireClientBuilder timeout(Duration d) {
    this.timeout = d;
    return this;
  }

  /**
   * Total deadline of a call. {@code .deadline(Duration.ofSeconds(10))}
   *
   * @param d the deadline
   * @return this builder
   */
  public ModelwireClientBuilder deadline(Duration d) {
    this.deadline = d;
    return this;
  }

  /**
   * Largest input sent, in bytes of its JSON (> 0). {@code .maxInputBytes(1 << 20)}
   *
   * @param n the limit in bytes
   * @return this builder
   */
  public ModelwireClientBuilder maxInputBytes(long n) {
    this.maxInputBytes = n;
    return this;
  }

  /**
   * Largest response body read; beyond it MalformedResponse (RESPONSE_TOO_LARGE). {@code .maxResponseBytes(1 << 20)}
   *
   * @param n the limit in bytes
   * @return this builder
   */
  public ModelwireClientBuilder maxResponseBytes(long n) {
    this.maxResponseBytes = n;
    return this;
  }

  /**
   * Deepest JSON nesting parsed in a response. {@code .maxJsonDepth(64)}
   *
   * @param depth the depth
   * @return this builder
   */
  public ModelwireClientBuilder maxJsonDepth(int depth) {
    this.maxJsonDepth = depth;
    return this;
  }

  /**
   * Confidence below which predictions are flagged. {@code .minConfidence(0.7)}
   *
   * @param v the threshold in [0, 1]
   * @return this builder
   */
  public ModelwireClientBuilder minConfidence(double v) {
    this.minConfidence = v;
    return this;
  }

  /**
   * One backup model. {@code .fallback("fraud-score", "fraud-score-backup")}
   *
   * @param model the primary model
   * @param backup its backup
   * @return this builder
   */
  public ModelwireClientBuilder fallback(String model, String backup) {
    Function<String, String> prev = fallbacks;
    this.fallbacks = m -> model.equals(m) ? backup : prev.apply(m);
    return this;
  }

  /**
   * Backups from a map. {@code .fallbacks(Map.of("a", "a-backup"))}
   *
   * @param map model to backup model
   * @return this builder
   */
  public ModelwireClientBuilder fallbacks(Map<String, String> map) {
    Map<String, String> copy = Map.copyOf(map);
    this.fallbacks = copy::get;
    return this;
  }

  /**
   * Backups from a function (null: none). {@code .fallbacks(m -> m + "-backup")}
   *
   * @param fn model to backup model (null: none)
   * @return this builder
   */
  public ModelwireClientBuilder fallbacks(Function<String, String> fn) {
    this.fallbacks = Objects.requireNonNull(fn, "fallbacks");
    return this;
  }

  /**
   * Event listener (metrics, tracing). {@code .onEvent(e -> log.debug("{}", e))}
   *
   * @param listener the listener
   * @return this builder
   */
  public ModelwireClientBuilder onEvent(Consumer<ModelwireEvent> listener) {
    this.onEvent = listener;
    return this;
  }

  /**
   * The OpenTelemetry whose tracer and meter the client uses, instead of {@code GlobalOpenTelemetry}
   * (docs/semantics.md, "Telemetry"). Needs {@code io.opentelemetry:opentelemetry-api} on the
   * classpath (an optional dependency of this SDK).
   *
   * <pre>{@code .openTelemetry(openTelemetrySdk)}</pre>
   *
   * @param otel the OpenTelemetry (not null)
   * @return this builder
   */
  public ModelwireClientBuilder openTelemetry(io.opentelemetry.api.OpenTelemetry otel) {
    this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
    return this;
  }

  /**
   * Turns OpenTelemetry spans and metrics on (default, when the API is on the classpath) or off.
   * {@code .telemetry(false)}
   *
   * @param enabled false: no span, no metric
   * @return this builder
   */
  public ModelwireClientBuilder telemetry(boolean enabled) {
    this.telemetry = enabled;
    return this;
  }

  /**
   * Your own, already configured java.net.http client — for a proxy ({@code ProxySelector}), mTLS or a
   * custom CA ({@code SSLContext}), an executor, an authenticator. Every request goes through it,
   * OIDC token requests included. The SDK's per-attempt timeout and deadline still bound each
   * attempt and call (the client's own connect timeout applies within them), and the response limits
   * still apply. The SDK never closes it: {@link ModelwireClient#close()} leaves it, its connections
   * and its executor to you. Not together with {@link #transport(Transport)} (INVALID_OPTIONS).
   *
   * <pre>{@code
   * HttpClient http = HttpClient.newBuilder().sslContext(mtls).proxy(ProxySelector.of(proxy)).build();
   * ModelwireClient client = ModelwireClient.builder().baseUrl(url).httpClient(http).build();
   * }</pre>
   *
   * @param client the client, or null for the SDK's own (the default)
   * @return this builder
   */
  public ModelwireClientBuilder httpClient(HttpClient client) {
    this.httpClient = client;
    return this;
  }

  /**
   * Custom transport (tests, proxies). {@code .transport(fake)}
   *
   * @param t the transport
   * @return this builder
   */
  public ModelwireClientBuilder transport(Transport t) {
    this.transport = t;
    return this;
  }

  /**
   * Custom clock/timer (virtual time in tests). {@code .scheduler(virtualClock)}
   *
   * @param s the scheduler
   * @return this builder
   */
  public ModelwireClientBuilder scheduler(Scheduler s) {
    this.scheduler = s;
    return this;
  }

  /**
   * Jitter source in [0,1) (tests). {@code .random(() -> 0.5)}
   *
   * @param r the jitter source
   * @return this builder
   */
  public ModelwireClientBuilder random(DoubleSupplier r) {
    this.random = r;
    return this;
  }

  /**
   * The validated options this builder holds.
   *
   * <pre>{@code ClientOptions o = builder.options(); }</pre>
   *
   * @return the options
   * @throws InvalidInputException (code INVALID_OPTIONS) when an option is wrong
   */
  public ClientOptions options() {
    return new ClientOptions(OptionRules.baseUrl(baseUrl), auth, retry, breaker, cache, timeout, deadline, maxInputBytes, maxResponseBytes,
        maxJsonDepth, minConfidence,
        fallbacks, onEvent, transport, scheduler, random, telemetry, openTelemetry, httpClient, fleet);
  }

  /**
   * Validates and builds.
   *
   * <pre>{@code ModelwireClient c = builder.build(); }</pre>
   *
   * @return the client
   * @throws InvalidInputException (code INVALID_OPTIONS) when an option is wrong
   */
  public ModelwireClient build() {
    return new ModelwireClient(options());
  }
}
