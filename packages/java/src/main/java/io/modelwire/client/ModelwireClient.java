package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.PayloadTooLargeException;
import io.modelwire.client.generated.model.Health;
import io.modelwire.client.generated.model.Job;
import io.modelwire.client.generated.model.JobState;
import io.modelwire.client.generated.model.ModelHealth;
import io.modelwire.client.generated.model.ModelInfo;
import io.modelwire.client.generated.model.ModelSummary;
import io.modelwire.client.internal.Breakers;
import io.modelwire.client.internal.CallContext;
import io.modelwire.client.internal.HttpTransport;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.Operation;
import io.modelwire.client.internal.Pipeline;
import io.modelwire.client.internal.Reply;
import io.modelwire.client.internal.ResponseCache;
import io.modelwire.client.internal.RetryBudget;
import io.modelwire.client.internal.RetryLoop;
import io.modelwire.client.internal.TokenSource;
import io.modelwire.client.internal.Traceparent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The modelwire client: predictions and jobs with retries, a breaker per model, fallback to a backup
 * model, a bounded cache and coalescing of identical calls. Thread-safe; share one instance.
 *
 * <pre>{@code
 * try (ModelwireClient client = ModelwireClient.builder()
 *     .baseUrl("http://127.0.0.1:4010/v1")
 *     .auth(Auth.token(System.getenv("MODELWIRE_TOKEN")))
 *     .fallback("fraud-score", "fraud-score-backup")
 *     .build()) {
 *   Prediction p = client.predict("fraud-score", Map.of("amount", 129.5, "country", "FR"));
 *   System.out.println(p.result() + " cached=" + p.cached());
 * }
 * }</pre>
 */
