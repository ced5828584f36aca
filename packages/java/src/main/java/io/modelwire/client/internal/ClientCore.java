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
import io.modelwire.client.internal.telemetry.CallFacts;
import io.modelwire.client.internal.telemetry.CallSpan;
import io.modelwire.client.internal.telemetry.Telemetry;
import io.modelwire.client.internal.telemetry.TelemetryLoader;
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
  private final OwnedHttp ownedHttp; // released by close() when we created it (null: custom transport or the caller's HttpClient)
  private final Telemetry telemetry;
  private final Events events;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final io.modelwire.client.internal.fleet.FleetTier fleet; // null: fleet mode off (never closes Redis)

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
    if (transport == null && o.httpClient() != null) {
      // the caller's client: used as is, never closed (close() below has nothing of it to release)
      transport = new HttpTransport(o.httpClient(), o.maxResponseBytes());
    } else if (transport == null) {
      owned = OwnedHttp.create(Duration.ofMillis(Math.max(1, o.timeout().toMillis())), o.maxResponseBytes());
      transport = owned.transport();
    }
    this.ownedHttp = owned;
    this.telemetry = TelemetryLoader.load(o.telemetry(), o.openTelemetry(), o.baseUrl());
    Events events = new Events(o.onEvent(), telemetry.metrics());
    this.events = events;
    this.breakers = o.breaker().enabled() ? new Breakers(o.breaker(), scheduler, events) : null;
    this.tokens = TokenSource.of(o.auth(), transport, scheduler, TokenRequestPolicy.of(o));
    this.cache = o.cache().enabled() ? new ResponseCache(o.cache(), scheduler) : null;
    SendStage send = new SendStage(o.baseUrl(), transport, tokens, scheduler, events,
        new ResponseLimits(o.maxResponseBytes(), o.maxJsonDepth()));
    this.fleet = o.fleet() != null
        ? new io.modelwire.client.internal.fleet.FleetTier(o.fleet(), o.cache(),
            new ResponseLimits(o.maxResponseBytes(), o.maxJsonDepth()), events) : null;
    if (fleet != null && breakers != null) {
      breakers.hints(new io.modelwire.client.internal.fleet.BreakerHints(fleet, o.breaker().resetTimeoutMs()));
    }
    this.pipelines = Pipelines.of(o, send, cache, breakers, events, cache != null ? fleet : null);
    this.results = new Results(o.minConfidence());
  }

  /** The client's telemetry (spans, metrics). {@code core.telemetry()} */
  public Telemetry telemetry() {
    return telemetry;
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
    return start(o, "predict", model, o.version(), call -> check(model, data, call), (call, tree) ->
        prepare(model, tree, o, call).thenCompose(in -> {
          boolean cached = cache != null && (o.cache() == null || o.cache());
          Operation op = Operations.predict(in.tree(), o.meta(), in.scope(), model, o.version(), in.key());
          return observe(call, pipelines.run(call.with(op, model, o.version(), UUID.randomUUID().toString(),
              cached ? in.key() : null))).thenApply(results::prediction);
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
    return start(o, "submit_job", model, o.version(), call -> check(model, data, call), (call, tree) ->
        prepare(model, tree, o, call).thenCompose(in -> {
          Operation op = Operations.submitJob(in.tree(), o.meta(), in.scope(), in.key(), o.callbackUrl());
          return observe(call, pipelines.run(call.with(op, model, o.version(), UUID.randomUUID().toString(), null)));
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
  public <T> CompletableFuture<T> run(CallOptions o, String operation, java.util.function.Supplier<Operation> op,
      String model, Function<Answer, T> map) {
    return start(o, operation, model, null, call -> {
      if (model != null) Inputs.model(model);
      return op.get();
    }, (call, operation1) -> {
      String key = "POST".equals(operation1.method()) ? UUID.randomUUID().toString() : null;
      return observe(call, pipelines.run(call.with(operation1, model, null, key, null))).thenApply(map);
    });
  }

  /** Records what the answer says about the call (served version, cache, fallback) for call_end and its span. */
  private static CompletableFuture<Answer> observe(Call call, CompletableFuture<Answer> answer) {
    CallFacts f = call.facts();
    if (f == null) return answer;
    return answer.thenApply(a -> {
      f.servedVersion(a.servedVersion());
      if (a.cached()) f.markCached(a.stale());
      if (a.fallback() != null) f.markFallback(a.fallback().to(), a.fallback().reason());
      return a;
    });
  }

  /**
   * The cache scope of a call (explicit, or derived from the credential). The token obtained here
   * is handed to the call's first attempt, so a token provider is asked once per call.
   */
  /** A checked input with its cache scope and key (the key is also the body's input digest). */
  private record Prepared(JsonNode tree, String scope, String key) {}

  /** Checks the model and the input before anything is sent (no event, no span when they fail). */
  private JsonNode check(String model, Object data, Call call) {
    Inputs.model(model);
    JsonNode tree = DataTree.of(data, options.maxJsonDepth());
    Inputs.checkSize(tree, options.maxInputBytes(), call);
    return tree;
  }

  /** Derives the cache scope and key of a checked input. */
  private CompletableFuture<Prepared> prepare(String model, JsonNode tree, CallOptions o, Call call) {
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
   * The checks run first: a call they reject emits nothing and makes no span (docs/semantics.md,
   * "Events"). Then the call span starts (its trace is the call's), the work runs inside it, and
   * when the call settles {@code call_end} is emitted and the span ended — before the caller's
   * future completes.
   *
   * @param o per-call options
   * @param operation snake_case operation name (call_end, span name)
   * @param model the model called, or null (gateway operations)
   * @param version pinned version or null
   * @param checks the checks before sending (may throw InvalidInputException); their result goes to {@code body}
   * @param body the call's work (may throw a ModelwireException)
   * @param <C> what the checks hand on
   * @param <T> result type
   * @return the caller's future; cancelling it aborts this call only
   */
  public <C, T> CompletableFuture<T> start(CallOptions o, String operation, String model, String version,
      Function<Call, C> checks, java.util.function.BiFunction<Call, C, CompletableFuture<T>> body) {
    try {
      checkCallOptions(o);
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    AbortSignal internal = new AbortSignal();
    String requestId = o.requestId() != null ? o.requestId() : UUID.randomUUID().toString();
    String traceId = Traceparent.traceIdOf(o.traceparent());
    String flags = Traceparent.flagsOf(o.traceparent());
    long deadline = o.deadline() != null ? o.deadline().toMillis() : options.deadline().toMillis();
    long timeout = o.timeout() != null ? o.timeout().toMillis() : options.timeout().toMillis();
    long deadlineAt = scheduler.nowMillis() + deadline;
    Call checked = Call.start(new Call.Ids(requestId, traceId, flags), deadlineAt, timeout, internal);
    if (closed.get()) {
      return CompletableFuture.failedFuture(new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS",
          "the client is closed; build a new one").ids(requestId, traceId)));
    }
    C input;
    try {
      input = checks.apply(checked);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.asModelwire(e));
    }
    // the call span: parent = the explicit traceparent, else the active context; its trace is the call's
    CallSpan span = telemetry.startCall(operation, model, version, requestId, o.traceparent());
    if (span.traceId() != null) {
      traceId = span.traceId();
      flags = span.traceFlags();
    }
    // facts are gathered only when someone reads them (a listener or the metrics, or a span): zero cost otherwise
    CallFacts facts = events.active() || span != CallSpan.NONE
        ? new CallFacts(operation, model, version, requestId, "predict".equals(operation)) : null;
    Call call = Call.start(new Call.Ids(requestId, traceId, flags), deadlineAt, timeout, internal, facts, span);
    CompletableFuture<T> out = new CompletableFuture<>();
    Runnable unlisten = o.signal() == null ? () -> {} : o.signal().onAbort(internal::abort);
    CompletableFuture<T> inner;
    try {
      inner = span == CallSpan.NONE ? body.apply(call, input) : span.runWithin(() -> body.apply(call, input));
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((v, e) -> {
      unlisten.run();
      ModelwireException error = e == null ? null : Errors.asModelwire(e);
      settle(call, error);
      if (error != null) out.completeExceptionally(error);
      else out.complete(v);
    });
    // the caller cancelling its future is an abort of this call only
    out.whenComplete((v, e) -> {
      if (out.isCancelled()) internal.abort();
    });
    return out;
  }

  /** The call settled: {@code call_end} (its last event) and the end of its span. Never throws. */
  private void settle(Call call, ModelwireException error) {
    CallFacts f = call.facts();
    if (f == null) return; // nobody listens and nothing records
    try {
      String breaker = null;
      // predict and submit_job have a breaker (docs/semantics.md, "Pipeline order")
      if (breakers != null && f.model() != null && ("predict".equals(f.operation()) || "submit_job".equals(f.operation()))) {
        breaker = switch (breakers.state(f.model(), f.version())) {
          case CLOSED -> "closed";
          case OPEN -> "open";
          case HALF_OPEN -> "half-open";
        };
      }
      f.settle(call.attempts(), error == null ? null : error.code(), breaker);
      events.callEnd(f);
    } catch (RuntimeException ignored) {
      // telemetry never changes a call's outcome
    }
    call.span().end(f);
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
   * Closes once: drops the cache and releases the HTTP client we created — never one the caller gave
   * ({@code .httpClient(…)}) nor a custom transport.
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
