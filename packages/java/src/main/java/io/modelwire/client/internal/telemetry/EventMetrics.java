package io.modelwire.client.internal.telemetry;

import io.modelwire.client.ModelwireEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The metrics of docs/semantics.md ("Telemetry", Metrics), derived purely from the client's own
 * event stream plus the base URL, so they cannot disagree with {@code onEvent}. An internal listener:
 * the client hands it every event after the user's listener.
 *
 * <p>The one thing an event does not carry, the method of an attempt that got no answer, is
 * remembered from its {@code request} event (per request id and attempt) until its
 * {@code response} / {@code request_error}.
 *
 * <pre>{@code Consumer<ModelwireEvent> m = new EventMetrics(meter, baseUrl); }</pre>
 */
final class EventMetrics implements Consumer<ModelwireEvent> {
  private static final List<Double> HTTP_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("modelwire.operation");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("modelwire.model");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("modelwire.outcome");
  private static final AttributeKey<String> CACHE_RESULT = AttributeKey.stringKey("modelwire.cache.result");
  private static final AttributeKey<String> BREAKER_STATE = AttributeKey.stringKey("modelwire.breaker.state");
  private static final AttributeKey<String> FALLBACK_TO = AttributeKey.stringKey("modelwire.fallback.to");
  private static final AttributeKey<String> FALLBACK_REASON = AttributeKey.stringKey("modelwire.fallback.reason");
  private static final AttributeKey<String> CACHE_TIER = AttributeKey.stringKey("modelwire.cache.tier");

  private final DoubleHistogram httpDuration;
  private final DoubleHistogram callDuration;
  private final LongCounter calls;
  private final LongCounter retries;
  private final LongCounter cacheLookups;
  private final LongCounter coalesced;
  private final LongCounter breakerTransitions;
  private final LongCounter fallbacks;
  private final LongCounter fleetUnavailable;
  private final String address;
  private final long port;
  private final Map<String, String> methods = new ConcurrentHashMap<>();

  EventMetrics(Meter meter, URI baseUrl) {
    httpDuration = meter.histogramBuilder("http.client.request.duration").setUnit("s")
        .setDescription("Duration of HTTP client requests.").setExplicitBucketBoundariesAdvice(HTTP_BUCKETS).build();
    callDuration = meter.histogramBuilder("modelwire.client.call.duration").setUnit("s")
        .setDescription("Duration of logical modelwire calls, end to end.").build();
    calls = meter.counterBuilder("modelwire.client.calls").setDescription("Logical modelwire calls settled.").build();
    retries = meter.counterBuilder("modelwire.client.retries").setDescription("Retries of failed attempts.").build();
    cacheLookups = meter.counterBuilder("modelwire.client.cache.lookups").setDescription("Cache lookups by result.").build();
    coalesced = meter.counterBuilder("modelwire.client.coalesced").setDescription("Calls joined to an identical call in flight.").build();
    breakerTransitions = meter.counterBuilder("modelwire.client.breaker.transitions")
        .setDescription("Circuit breaker state changes.").build();
    fallbacks = meter.counterBuilder("modelwire.client.fallbacks").setDescription("Calls handed to a backup model.").build();
    fleetUnavailable = meter.counterBuilder("modelwire.client.fleet.unavailable")
        .setDescription("Times fleet mode lost Redis (local-only for a while).").build();
    address = baseUrl == null ? null : baseUrl.getHost();
    port = baseUrl == null ? -1 : UrlFull.port(baseUrl);
  }

  @Override
  public void accept(ModelwireEvent e) {
    switch (e.type()) {
      case REQUEST -> {
        if (e.requestId() != null && e.method() != null) methods.put(attemptKey(e), e.method());
      }
      case RESPONSE -> {
        if (e.requestId() != null) methods.remove(attemptKey(e));
        AttributesBuilder a = server(e.method());
        int status = e.status() == null ? 0 : e.status();
        a.put(STATUS, (long) status);
        String errorType = status >= 400 ? Integer.toString(status) : null;
        if (errorType != null) a.put(ERROR_TYPE, errorType);
        httpDuration.record(e.latencyMs() / 1000.0, a.build());
      }
      case REQUEST_ERROR -> {
        String method = e.requestId() == null ? null : methods.remove(attemptKey(e));
        AttributesBuilder a = server(method);
        if (e.errorCode() != null) a.put(ERROR_TYPE, e.errorCode());
        httpDuration.record(e.latencyMs() / 1000.0, a.build());
      }
      case RETRY -> {
        AttributesBuilder a = model(e.model());
        if (e.errorCode() != null) a.put(ERROR_TYPE, e.errorCode());
        retries.add(1, a.build());
      }
      case CACHE_HIT -> {
        AttributesBuilder a = model(e.model()).put(CACHE_RESULT, "hit");
        if (e.tier() != null) a.put(CACHE_TIER, e.tier());
        cacheLookups.add(1, a.build());
      }
      case FLEET_UNAVAILABLE -> fleetUnavailable.add(1);
      case CACHE_MISS -> cacheLookups.add(1, model(e.model()).put(CACHE_RESULT, "miss").build());
      case CACHE_STALE -> cacheLookups.add(1, model(e.model()).put(CACHE_RESULT, "stale").build());
      case COALESCED -> coalesced.add(1, model(e.model()).build());
      case BREAKER_OPEN -> breakerTransitions.add(1, model(e.model()).put(BREAKER_STATE, "open").build());
      case BREAKER_HALF_OPEN -> breakerTransitions.add(1, model(e.model()).put(BREAKER_STATE, "half-open").build());
      case BREAKER_CLOSE -> breakerTransitions.add(1, model(e.model()).put(BREAKER_STATE, "closed").build());
      case FALLBACK -> {
        AttributesBuilder a = model(e.model());
        if (e.to() != null) a.put(FALLBACK_TO, e.to());
        if (e.reason() != null) a.put(FALLBACK_REASON, e.reason());
        fallbacks.add(1, a.build());
      }
      case CALL_END -> {
        AttributesBuilder a = model(e.model());
        if (e.operation() != null) a.put(OPERATION, e.operation());
        if (e.outcome() != null) a.put(OUTCOME, e.outcome());
        Attributes attrs = a.build();
        calls.add(1, attrs);
        callDuration.record(e.latencyMs() / 1000.0, attrs);
      }
      default -> {
        // an event type without a metric
      }
    }
  }

  private static String attemptKey(ModelwireEvent e) {
    return e.requestId() + "#" + e.attempt();
  }

  private AttributesBuilder server(String method) {
    AttributesBuilder a = Attributes.builder();
    if (method != null) a.put(METHOD, method);
    if (address != null) a.put(ADDRESS, address);
    if (port >= 0) a.put(PORT, port);
    return a;
  }

  private static AttributesBuilder model(String model) {
    AttributesBuilder a = Attributes.builder();
    if (model != null) a.put(MODEL, model);
    return a;
  }
}