public final class ModelwireClient implements AutoCloseable {
  private static final Pattern MODEL_NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
  private static final Set<JobState> FINAL = Set.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELED, JobState.EXPIRED);

  private final Pipeline pipeline;
  private final RetryLoop retry;
  private final Breakers breakers; // null when disabled
  private final Scheduler scheduler;
  private final DefaultPolicy policy;
  private final long timeoutMs;
  private final long deadlineMs;
  private final long maxInputBytes;
  private final HttpClient ownedHttp; // closed by close() when we created it
  private final AtomicBoolean closed = new AtomicBoolean();

  private ModelwireClient(Builder b) {
    this.policy = DefaultPolicy.get();
    this.scheduler = b.scheduler;
    this.timeoutMs = b.timeout.toMillis();
    this.deadlineMs = b.deadline.toMillis();
    this.maxInputBytes = b.maxInputBytes;
    Transport transport = b.transport;
    HttpClient owned = null;
    if (transport == null) {
      owned = HttpTransport.defaultClient(Duration.ofMillis(Math.max(1, timeoutMs)));
      transport = new HttpTransport(owned);
    }
    this.ownedHttp = owned;
    Consumer<ModelwireEvent> sink = safe(b.onEvent);
    this.breakers = b.breaker.enabled() ? new Breakers(b.breaker, scheduler, sink) : null;
    TokenSource tokens = TokenSource.of(b.auth, transport, scheduler, policy.tokenRefreshSkewMs());
    RetryBudget budget = new RetryBudget(b.retry.budgetEnabled(), b.retry.budgetMaxTokens(), b.retry.budgetRetryCost(),
        b.retry.budgetSuccessRefill());
    this.retry = new RetryLoop(b.baseUrl, b.retry, budget, breakers, transport, tokens, scheduler, b.random, sink);
    ResponseCache cache = b.cache.enabled() ? new ResponseCache(b.cache, scheduler) : null;
    this.pipeline = new Pipeline(retry, cache, b.cache, b.fallbacks, tokens, b.cache.scope(), b.minConfidence, sink, scheduler);
  }

  /**
   * Starts a builder with the contract's defaults.
   *
   * <pre>{@code ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").build() }</pre>
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- predict

  /**
   * Runs a prediction (blocking).
   *
   * <pre>{@code Prediction p = client.predict("fraud-score", Map.of("amount", 129.5)); }</pre>
   *
   * @param model model name
   * @param data input (maps/lists/POJOs/JsonNode)
   * @return the prediction
   * @throws ModelwireException a typed error
   */
  public Prediction predict(String model, Object data) {
    return join(predictAsync(model, data, CallOptions.NONE));
  }

  /**
   * Runs a prediction with per-call options (blocking).
   *
   * <pre>{@code client.predict("fraud-score", data, CallOptions.builder().version("2").build()) }</pre>
   *
   * @param model model name
   * @param data input
   * @param options per-call options
   * @return the prediction
   */
  public Prediction predict(String model, Object data, CallOptions options) {
    return join(predictAsync(model, data, options));
  }

  /**
   * Runs a prediction asynchronously. Cancelling the future aborts this caller only.
   *
   * <pre>{@code client.predictAsync("fraud-score", data).thenAccept(p -> …) }</pre>
   *
   * @param model model name
   * @param data input
   * @return the prediction
   */
  public CompletableFuture<Prediction> predictAsync(String model, Object data) {
    return predictAsync(model, data, CallOptions.NONE);
  }

  /**
   * Runs a prediction asynchronously with per-call options.
   *
   * <pre>{@code client.predictAsync("fraud-score", data, CallOptions.builder().signal(signal).build()) }</pre>
   *
   * @param model model name
   * @param data input
   * @param options per-call options
   * @return the prediction
   */
  public CompletableFuture<Prediction> predictAsync(String model, Object data, CallOptions options) {
    CallOptions o = options == null ? CallOptions.NONE : options;
    return start(o, ctx -> {
      checkModel(model);
      JsonNode tree = toTree(data);
      checkSize(tree, ctx);
      return pipeline.predict(ctx, model, o.version(), tree, o.meta(), o.cache() == null || o.cache());
    });
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Submits an asynchronous job (blocking).
   *
   * <pre>{@code Job job = client.submitJob("fraud-score", data); }</pre>
   *
   * @param model model
   * @param data input
   * @return the accepted job
   */
  public Job submitJob(String model, Object data) {
    return join(submitJobAsync(model, data, CallOptions.NONE));
  }

  /**
   * Submits a job with options (e.g. {@code callbackUrl}) (blocking).
   *
   * <pre>{@code client.submitJob("fraud-score", data, CallOptions.builder().callbackUrl(url).build()) }</pre>
   *
   * @param model model
   * @param data input
   * @param options options
   * @return the accepted job
   */
  public Job submitJob(String model, Object data, CallOptions options) {
    return join(submitJobAsync(model, data, options));
  }

  /**
   * Submits a job asynchronously. Retried with one Idempotency-Key, so at most one job is created.
   *
   * <pre>{@code client.submitJobAsync("fraud-score", data, CallOptions.NONE).thenApply(Job::getJobId) }</pre>
   *
   * @param model model
   * @param data input
   * @param options options
   * @return the accepted job
   */
  public CompletableFuture<Job> submitJobAsync(String model, Object data, CallOptions options) {
    CallOptions o = options == null ? CallOptions.NONE : options;
    return start(o, ctx -> {
      checkModel(model);
      JsonNode tree = toTree(data);
      checkSize(tree, ctx);
      return pipeline.scope(ctx).thenCompose(scope -> {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("request_id", ctx.requestId());
        body.set("data", tree);
        ObjectNode meta = body.putObject("meta");
        if (o.meta() != null) o.meta().forEach((k, v) -> meta.set(k, Json.MAPPER.valueToTree(v)));
        meta.put("input_digest", io.modelwire.client.internal.CacheKey.of(model, o.version(), scope, tree));
        if (!meta.has("client")) meta.put("client", RetryLoop.CLIENT);
        if (o.callbackUrl() != null) body.put("callback_url", o.callbackUrl());
        Operation op = new Operation("POST", "/models/" + model + "/jobs", model, o.version(), body, true);
        return retry.run(ctx, op, UUID.randomUUID().toString()).thenApply(r -> result(r, Job.class, ctx));
      });
    });
  }

  /**
   * Reads a job (blocking).
   *
   * <pre>{@code client.getJob("fraud-score", job.getJobId()).getState() }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the job
   */
  public Job getJob(String model, String jobId) {
    return join(getJobAsync(model, jobId));
  }

  /**
   * Reads a job asynchronously.
   *
   * <pre>{@code client.getJobAsync("fraud-score", id).thenApply(Job::getState) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the job
   */
  public CompletableFuture<Job> getJobAsync(String model, String jobId) {
    return simple("GET", () -> "/models/" + checkModel(model) + "/jobs/" + enc(jobId), model, Job.class, CallOptions.NONE);
  }

  /**
   * Cancels a job (blocking); a job already final raises {@code ConflictException}.
   *
   * <pre>{@code client.cancelJob("fraud-score", id) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the canceled job
   */
  public Job cancelJob(String model, String jobId) {
    return join(cancelJobAsync(model, jobId));
  }

  /**
   * Cancels a job asynchronously.
   *
   * <pre>{@code client.cancelJobAsync("fraud-score", id) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the canceled job
   */
  public CompletableFuture<Job> cancelJobAsync(String model, String jobId) {
    return simple("DELETE", () -> "/models/" + checkModel(model) + "/jobs/" + enc(jobId), model, Job.class, CallOptions.NONE);
  }

  /**
   * Polls a job until it is final, with the contract's poll backoff, for at most the client's
   * deadline (blocking).
   *
   * <pre>{@code Job done = client.waitForJob("fraud-score", id); }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the final job
   */
  public Job waitForJob(String model, String jobId) {
    return join(waitForJobAsync(model, jobId, JobWaitOptions.defaults()));
  }

  /**
   * Polls a job until it is final or the wait limit passes (blocking).
   *
   * <pre>{@code client.waitForJob("fraud-score", id, JobWaitOptions.defaults().withTimeout(Duration.ofMinutes(2))) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @param options poll options
   * @return the final job
   */
  public Job waitForJob(String model, String jobId, JobWaitOptions options) {
    return join(waitForJobAsync(model, jobId, options));
  }

  /**
   * Polls a job until it is final or the wait limit passes ({@code DeadlineExceededException}).
   *
   * <pre>{@code client.waitForJobAsync("fraud-score", id, JobWaitOptions.defaults()) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @param options poll options
   * @return the final job
   */
  public CompletableFuture<Job> waitForJobAsync(String model, String jobId, JobWaitOptions options) {
    JobWaitOptions o = options == null ? JobWaitOptions.defaults() : options;
    long maxWait = o.timeout() != null ? o.timeout().toMillis() : deadlineMs;
    long until = scheduler.nowMillis() + maxWait;
    CompletableFuture<Job> out = new CompletableFuture<>();
    poll(model, jobId, until, o.pollInitialMs(), o, out);
    return out;
  }

  private void poll(String model, String jobId, long until, long delay, JobWaitOptions o, CompletableFuture<Job> out) {
    if (out.isDone()) return; // the caller cancelled the wait
    getJobAsync(model, jobId).whenComplete((job, err) -> {
      if (err != null) {
        out.completeExceptionally(Pipeline.asModelwire(err));
      } else if (job.getState() != null && FINAL.contains(job.getState())) {
        out.complete(job);
      } else if (scheduler.nowMillis() + delay > until) {
        out.completeExceptionally(new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED",
            "job " + jobId + " is still " + job.getState() + " after the wait limit; poll again later")
            .ids(job.getRequestId(), null)));
      } else {
        long next = Math.min(o.pollMaxMs(), Math.max(1, Math.round(delay * o.pollMultiplier())));
        scheduler.delay(delay).thenRun(() -> poll(model, jobId, until, next, o, out));
      }
    });
  }

  // ---------------------------------------------------------------- feedback, info, health

  /**
   * Sends ground truth for a past prediction (blocking).
   *
   * <pre>{@code client.feedback("fraud-score", Map.of("request_id", p.requestId(), "label", "fraud")) }</pre>
   *
   * @param model model
   * @param feedback {@code {request_id, label?, outcome?, score?, comment?}} (map, POJO or FeedbackRequest)
   * @return the receipt
   */
  public FeedbackReceipt feedback(String model, Object feedback) {
    return join(feedbackAsync(model, feedback));
  }

  /**
   * Sends feedback asynchronously (POST with an Idempotency-Key, retried safely).
   *
   * <pre>{@code client.feedbackAsync("fraud-score", Map.of("request_id", id, "outcome", "chargeback")) }</pre>
   *
   * @param model model
   * @param feedback the feedback
   * @return the receipt
   */
  public CompletableFuture<FeedbackReceipt> feedbackAsync(String model, Object feedback) {
    return start(CallOptions.NONE, ctx -> {
      checkModel(model);
      JsonNode tree = toTree(feedback);
      if (!tree.isObject() || !tree.path("request_id").isTextual()) {
        throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
            "feedback needs a request_id (the prediction's requestId()) and optional label/outcome/score/comment"));
      }
      Operation op = new Operation("POST", "/models/" + model + "/feedback", model, null, (ObjectNode) tree, true);
      return retry.run(ctx, op, UUID.randomUUID().toString()).thenApply(r -> {
        JsonNode res = r.envelope().path("result");
        return new FeedbackReceipt(res.path("feedback_id").asText(null), res.path("accepted").asBoolean(false),
            r.envelope().path("request_id").asText(ctx.requestId()));
      });
    });
  }

  /**
   * Model versions, traffic split, schemas and thresholds (blocking). Also teaches the client the
   * model's {@code min_confidence} for {@link Prediction#lowConfidence()}.
   *
   * <pre>{@code client.modelInfo("fraud-score").getThresholds().getMinConfidence() }</pre>
   *
   * @param model model
   * @return the info
   */
  public ModelInfo modelInfo(String model) {
    return join(modelInfoAsync(model));
  }

  /**
   * Model info asynchronously.
   *
   * <pre>{@code client.modelInfoAsync("fraud-score").thenApply(ModelInfo::getDefaultVersion) }</pre>
   *
   * @param model model
   * @return the info
   */
  public CompletableFuture<ModelInfo> modelInfoAsync(String model) {
    return simple("GET", () -> "/models/" + checkModel(model) + "/info", model, ModelInfo.class, CallOptions.NONE)
        .thenApply(info -> {
          if (info.getThresholds() != null && info.getThresholds().getMinConfidence() != null) {
            pipeline.rememberThreshold(model, info.getThresholds().getMinConfidence().doubleValue());
          }
          return info;
        });
  }

  /**
   * Models visible to the caller (blocking).
   *
   * <pre>{@code client.listModels().forEach(m -> System.out.println(m.getName())) }</pre>
   *
   * @return the models
   */
  public List<ModelSummary> listModels() {
    return join(listModelsAsync());
  }

  /**
   * Models visible to the caller, asynchronously.
   *
   * <pre>{@code client.listModelsAsync().thenApply(List::size) }</pre>
   *
   * @return the models
   */
  public CompletableFuture<List<ModelSummary>> listModelsAsync() {
    return start(CallOptions.NONE, ctx -> retry.run(ctx, new Operation("GET", "/models", null, null, null, false), null)
        .thenApply(r -> {
          List<ModelSummary> out = new ArrayList<>();
          for (JsonNode m : r.envelope().path("result").path("models")) out.add(convert(m, ModelSummary.class, ctx));
          return List.copyOf(out);
        }));
  }

  /**
   * Gateway readiness (blocking); a not-ready gateway raises {@code UnavailableException}.
   *
   * <pre>{@code client.health().getState() // OK }</pre>
   *
   * @return the health
   */
  public Health health() {
    return join(healthAsync());
  }

  /**
   * Gateway readiness asynchronously.
   *
   * <pre>{@code client.healthAsync().thenApply(Health::getState) }</pre>
   *
   * @return the health
   */
  public CompletableFuture<Health> healthAsync() {
    return simple("GET", () -> "/health/ready", null, Health.class, CallOptions.NONE);
  }

  /**
   * One model's readiness (blocking).
   *
   * <pre>{@code client.health("fraud-score").getState() // READY }</pre>
   *
   * @param model model
   * @return the model health
   */
  public ModelHealth health(String model) {
    return join(healthAsync(model));
  }

  /**
   * One model's readiness asynchronously.
   *
   * <pre>{@code client.healthAsync("fraud-score") }</pre>
   *
   * @param model model
   * @return the model health
   */
  public CompletableFuture<ModelHealth> healthAsync(String model) {
    return simple("GET", () -> "/models/" + checkModel(model) + "/health", model, ModelHealth.class, CallOptions.NONE);
  }

  /**
   * The breaker state of a model (unpinned).
   *
   * <pre>{@code client.breakerState("fraud-score") // CLOSED }</pre>
   *
   * @param model model
   * @return the state
   */
  public BreakerState breakerState(String model) {
    return breakerState(model, null);
  }

  /**
   * The breaker state of a model pinned to a version.
   *
   * <pre>{@code client.breakerState("fraud-score", "2") }</pre>
   *
   * @param model model
   * @param version version or null
   * @return the state
   */
  public BreakerState breakerState(String model, String version) {
    return breakers == null ? BreakerState.CLOSED : breakers.state(model, version);
  }

  /**
   * Releases the HTTP client the builder created (an injected transport is left alone). Calls
   * after close fail with {@code InvalidInputException} (code INVALID_OPTIONS).
   *
   * <pre>{@code client.close(); }</pre>
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    if (pipeline.cache() != null) pipeline.cache().clear();
    // java.net.http.HttpClient is AutoCloseable only from Java 21; on 17 its pool is GC-managed.
    if (ownedHttp instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing is best effort
      }
    }
  }

  /** Redacted description. {@code client.toString()} */
  @Override
  public String toString() {
    return "ModelwireClient[closed=" + closed.get() + "]";
  }

  // ---------------------------------------------------------------- plumbing

  private <T> CompletableFuture<T> simple(String method, java.util.function.Supplier<String> path, String model,
      Class<T> type, CallOptions o) {
    return start(o, ctx -> retry.run(ctx, new Operation(method, path.get(), model, null, null, false), null)
        .thenApply(r -> result(r, type, ctx)));
  }

  private <T> CompletableFuture<T> start(CallOptions o, Function<CallContext, CompletableFuture<T>> body) {
    AbortSignal internal = new AbortSignal();
    String requestId = o.requestId() != null ? o.requestId() : UUID.randomUUID().toString();
    String traceId = Traceparent.traceIdOf(o.traceparent());
    long deadline = o.deadline() != null ? o.deadline().toMillis() : deadlineMs;
    long timeout = o.timeout() != null ? o.timeout().toMillis() : timeoutMs;
    CallContext ctx = new CallContext(requestId, traceId, Traceparent.flagsOf(o.traceparent()),
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
      inner = body.apply(ctx);
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    inner.whenComplete((v, e) -> {
      unlisten.run();
      if (e != null) {
        ModelwireException me = Pipeline.asModelwire(e);
        out.completeExceptionally(me);
      } else {
        out.complete(v);
      }
    });
    // the caller cancelling its future is an abort of this call only
    out.whenComplete((v, e) -> {
      if (out.isCancelled()) internal.abort();
    });
    return out;
  }

  private <T> T result(Reply r, Class<T> type, CallContext ctx) {
    return convert(r.envelope().path("result"), type, ctx);
  }

  private static <T> T convert(JsonNode node, Class<T> type, CallContext ctx) {
    try {
      if (node.isMissingNode() || node.isNull()) throw new IllegalArgumentException("no result");
      return Json.MAPPER.treeToValue(node, type);
    } catch (Exception e) {
      throw new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE",
          "response result is not a valid " + type.getSimpleName() + "; check that baseUrl points at a modelwire gateway")
          .ids(ctx.requestId(), ctx.traceId()).cause(e));
    }
  }

  private static JsonNode toTree(Object data) {
    if (data == null) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "data is null; pass a map or an object"));
    }
    if (data instanceof JsonNode n) return n;
    try {
      return Json.MAPPER.valueToTree(data);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "data cannot be converted to JSON (" + e.getClass().getSimpleName() + "); pass maps, lists and plain values")
          .cause(e));
    }
  }

  private void checkSize(JsonNode tree, CallContext ctx) {
    if (maxInputBytes <= 0) return;
    int size;
    try {
      size = Json.MAPPER.writeValueAsBytes(tree).length;
    } catch (Exception e) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT", "data cannot be serialised").cause(e));
    }
    if (size > maxInputBytes) {
      throw new PayloadTooLargeException(ErrorInfo.of("PAYLOAD_TOO_LARGE",
          "input is " + size + " bytes, above maxInputBytes " + maxInputBytes + "; send less data or raise the limit")
          .ids(ctx.requestId(), ctx.traceId()));
    }
  }

  private static String checkModel(String model) {
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "model name '" + model + "' is invalid; it must match " + MODEL_NAME.pattern()));
    }
    return model;
  }

  private static String enc(String s) {
    return URLEncoder.encode(Objects.requireNonNull(s, "jobId"), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Consumer<ModelwireEvent> safe(Consumer<ModelwireEvent> listener) {
    if (listener == null) return e -> {};
    return e -> {
      try {
        listener.accept(e);
      } catch (RuntimeException ignored) {
        // a faulty listener must never break a call
      }
    };
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException | CancellationException e) {
      throw Pipeline.asModelwire(e);
    }
  }

  /**
   * Builder for {@link ModelwireClient}; every default comes from the contract's
   * {@code x-modelwire-policy}.
   *
   * <pre>{@code
   * ModelwireClient.builder()
   *     .baseUrl("https://gateway.example/v1")
   *     .auth(Auth.oidc(tokenUrl, "svc", secret, "models:predict"))
   *     .retry(RetryOptions.defaults().withMaxRetries(3))
   *     .onEvent(e -> metrics.record(e))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private URI baseUrl;
    private Auth auth = Auth.none();
    private RetryOptions retry = RetryOptions.defaults();
    private BreakerOptions breaker = BreakerOptions.defaults();
    private CacheOptions cache = CacheOptions.defaults();
    private Duration timeout = Duration.ofMillis(DefaultPolicy.get().timeoutMs());
    private Duration deadline = Duration.ofMillis(DefaultPolicy.get().deadlineMs());
    private long maxInputBytes = DefaultPolicy.get().maxInputBytes();
    private Double minConfidence;
    private Function<String, String> fallbacks = m -> null;
    private Consumer<ModelwireEvent> onEvent;
    private Transport transport;
    private Scheduler scheduler = Scheduler.system();
    private DoubleSupplier random = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /** Base URL including {@code /v1}. {@code .baseUrl("http://127.0.0.1:4010/v1")} */
    public Builder baseUrl(String url) {
      String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      this.baseUrl = URI.create(u);
      return this;
    }

    /** Credentials. {@code .auth(Auth.token("t"))} */
    public Builder auth(Auth a) {
      this.auth = Objects.requireNonNull(a, "auth");
      return this;
    }

    /** Retry options. {@code .retry(RetryOptions.defaults().withMaxRetries(0))} */
    public Builder retry(RetryOptions r) {
      this.retry = Objects.requireNonNull(r, "retry");
      return this;
    }

    /** Breaker options. {@code .breaker(new BreakerOptions(true, 5, 30_000, 1))} */
    public Builder breaker(BreakerOptions b) {
      this.breaker = Objects.requireNonNull(b, "breaker");
      return this;
    }

    /** Cache options. {@code .cache(CacheOptions.disabled())} */
    public Builder cache(CacheOptions c) {
      this.cache = Objects.requireNonNull(c, "cache");
      return this;
    }

    /** Explicit cache scope. {@code .cacheScope("tenant-a")} */
    public Builder cacheScope(String scope) {
      this.cache = cache.withScope(scope);
      return this;
    }

    /** Per-attempt timeout. {@code .timeout(Duration.ofSeconds(2))} */
    public Builder timeout(Duration d) {
      this.timeout = Objects.requireNonNull(d, "timeout");
      return this;
    }

    /** Total deadline of a call. {@code .deadline(Duration.ofSeconds(10))} */
    public Builder deadline(Duration d) {
      this.deadline = Objects.requireNonNull(d, "deadline");
      return this;
    }

    /** Largest input sent (0: no limit). {@code .maxInputBytes(1 << 20)} */
    public Builder maxInputBytes(long n) {
      this.maxInputBytes = n;
      return this;
    }

    /** Confidence below which predictions are flagged. {@code .minConfidence(0.7)} */
    public Builder minConfidence(double v) {
      this.minConfidence = v;
      return this;
    }

    /** One backup model. {@code .fallback("fraud-score", "fraud-score-backup")} */
    public Builder fallback(String model, String backup) {
      Function<String, String> prev = fallbacks;
      this.fallbacks = m -> model.equals(m) ? backup : prev.apply(m);
      return this;
    }

    /** Backups from a map. {@code .fallbacks(Map.of("a", "a-backup"))} */
    public Builder fallbacks(Map<String, String> map) {
      Map<String, String> copy = Map.copyOf(map);
      this.fallbacks = copy::get;
      return this;
    }

    /** Backups from a function (null: none). {@code .fallbacks(m -> m + "-backup")} */
    public Builder fallbacks(Function<String, String> fn) {
      this.fallbacks = Objects.requireNonNull(fn, "fallbacks");
      return this;
    }

    /** Event listener (metrics, tracing). {@code .onEvent(e -> log.debug("{}", e))} */
    public Builder onEvent(Consumer<ModelwireEvent> listener) {
      this.onEvent = listener;
      return this;
    }

    /** Custom transport (tests, proxies). {@code .transport(fake)} */
    public Builder transport(Transport t) {
      this.transport = t;
      return this;
    }

    /** Custom clock/timer (virtual time in tests). {@code .scheduler(virtualClock)} */
    public Builder scheduler(Scheduler s) {
      this.scheduler = Objects.requireNonNull(s, "scheduler");
      return this;
    }

    /** Jitter source in [0,1) (tests). {@code .random(() -> 0.5)} */
    public Builder random(DoubleSupplier r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    /**
     * Validates and builds.
     *
     * <pre>{@code ModelwireClient c = builder.build(); }</pre>
     *
     * @return the client
     * @throws InvalidInputException (code INVALID_OPTIONS) when an option is wrong
     */
    public ModelwireClient build() {
      if (baseUrl == null || baseUrl.getScheme() == null || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))) {
        throw new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS",
            "baseUrl must be an absolute http(s) URL ending in /v1, e.g. http://127.0.0.1:4010/v1"));
      }
      if (timeout.isNegative() || timeout.isZero() || deadline.isNegative() || deadline.isZero()) {
        throw new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS", "timeout and deadline must be positive"));
      }
      if (retry.maxRetries() < 0) {
        throw new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS", "retry.maxRetries must be >= 0"));
      }
      return new ModelwireClient(this);
    }
  }
}
