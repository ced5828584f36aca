package io.modelwire.client.internal.stages;

import io.modelwire.client.ClientOptions;
import io.modelwire.client.internal.Breakers;
import io.modelwire.client.internal.ResponseCache;
import io.modelwire.client.internal.RetryBudget;
import io.modelwire.client.internal.stages.Operation.Kind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * THE pipeline, assembled in this one place (as TS {@code OPERATION_STAGES} in pipeline.ts). Every
 * operation runs a subsequence of {@link Step}, in this order, ending with one HTTP attempt:
 *
 * <pre>
 * cache → coalesce → fallback → retry → breaker → per-attempt timeout → send
 * </pre>
 *
 * <pre>{@code pipelines.run(call.with(op, "fraud-score", null, key, cacheKey)) }</pre>
 */
public final class Pipelines {
  /** The stages, declared in pipeline order. {@code Step.CACHE} */
  public enum Step { CACHE, COALESCE, FALLBACK, RETRY, BREAKER, TIMEOUT }

  /** Which stages each kind of operation uses: predictions get all of them. */
  public static final Map<Kind, List<Step>> OPERATION_STAGES = Map.of(
      Kind.PREDICT, List.of(Step.values()),
      Kind.SUBMIT_JOB, List.of(Step.RETRY, Step.BREAKER, Step.TIMEOUT),
      Kind.READ, List.of(Step.RETRY, Step.TIMEOUT),
      Kind.WRITE, List.of(Step.RETRY, Step.TIMEOUT));

  private final Map<Kind, Stage.Chain> chains = new EnumMap<>(Kind.class);

  /**
   * Composes the stages around {@code send} for every operation kind. A stage that is off (no
   * cache, no breaker) is left out.
   *
   * <pre>{@code new Pipelines(stages, send) }</pre>
   *
   * @param stages the stage of each step (absent: off)
   * @param send the last step, one HTTP attempt
   */
  public Pipelines(Map<Step, Stage> stages, Stage.Chain send) {
    OPERATION_STAGES.forEach((kind, steps) -> chains.put(kind, compose(stages, send, steps)));
  }

  /**
   * Wires the stages of a client from its options.
   *
   * <pre>{@code Pipelines.of(options, send, cache, breakers, events) }</pre>
   *
   * @param o client options
   * @param send the last step
   * @param cache the response cache or null (off)
   * @param breakers the breaker registry or null (off)
   * @param events event sink
   * @return the pipelines
   */
  public static Pipelines of(ClientOptions o, Stage.Chain send, ResponseCache cache, Breakers breakers, Events events) {
    return of(o, send, cache, breakers, events, null);
  }

  /**
   * Wires the stages of a client from its options, with fleet mode's shared cache.
   *
   * @param o client options
   * @param send the last step
   * @param cache the response cache or null (off)
   * @param breakers the breaker registry or null (off)
   * @param events event sink
   * @param fleet the shared cache on Redis or null (off)
   * @return the pipelines
   */
  public static Pipelines of(ClientOptions o, Stage.Chain send, ResponseCache cache, Breakers breakers, Events events,
      io.modelwire.client.internal.fleet.FleetTier fleet) {
    Map<Step, Stage> stages = new EnumMap<>(Step.class);
    if (cache != null) {
      stages.put(Step.CACHE, new CacheStage(cache, o.cache().staleIfError(), events, fleet));
      stages.put(Step.COALESCE, new CoalesceStage(o.scheduler(), events, fleet)); // only cached calls coalesce
    }
    stages.put(Step.FALLBACK, new FallbackStage(o.fallbacks(), events));
    RetryBudget budget = new RetryBudget(o.retry().budgetEnabled(), o.retry().budgetMaxTokens(),
        o.retry().budgetRetryCost(), o.retry().budgetSuccessRefill());
    stages.put(Step.RETRY, new RetryStage(o.retry(), budget, o.scheduler(), o.random(), events));
    if (breakers != null) stages.put(Step.BREAKER, new BreakerStage(breakers));
    stages.put(Step.TIMEOUT, new TimeoutStage(o.scheduler()));
    return new Pipelines(stages, send);
  }

  /**
   * Runs a call through the pipeline of its operation's kind.
   *
   * @param call the call (with its operation)
   * @return the answer
   */
  public CompletableFuture<Answer> run(Call call) {
    return chains.get(call.op().kind()).proceed(call);
  }

  private static Stage.Chain compose(Map<Step, Stage> stages, Stage.Chain send, List<Step> steps) {
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).ordinal() <= steps.get(i - 1).ordinal()) {
        throw new IllegalStateException("pipeline step " + steps.get(i) + " is out of order; the order is "
            + List.of(Step.values()));
      }
    }
    Stage.Chain chain = send;
    for (int i = steps.size() - 1; i >= 0; i--) {
      Stage stage = stages.get(steps.get(i));
      if (stage == null) continue;
      Stage.Chain rest = chain;
      chain = call -> stage.proceed(call, rest);
    }
    return chain;
  }
}
