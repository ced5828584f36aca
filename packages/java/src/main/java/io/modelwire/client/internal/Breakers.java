package io.modelwire.client.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.modelwire.client.BreakerOptions;
import io.modelwire.client.BreakerState;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.internal.stages.Events;
import io.modelwire.client.internal.stages.Failures;
import io.modelwire.client.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One resilience4j breaker per (model, pinned version), configured here and only here to the rule of
 * docs/semantics.md: N consecutive failures open it; after the reset timeout exactly one trial is
 * let through; the trial's success closes it, its failure reopens it.
 *
 * <p>The breaker stage records outcomes itself: {@code onSuccess} for 2xx, {@code onError} for
 * failures (5xx, timeout, connection) and {@code releasePermission} for ignored outcomes (4xx, 429,
 * abort, malformed 2xx) — resilience4j's "ignored" path, which neither counts nor resets the window.
 * Transitions are emitted as events synchronously, inside the call that caused them.
 *
 * <pre>{@code CircuitBreaker cb = breakers.get("fraud-score", null); if (!cb.tryAcquirePermission()) … }</pre>
 */
public final class Breakers {
  private final ConcurrentHashMap<String, CircuitBreaker> byKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> openedAt = new ConcurrentHashMap<>();
  private final CircuitBreakerConfig config;
  private final BreakerOptions options;
  private final Scheduler scheduler;
  private final Events events;
  private final java.util.Set<String> tripping = ConcurrentHashMap.newKeySet();
  private volatile io.modelwire.client.internal.fleet.BreakerHints hints; // null: no fleet mode

  /**
   * Creates the registry.
   *
   * <pre>{@code new Breakers(BreakerOptions.defaults(), Scheduler.system(), new Events(e -> {})) }</pre>
   *
   * @param options breaker options
   * @param scheduler clock source
   * @param events event sink
   */
  public Breakers(BreakerOptions options, Scheduler scheduler, Events events) {
    this.options = options;
    this.scheduler = scheduler;
    this.events = events;
    int n = Math.max(1, options.consecutiveFailures());
    this.config = CircuitBreakerConfig.custom()
        // "N consecutive failures": a window of the last N calls that opens only when all N failed
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(n)
        .minimumNumberOfCalls(n)
        .failureRateThreshold(100f)
        // exactly one half-open trial (docs/semantics.md; not configurable)
        .permittedNumberOfCallsInHalfOpenState(1)
        // resilience4j half-opens when now is strictly after open+wait; with ms clocks, wait-1 makes
        // that "now >= open + resetTimeout", the rule of docs/semantics.md.
        .waitDurationInOpenState(Duration.ofMillis(Math.max(1, options.resetTimeoutMs() - 1)))
        // no timer thread: the next attempt after the reset timeout half-opens (and is the trial)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        // the trial decides, however long it takes
        .maxWaitDurationInHalfOpenState(Duration.ZERO)
        // slow calls never open the breaker: the per-attempt timeout is the only latency rule
        .slowCallRateThreshold(100f)
        .slowCallDurationThreshold(Duration.ofDays(36_500))
        .recordException(Failures::isBreakerFailure)
        .ignoreException(t -> !Failures.isBreakerFailure(t))
        // the stage passes our own typed errors; their stack traces are never needed here
        .writableStackTraceEnabled(false)
        // virtual time in tests
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
        boolean fromFleet = type == ModelwireEvent.Type.BREAKER_OPEN && tripping.contains(k);
        events.breaker(type, model, version, fromFleet);
        io.modelwire.client.internal.fleet.BreakerHints h = hints;
        // only breakers this instance opened on its own failures are reported (no cascades)
        if (h != null && !fromFleet && type != ModelwireEvent.Type.BREAKER_HALF_OPEN) {
          h.reported(model, version, type == ModelwireEvent.Type.BREAKER_OPEN);
        }
      });
      return cb;
    });
  }

  /**
   * The state as the caller would experience it now (emits nothing, changes nothing): an open breaker whose reset timeout has
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

  /**
   * Fleet mode's breaker hints (set once by the client).
   *
   * @param h the hints
   */
  public void hints(io.modelwire.client.internal.fleet.BreakerHints h) {
    this.hints = h;
  }

  /** The hints or null. {@code breakers.hints()} @return them */
  public io.modelwire.client.internal.fleet.BreakerHints hints() {
    return hints;
  }

  /**
   * Opens a closed breaker on the fleet's word (a quorum of other instances opened theirs); it then
   * goes half-open after its own reset timeout like any other. An open or half-open one is left alone.
   *
   * @param model model
   * @param version pinned version or null
   */
  public void trip(String model, String version) {
    String key = key(model, version);
    CircuitBreaker cb = get(model, version);
    if (cb.getState() != CircuitBreaker.State.CLOSED) return;
    tripping.add(key);
    try {
      cb.transitionToOpenState();
    } catch (RuntimeException raced) {
      // another thread changed the state first: leave it
    } finally {
      tripping.remove(key);
    }
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
