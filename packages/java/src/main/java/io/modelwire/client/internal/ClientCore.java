package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.AbortSignal;
import io.modelwire.client.BreakerState;
import io.modelwire.client.CallOptions;
import io.modelwire.client.ClientOptions;
import io.modelwire.client.Prediction;
import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.auth.TokenRequestPolicy;
import io.modelwire.client.internal.stages.Answer;
import io.modelwire.client.internal.stages.Call;
import io.modelwire.client.internal.stages.Errors;
import io.modelwire.client.internal.stages.Events;
import io.modelwire.client.internal.stages.Operation;
import io.modelwire.client.internal.stages.Pipelines;
import io.modelwire.client.internal.stages.SendStage;
import io.modelwire.client.internal.stages.TimeoutStage;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The plumbing behind {@code ModelwireClient}: wires the pipelines from the options, starts each
 * logical call (ids, deadline, the caller's signal, a closed client), and runs operations through
 * the pipeline of their kind.
 *
 * <pre>{@code core.run(CallOptions.NONE, () -> Operations.read(m -> "/health/ready"), null, a -> Results.result(a, Health.class)) }</pre>
 */
public final class ClientCore {
  private final ClientOptions options;
  private final Scheduler scheduler;
  private final TokenSource tokens;
  private final ResponseCache cache; // null when disabled
  private final Breakers breakers; // null when disabled
  private final Pipelines pipelines;
  private final Results results;
  private final OwnedHttp ownedHttp; // released by close() when we created it (null: custom transport)
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Wires a client.
   *
   * @param o validated options
   */
  public ClientCore(ClientOptions o) {
    this.options = o;
    this.scheduler = o.scheduler();
    Transport transport = o.transport();
    OwnedHttp owned = null;
    if (transport == null) {
      owned = OwnedHttp.create(Duration.ofMillis(Math.max(1, o.timeout().toMillis())), o.maxResponseBytes());
      transport = owned.transport();
    }
    this.ownedHttp = owned;
    Events events = new Events(o.onEvent());
    this.breakers = o.breaker().enabled() ? new Breakers(o.breaker(), scheduler, events) : null;
    this.tokens = TokenSource.of(o.auth(), transport, scheduler, TokenRequestPolicy.of(o));
    this.cache = o.cache().enabled() ? new ResponseCache(o.cache(), scheduler) : null;
    SendStage send = new SendStage(o.baseUrl(), transport, tokens, scheduler, events,
        new ResponseLimits(o.maxResponseBytes(), o.maxJsonDepth()));
    this.pipelines = Pipelines.of(o, send, cache, breakers, events);
    this.results = new Results(o.minConfidence());
  }

  /** Envelope mapping (thresholds). {@code core.results()} */
  public Results results() {
    return results;
  }

  /** The clock. {@code core.scheduler()} */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The client's options. {@code core.options()} */
  public ClientOptions options() {
    return options;
  }

  /**
   * A prediction through every stage.
   *
   * @param model model
   * @param data input
   * @param o per-call options
   * @return the prediction
   */
  public CompletableFuture<Prediction> predict(String model, Object data, CallOptions o) {
    return start(o, call -> prepare(model, data, o, call).thenCompose(in -> {
      boolean cached = cache != null && (o.cache() == null || o.cache());
      Operation op = Operations.predict(in.tree(), o.meta(), in.scope(), model, o.version(), in.key());
      return pipelines.run(call.with(op, model, o.version(), UUID.randomUUID().toString(), cached ? in.key() : null))
          .thenApply(results::prediction);
    }));
  }

  /**
   * A job submission (retried with one Idempotency-Key).
   *
   * @param model model
   * @param data input
   * @param o per-call options
   * @return the answer
   */
  public CompletableFuture<Answer> submitJob(String model, Object data, CallOptions o) {
    return start(o, call -> prepare(model, data, o, call).thenCompose(in -> {
      Operation op = Operations.submitJob(in.tree(), o.meta(), in.scope(), in.key(), o.callbackUrl());
      return pipelines.run(call.with(op, model, o.version(), UUID.randomUUID().toString(), null));
    }));
  }

  /**
   * Any other operation (reads, feedback, cancel): the model name and {@code op}'s own checks run
   * first, then the operation's pipeline.
   * POSTs get an Idempotency-Key.
   *
   * <pre>{@code core.run(CallOptions.NONE, () -> Operations.read(m -> "/models"), null, a -> Results.list(a, "models", ModelSummary.class)) }</pre>
   *
   * @param o per-call options
   * @param op builds the descriptor (may throw InvalidInputException)
   * @param model target model or null
   * @param map answer → result
   * @param <T> result type
   * @return the result
   */
  public <T> CompletableFuture<T> run(CallOptions o, java.util.function.Supplier<Operation> op, String model,
      Function<Answer, T> map) {
    return start(o, call -> {
      if (model != null) Inputs.model(model);
      Operation operation = op.get();
      String key = "POST".equals(operation.method()) ? UUID.randomUUID().toString() : null;
      return pipelines.run(call.with(operation, model, null, key, null)).thenApply(map);
    });
  }

  /**
   * The cache scope of a call (explicit, or derived from the credential). The token obtained here
   * is handed to the call's first attempt, so a token provider is asked once per call.
   */
  /** A checked input with its cache scope and key (the key is also the body's input digest). */
  private record Prepared(JsonNode tree, String scope, String key) {}

  /** Checks the model and the input before anything is sent, then derives scope and key. */
  private CompletableFuture<Prepared> prepare(String model, Object data, CallOptions o, Call call) {
    Inputs.model(model);
    JsonNode tree = DataTree.of(data, options.maxJsonDepth());
    Inputs.checkSize(tree, options.maxInputBytes(), call);
    return scope(call).thenApply(scope -> new Prepared(tree, scope, CacheKey.of(model, o.version(), scope, tree)));
  }

  private CompletableFuture<String> scope(Call call) {
    if (options.cache().scope() != null) return CompletableFuture.completedFuture(options.cache().scope());
    return TimeoutStage.withinDeadline(call, scheduler, tokens.token()).thenApply(t -> {
      call.prefetch(t);
      return tokens.scope(t);
    });
  }

  /**
   * Starts a logical call: ids, deadline, the caller's signal linked to the call's own, typed errors.
   *
   * @param o per-call options
   * @param body the call's work (may throw a ModelwireException)
   * @param <T> result type
   * @return the caller's future; cancelling it aborts this call only
   */
  public <T> CompletableFuture<T> start(CallOptions o, Function<Call, CompletableFuture<T>> body) {
    try {
      checkCallOptions(o);
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    AbortSignal internal = new AbortSignal();
    String requestId = o.requestId() != null ? o.requestId() : UUID.randomUUID().toString();
    String traceId = Traceparent.traceIdOf(o.traceparent());
    long deadline = o.deadline() != null ? o.deadline().toMillis() : options.deadline().toMillis();
    long timeout = o.timeout() != null ? o.timeout().toMillis() : options.timeout().toMillis();
    Call call = Call.start(new Call.Ids(requestId, traceId, Traceparent.flagsOf(o.traceparent())),
        scheduler.nowMillis() + deadline, timeout, internal);
    CompletableFuture<T> out = new CompletableFuture<>();
    if (closed.get()) {
      out.completeExceptionally(new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS",
          "the client is closed; build a new one").ids(requestId, traceId)));
      return out;
    }
    Runnable unlisten = o.signal() == null ? () -> {} : o.signal().onAbort(internal::abort);
    CompletableFuture<T> inner;
    try {
      inner = body.apply(call);
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((v, e) -> {
      unlisten.run();
      if (e != null) out.completeExceptionally(Errors.asModelwire(e));
      else out.complete(v);
    });
    // the caller cancelling its future is an abort of this call only
    out.whenComplete((v, e) -> {
      if (out.isCancelled()) internal.abort();
    });
    return out;
  }

  /** The per-call options' own rules, checked before the call starts (no id, no event, no attempt). */
  private static void checkCallOptions(CallOptions o) {
    OptionRules.requestId(o.requestId());
    if (o.timeout() != null) OptionRules.positive(o.timeout(), "timeout");
    if (o.deadline() != null) OptionRules.positive(o.deadline(), "deadline");
  }

  /**
   * The breaker state of a model/version (emits nothing).
   *
   * @param model model
   * @param version version or null
   * @return the state
   */
  public BreakerState breakerState(String model, String version) {
    return breakers == null ? BreakerState.CLOSED : breakers.state(model, version);
  }

  /**
   * Closes once: drops the cache and releases the HTTP client we created.
   *
   * @return false when already closed
   */
  public boolean close() {
    if (!closed.compareAndSet(false, true)) return false;
    if (cache != null) cache.clear();
    if (ownedHttp != null) ownedHttp.close();
    return true;
  }

  /** True once closed. {@code core.isClosed()} */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Joins a future, rethrowing the typed error (the blocking API).
   *
   * <pre>{@code ClientCore.join(client.predictAsync(m, d)) }</pre>
   *
   * @param f the future
   * @param <T> type
   * @return the value
   */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException | CancellationException e) {
      ModelwireException me = Errors.asModelwire(e);
      throw me;
    }
  }
}
