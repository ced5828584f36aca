package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.AbortSignal;
import io.modelwire.client.CacheOptions;
import io.modelwire.client.Fallback;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Prediction;
import io.modelwire.client.Scheduler;
import io.modelwire.client.ServedModel;
import io.modelwire.client.errors.AbortedException;
import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.ModelwireException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The prediction pipeline, declared in one place, in this order:
 *
 * <pre>
 * cache → coalesce → fallback → retry → breaker → per-attempt timeout → transport
 * </pre>
 *
 * <p>{@link #predict} does the first three stages; {@link RetryLoop} does the rest.
 *
 * <pre>{@code pipeline.predict(ctx, "fraud-score", null, data, meta, true) }</pre>
 */
public final class Pipeline {
  private final RetryLoop retry;
  private final ResponseCache cache; // null when disabled
  private final CacheOptions cacheOptions;
  private final Coalescer<Prediction> coalescer = new Coalescer<>();
  private final Function<String, String> fallbacks;
  private final TokenSource tokens;
  private final String explicitScope;
  private final Double minConfidence;
  private final Map<String, Double> modelThresholds = new ConcurrentHashMap<>();
  private final Consumer<ModelwireEvent> events;
  private final Scheduler scheduler;

  /**
   * Wires the stages.
   *
   * <pre>{@code new Pipeline(retryLoop, cache, cacheOptions, m -> null, tokens, null, null, events, scheduler) }</pre>
   *
   * @param retry retry loop (retry → breaker → timeout → transport)
   * @param cache response cache or null
   * @param cacheOptions cache options
   * @param fallbacks model → backup model (or null)
   * @param tokens token source (for the cache scope)
   * @param explicitScope explicit cacheScope or null
   * @param minConfidence client-wide minConfidence or null
   * @param events event sink
   * @param scheduler clock and timers
   */
  public Pipeline(RetryLoop retry, ResponseCache cache, CacheOptions cacheOptions, Function<String, String> fallbacks,
      TokenSource tokens, String explicitScope, Double minConfidence, Consumer<ModelwireEvent> events, Scheduler scheduler) {
    this.scheduler = scheduler;
    this.retry = retry;
    this.cache = cache;
    this.cacheOptions = cacheOptions;
    this.fallbacks = fallbacks;
    this.tokens = tokens;
    this.explicitScope = explicitScope;
    this.minConfidence = minConfidence;
    this.events = events;
  }

  /**
   * Remembers a model's {@code thresholds.min_confidence} (learnt from modelInfo).
   *
   * <pre>{@code pipeline.rememberThreshold("fraud-score", 0.6) }</pre>
   *
   * @param model model
   * @param min threshold or null to forget
   */
  public void rememberThreshold(String model, Double min) {
    if (min == null) modelThresholds.remove(model);
    else modelThresholds.put(model, min);
  }

  /** The retry loop (used by non-predict operations). {@code pipeline.retryLoop()} */
  public RetryLoop retryLoop() {
    return retry;
  }

  /** The cache or null (tests). {@code pipeline.cache()} */
  public ResponseCache cache() {
    return cache;
  }

  /**
   * The cache scope of a call (explicit, or derived from the credential). The token obtained here
   * is handed to the call's first attempt, so a token provider is asked once, and the scope is that
   * of the token the call really uses.
   *
   * <pre>{@code pipeline.scope(ctx).join() // "anonymous" }</pre>
   *
   * @param ctx the call
   * @return the scope
   */
  public CompletableFuture<String> scope(CallContext ctx) {
    if (explicitScope != null) return CompletableFuture.completedFuture(explicitScope);
    return tokens.token().thenApply(t -> {
      ctx.prefetchedToken.set(t);
      return tokens.scope(t);
    });
  }

  /**
   * Runs a prediction through the whole pipeline.
   *
   * <pre>{@code pipeline.predict(ctx, "fraud-score", "2", data, Map.of(), true) }</pre>
   *
   * @param ctx the logical call
   * @param model model
   * @param version pinned version or null
   * @param data input tree
   * @param meta extra meta or null
   * @param useCache false skips cache and coalescing
   * @return the prediction
   */
  public CompletableFuture<Prediction> predict(CallContext ctx, String model, String version, JsonNode data,
      Map<String, Object> meta, boolean useCache) {
    boolean cached = useCache && cache != null;
    return scope(ctx).thenCompose(scope -> {
      String key = CacheKey.of(model, version, scope, data); // also rejects NaN/Infinity
      // 1. cache
      if (cached) {
        ResponseCache.Entry hit = cache.getFresh(key);
        if (hit != null) {
          events.accept(new ModelwireEvent(ModelwireEvent.Type.CACHE_HIT, model, version, ctx.requestId, 0, null, 0, null, null));
          return CompletableFuture.completedFuture(copy(hit.prediction(), true, false, 0));
        }
        events.accept(new ModelwireEvent(ModelwireEvent.Type.CACHE_MISS, model, version, ctx.requestId, 0, null, 0, null, null));
      }
      Function<AbortSignal, CompletableFuture<Prediction>> upstream = signal ->
          fallback(ctx.withSignal(signal), model, version, scope, key, data, meta, cached).thenApply(p -> {
            if (cached && p.fallback() == null && !p.stale()) {
              try {
                cache.put(key, p, sizeOf(p));
              } catch (RuntimeException ignored) {
                // a cache failure must never fail a call that succeeded
              }
            }
            return p;
          });
      // 2. coalesce
      if (!cached) return upstream.apply(ctx.signal);
      return coalescer.join(key, ctx.signal, upstream, () -> new AbortedException(
          ErrorInfo.of("ABORTED", "the call was aborted by the caller").ids(ctx.requestId, ctx.traceId)),
          mine -> {
            // a joiner keeps its own deadline: it leaves the shared call when its time is up
            CompletableFuture<Void> timer = scheduler.delay(Math.max(0, ctx.deadlineAt - scheduler.nowMillis()));
            timer.thenRun(() -> mine.completeExceptionally(new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED",
                "the call's deadline passed while an identical call was in flight; raise deadline or check the model")
                .ids(ctx.requestId, ctx.traceId))));
            mine.whenComplete((v, e) -> timer.cancel(false));
          });
    });
  }

  // 3. fallback (depth 1), then stale-if-error
  private CompletableFuture<Prediction> fallback(CallContext ctx, String model, String version, String scope,
      String key, JsonNode data, Map<String, Object> meta, boolean cached) {
    return retry.run(ctx, predictOp(ctx, model, version, key, data, meta), UUID.randomUUID().toString())
        .thenApply(reply -> toPrediction(ctx, reply, null))
        .exceptionallyCompose(err -> {
          ModelwireException primary = asModelwire(err);
          String reason = primary instanceof CircuitOpenException ? "circuit_open"
              : Failures.isFallbackFailure(primary) ? "retries_exhausted" : null;
          if (reason == null) return CompletableFuture.failedFuture(primary);
          String backup = fallbacks.apply(model);
          if (backup == null || backup.equals(model)) return stale(primary, key, cached, ctx);
          events.accept(new ModelwireEvent(ModelwireEvent.Type.FALLBACK, model, version, ctx.requestId,
              ctx.attempts(), primary.httpStatus(), 0, primary.code(), backup));
          String backupKey = CacheKey.of(backup, null, scope, data);
          Fallback fb = new Fallback(model, backup, reason);
          // the backup gets its own Idempotency-Key and no version pin; same request id and trace
          return retry.run(ctx, predictOp(ctx, backup, null, backupKey, data, meta), UUID.randomUUID().toString())
              .thenApply(reply -> toPrediction(ctx, reply, fb))
              .exceptionallyCompose(err2 -> {
                primary.addSuppressed(asModelwire(err2));
                primary.withAttempts(ctx.attempts());
                return stale(primary, key, cached, ctx);
              });
        });
  }

  private CompletableFuture<Prediction> stale(ModelwireException primary, String key, boolean cached, CallContext ctx) {
    if (cached && cacheOptions.staleIfError()) {
      ResponseCache.Entry old = cache.getAny(key);
      if (old != null) return CompletableFuture.completedFuture(copy(old.prediction(), true, true, ctx.attempts()));
    }
    return CompletableFuture.failedFuture(primary);
  }

  private Operation predictOp(CallContext ctx, String model, String version, String key, JsonNode data,
      Map<String, Object> meta) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("request_id", ctx.requestId);
    body.set("data", data);
    ObjectNode m = body.putObject("meta");
    if (meta != null) meta.forEach((k, v) -> m.set(k, Json.MAPPER.valueToTree(v)));
    m.put("input_digest", key);
    if (!m.has("client")) m.put("client", RetryLoop.CLIENT);
    return new Operation("POST", "/models/" + model + "/predict", model, version, body, true);
  }

  private Prediction toPrediction(CallContext ctx, Reply reply, Fallback fb) {
    JsonNode env = reply.envelope();
    JsonNode result = env.path("result");
    Double confidence = result.path("confidence").isNumber() ? result.path("confidence").doubleValue() : null;
    Double uncertainty = result.path("uncertainty_score").isNumber() ? result.path("uncertainty_score").doubleValue() : null;
    JsonNode mm = env.path("model");
    String name = mm.path("name").isTextual() ? mm.path("name").textValue() : reply.model();
    String version = mm.path("version").isTextual() ? mm.path("version").textValue()
        : reply.response().header("X-Model-Version");
    Double threshold = minConfidence != null ? minConfidence : modelThresholds.get(reply.model());
    boolean low = confidence != null && threshold != null && confidence < threshold;
    String requestId = env.path("request_id").isTextual() ? env.path("request_id").textValue() : ctx.requestId;
    String traceId = env.path("trace_id").isTextual() ? env.path("trace_id").textValue() : ctx.traceId;
    return new Prediction(result, confidence, uncertainty, low, requestId, traceId, new ServedModel(name, version),
        false, false, fb, ctx.attempts());
  }

  private static Prediction copy(Prediction p, boolean cached, boolean stale, int attempts) {
    return new Prediction(p.result(), p.confidence(), p.uncertaintyScore(), p.lowConfidence(), p.requestId(),
        p.traceId(), p.model(), cached, stale, null, attempts);
  }

  private static int sizeOf(Prediction p) {
    try {
      return Json.MAPPER.writeValueAsBytes(p.result()).length;
    } catch (Exception e) {
      return Integer.MAX_VALUE;
    }
  }

  /**
   * The ModelwireException inside a future's failure.
   *
   * <pre>{@code Pipeline.asModelwire(completionException) }</pre>
   *
   * @param t failure
   * @return the typed error (wrapping unexpected ones as a Server error)
   */
  public static ModelwireException asModelwire(Throwable t) {
    Throwable c = ErrorMapper.unwrap(t);
    if (c instanceof ModelwireException m) return m;
    if (c instanceof java.util.concurrent.CancellationException) {
      return new AbortedException(ErrorInfo.of("ABORTED", "the call was cancelled by the caller"));
    }
    return new io.modelwire.client.errors.ServerException(ErrorInfo.of("INTERNAL",
        "unexpected client failure: " + c.getClass().getSimpleName() + "; please report it").cause(c));
  }
}
