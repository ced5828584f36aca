package io.modelwire.client.internal;

import io.modelwire.client.BreakerOptions;
import io.modelwire.client.BreakerState;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Scheduler;
import io.modelwire.client.internal.fleet.BreakerHints;
import io.modelwire.client.internal.stages.Events;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link ConsecutiveBreaker} per (model, pinned version), configured here and only here to the
 * rule of docs/semantics.md: N consecutive failures open it; after the reset timeout exactly one trial
 * is let through; the trial's success closes it, its failure reopens it.
 *
 * <p>The breaker stage records outcomes itself: {@code onSuccess} for 2xx, {@code onError} for
 * failures (5xx, timeout, connection) and {@code releasePermission} for ignored outcomes (4xx, 429,
 * abort, malformed 2xx), which neither count nor reset the streak. Transitions are emitted as events
 * synchronously, inside the call that caused them.
 *
 * <pre>{@code ConsecutiveBreaker cb = breakers.get("fraud-score", null); if (!cb.tryAcquirePermission()) … }</pre>
 */
public final class Breakers {
  private final ConcurrentHashMap<String, ConsecutiveBreaker> byKey = new ConcurrentHashMap<>();
  private final BreakerOptions options;
  private final Scheduler scheduler;
  private final Events events;
  private volatile BreakerHints hints; // null: no fleet mode

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
  public ConsecutiveBreaker get(String model, String version) {
    String key = key(model, version);
    ConsecutiveBreaker existing = byKey.get(key);
    if (existing != null) return existing;
    return byKey.computeIfAbsent(key, k -> new ConsecutiveBreaker(options.consecutiveFailures(),
        options.resetTimeoutMs(), scheduler, (to, fromFleet) -> {
          ModelwireEvent.Type type = switch (to) {
            case OPEN -> ModelwireEvent.Type.BREAKER_OPEN;
            case HALF_OPEN -> ModelwireEvent.Type.BREAKER_HALF_OPEN;
            case CLOSED -> ModelwireEvent.Type.BREAKER_CLOSE;
          };
          events.breaker(type, model, version, fromFleet);
          BreakerHints h = hints;
          // only breakers this instance opened on its own failures are reported (no cascades)
          if (h != null && !fromFleet && type != ModelwireEvent.Type.BREAKER_HALF_OPEN) {
            h.reported(model, version, type == ModelwireEvent.Type.BREAKER_OPEN);
          }
        }));
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
    ConsecutiveBreaker cb = byKey.get(key(model, version));
    return cb == null ? BreakerState.CLOSED : cb.state();
  }

  /**
   * Fleet mode's breaker hints (set once by the client).
   *
   * @param h the hints
   */
  public void hints(BreakerHints h) {
    this.hints = h;
  }

  /** The hints or null. {@code breakers.hints()} @return them */
  public BreakerHints hints() {
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
    get(model, version).trip();
  }

  private static String key(String model, String version) {
    return version == null ? model : model + "@" + version;
  }
}
