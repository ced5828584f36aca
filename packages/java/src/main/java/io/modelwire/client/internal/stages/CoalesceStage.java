package io.modelwire.client.internal.stages;

import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Scheduler;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.internal.Coalescer;
import io.modelwire.client.internal.fleet.FleetCoalesce;
import io.modelwire.client.internal.fleet.FleetTier;
import java.util.concurrent.CompletableFuture;

/**
 * Shares one upstream call among identical cached calls in flight (same cache key). The shared call
 * runs with its own abort signal: one caller leaving rejects only that caller, and the upstream is
 * aborted when every caller has left. A caller that joins keeps its own deadline.
 *
 * <pre>{@code new CoalesceStage(scheduler, events) }</pre>
 */
public final class CoalesceStage implements Stage {
  private final Coalescer<Answer> coalescer = new Coalescer<>();
  private final Scheduler scheduler;
  private final Events events;
  private final FleetCoalesce fleet; // null: no fleet coalescing

  /**
   * Creates the stage.
   *
   * @param scheduler clock and timers (joiners' deadlines)
   * @param events event sink
   */
  public CoalesceStage(Scheduler scheduler, Events events) {
    this(scheduler, events, null);
  }

  /**
   * Creates the stage with fleet coalescing (the flight of this instance goes through the fleet's lock).
   *
   * @param scheduler clock and timers (joiners' deadlines)
   * @param events event sink
   * @param tier the fleet's Redis side or null
   */
  public CoalesceStage(Scheduler scheduler, Events events, FleetTier tier) {
    this.scheduler = scheduler;
    this.events = events;
    this.fleet = tier == null ? null : new FleetCoalesce(tier, scheduler, call -> {
      if (call.facts() != null) call.facts().markCoalesced();
      events.coalesced(call, "redis");
    });
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call, Chain next) {
    if (call.cacheKey() == null) return next.proceed(call);
    String key = call.cacheKey();
    return coalescer.join(key, call.signal(), signal -> fleet == null
            ? next.proceed(call.withSignal(signal)) : fleet.flight(call.withSignal(signal), key, next),
        () -> Aborts.of(call), mine -> {
          if (call.facts() != null) call.facts().markCoalesced();
          events.coalesced(call, "memory");
          // a joiner keeps its own deadline: it leaves the shared call when its time is up
          CompletableFuture<Void> timer = scheduler.delay(Math.max(0, call.deadlineAt() - scheduler.nowMillis()));
          timer.thenRun(() -> mine.completeExceptionally(new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED",
              "the call's deadline passed while an identical call was in flight; raise deadline or check the model")
              .ids(call.requestId(), call.traceId()))));
          mine.whenComplete((v, e) -> timer.cancel(false));
        });
  }
}
