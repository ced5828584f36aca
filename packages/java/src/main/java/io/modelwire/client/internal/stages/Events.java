package io.modelwire.client.internal.stages;

import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.ModelwireEvent.Type;
import java.util.function.Consumer;

/**
 * Builds the events of docs/semantics.md ("Events") with exactly the fields each type carries, and
 * hands them to the client's listener (which never throws: see {@link #safe}).
 *
 * <pre>{@code events.retry(call, 120, "MODEL_UNAVAILABLE") }</pre>
 */
public final class Events {
  private final Consumer<ModelwireEvent> sink; // null: nobody listens, hot paths build nothing

  /**
   * Wraps a listener; one that throws is ignored (a faulty listener must never break a call).
   *
   * <pre>{@code new Events(e -> metrics.record(e)) }</pre>
   *
   * @param listener the user's listener or null
   */
  public Events(Consumer<ModelwireEvent> listener) {
    this(listener, null);
  }

  /**
   * Wraps the user's listener and the client's own metrics listener (telemetry); each one that
   * throws is ignored, and one failing never keeps an event from the other.
   *
   * <pre>{@code new Events(userListener, telemetry.metrics()) }</pre>
   *
   * @param listener the user's listener or null
   * @param metrics the metrics listener or null
   */
  public Events(Consumer<ModelwireEvent> listener, Consumer<ModelwireEvent> metrics) {
    if (listener == null) this.sink = metrics;
    else if (metrics == null) this.sink = listener;
    else this.sink = e -> {
      try {
        listener.accept(e);
      } catch (RuntimeException ignored) {
        // a faulty listener must never break a call (nor the metrics)
      }
      metrics.accept(e);
    };
  }

  /** True when someone listens (the user or the metrics). {@code events.active()} */
  public boolean active() {
    return sink != null;
  }

  private void emit(ModelwireEvent e) {
    try {
      sink.accept(e);
    } catch (RuntimeException ignored) {
      // a faulty listener must never break a call
    }
  }

  // cache_hit, cache_miss, coalesced, cache_stale: about the call, not an attempt
  void callLevel(Type type, Call call) {
    if (sink == null) return;
    emit(new ModelwireEvent(type, call.model(), call.version(), call.requestId(), 0, null, null, null, 0, null,
        0, null, null));
  }

  void coalesced(Call call, String tier) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.COALESCED, call.model(), call.version(), call.requestId(), 0, null, null, null, 0,
        null, 0, null, null, null, null, 0, false, false, null, tier));
  }

  void cacheHit(Call call, String tier) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.CACHE_HIT, call.model(), call.version(), call.requestId(), 0, null, null, null, 0,
        null, 0, null, null, null, null, 0, false, false, null, tier));
  }

  /**
   * A fleet-mode event (fleet_unavailable, fleet_available, fleet_entry_rejected).
   *
   * @param type the type
   * @param model the call's model or null
   * @param version the call's version or null
   * @param requestId the call's id or null
   * @param reason the reason or null
   */
  public void fleet(Type type, String model, String version, String requestId, String reason) {
    if (sink == null) return;
    emit(new ModelwireEvent(type, model, version, requestId, 0, null, null, null, 0, null, 0, null, reason));
  }

  void request(Call call, int attempt, String path) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.REQUEST, call.model(), call.version(), call.requestId(), attempt,
        call.op().method(), path, null, 0, null, 0, null, null));
  }

  void response(Call call, int attempt, String path, int status, double latencyMs) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.RESPONSE, call.model(), call.version(), call.requestId(), attempt,
        call.op().method(), path, status, latencyMs, null, 0, null, null));
  }

  void requestError(Call call, int attempt, String code, double latencyMs) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.REQUEST_ERROR, call.model(), call.version(), call.requestId(), attempt, null,
        null, null, latencyMs, code, 0, null, null));
  }

  void retry(Call call, long delayMs, String code) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.RETRY, call.model(), call.version(), call.requestId(), call.attempts(), null,
        null, null, 0, code, delayMs, null, null));
  }

  void fallback(Call call, String to, String reason) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.FALLBACK, call.model(), call.version(), call.requestId(), 0, null, null, null,
        0, null, 0, to, reason));
  }

  /**
   * The logical call settled (its last event).
   *
   * <pre>{@code events.callEnd(facts) }</pre>
   *
   * @param f what the call did (settled)
   */
  public void callEnd(io.modelwire.client.internal.telemetry.CallFacts f) {
    if (sink == null) return;
    emit(new ModelwireEvent(Type.CALL_END, f.model(), f.version(), f.requestId(), 0, null, null, null, f.latencyMs(),
        null, 0, null, null, f.operation(), f.outcome(), f.attempts(), f.cached(), f.coalesced(), f.fallbackTo()));
  }

  /**
   * A breaker of (model, pinned version) changed state.
   *
   * <pre>{@code events.breaker(Type.BREAKER_OPEN, "fraud-score", null) }</pre>
   *
   * @param type BREAKER_OPEN, BREAKER_HALF_OPEN or BREAKER_CLOSE
   * @param model model
   * @param version pinned version or null
   */
  public void breaker(Type type, String model, String version) {
    breaker(type, model, version, false);
  }

  /**
   * A breaker of (model, pinned version) changed state; {@code fleet}: opened by the fleet's hints.
   *
   * @param type BREAKER_OPEN, BREAKER_HALF_OPEN or BREAKER_CLOSE
   * @param model model
   * @param version pinned version or null
   * @param fleet opened on the fleet's word (a quorum of other instances)
   */
  public void breaker(Type type, String model, String version, boolean fleet) {
    if (sink == null) return;
    emit(new ModelwireEvent(type, model, version, null, 0, null, null, null, 0, null, 0, null, null, null, null, 0,
        false, false, null, null, fleet));
  }
}
