package io.modelwire.client.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.modelwire.client.BreakerOptions;
import io.modelwire.client.BreakerState;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One resilience4j breaker per (model, pinned version), configured to "N consecutive failures":
 * COUNT_BASED window N, minimum N calls, failure rate threshold 100 %, one half-open trial,
 * slow-call opening off, no automatic open→half-open timer (the transition happens on the next
 * attempt after the reset timeout), and the injected clock.
 *
 * <p>The pipeline records outcomes itself: {@code onSuccess} for 2xx, {@code onError} for failures
 * (5xx, timeout, connection) and {@code releasePermission} for ignored outcomes (4xx, 429, abort,
 * malformed 2xx) — resilience4j's "ignored" path, which neither counts nor resets the window.
 *
 * <pre>{@code CircuitBreaker cb = breakers.get("fraud-score", null); if (!cb.tryAcquirePermission()) … }</pre>
 */
public final class Breakers {
  private final ConcurrentHashMap<String, CircuitBreaker> byKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> openedAt = new ConcurrentHashMap<>();
  private final CircuitBreakerConfig config;
  private final BreakerOptions options;
  private final Scheduler scheduler;
  private final Consumer<ModelwireEvent> events;

  /**
   * Creates the registry.
   *
   * <pre>{@code new Breakers(BreakerOptions.defaults(), Scheduler.system(), e -> {}) }</pre>
   *
   * @param options breaker options
   * @param scheduler clock source
   * @param events event sink
   */
  public Breakers(BreakerOptions options, Scheduler scheduler, Consumer<ModelwireEvent> events) {
    this.options = options;
    this.scheduler = scheduler;
    this.events = events;
    int n = Math.max(1, options.consecutiveFailures());
    this.config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(n)
        .minimumNumberOfCalls(n)
        .failureRateThreshold(100f)
        .permittedNumberOfCallsInHalfOpenState(Math.max(1, options.halfOpenMaxCalls()))
        // resilience4j half-opens when now is strictly after open+wait; with ms clocks, wait-1 makes
        // that "now >= open + resetTimeout", the rule of docs/semantics.md.
        .waitDurationInOpenState(Duration.ofMillis(Math.max(1, options.resetTimeoutMs() - 1)))
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .maxWaitDurationInHalfOpenState(Duration.ZERO)
        .slowCallRateThreshold(100f)
        .slowCallDurationThreshold(Duration.ofDays(36_500)) // slow-call opening off
        .recordException(Failures::isBreakerFailure)
        .ignoreException(t -> !Failures.isBreakerFailure(t))
        .writableStackTraceEnabled(false)
        .clock(new SchedulerClock(scheduler))
        .build();
  }

  /**
   * The breaker of a model/version, created on first use.
   *
   * <pre>{@code breakers.get("fraud-score", "2") }</pre>
   *
   * @param model model
   * @param version pinned version or null
   * @return the breaker
   */
  public CircuitBreaker get(String model, String version) {
    String key = key(model, version);
    CircuitBreaker existing = byKey.get(key);
    if (existing != null) return existing;
    return byKey.computeIfAbsent(key, k -> {
      CircuitBreaker cb = CircuitBreaker.of("modelwire:" + k, config);
      cb.getEventPublisher().onStateTransition(ev -> {
        CircuitBreaker.State to = ev.getStateTransition().getToState();
        ModelwireEvent.Type type = switch (to) {
          case OPEN, FORCED_OPEN -> ModelwireEvent.Type.BREAKER_OPEN;
          case HALF_OPEN -> ModelwireEvent.Type.BREAKER_HALF_OPEN;
          default -> ModelwireEvent.Type.BREAKER_CLOSE;
        };
        if (type == ModelwireEvent.Type.BREAKER_OPEN) openedAt.put(k, scheduler.nowMillis());
        events.accept(new ModelwireEvent(type, model, version, null, 0, null, 0, null,
            ev.getStateTransition().toString()));
      });
      return cb;
    });
  }

  /**
   * The state as the caller would experience it now: an open breaker whose reset timeout has
   * passed reports HALF_OPEN (its next attempt is the trial).
   *
   * <pre>{@code breakers.state("fraud-score", null) }</pre>
   *
   * @param model model
   * @param version version or null
   * @return the state
   */
  public BreakerState state(String model, String version) {
    String key = key(model, version);
    CircuitBreaker cb = byKey.get(key);
    if (cb == null) return BreakerState.CLOSED;
    return switch (cb.getState()) {
      case OPEN, FORCED_OPEN -> {
        Long at = openedAt.get(key);
        yield at != null && scheduler.nowMillis() - at >= options.resetTimeoutMs()
            ? BreakerState.HALF_OPEN : BreakerState.OPEN;
      }
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      default -> BreakerState.CLOSED;
    };
  }

  private static String key(String model, String version) {
    return version == null ? model : model + "@" + version;
  }

  /** A java.time.Clock over the injected scheduler, so resilience4j's timers run on virtual time. */
  private static final class SchedulerClock extends Clock {
    private final Scheduler scheduler;

    SchedulerClock(Scheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(scheduler.nowMillis());
    }

    @Override
    public long millis() {
      return scheduler.nowMillis();
    }
  }
}
