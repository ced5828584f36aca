package io.modelwire.client;

import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.generated.model.Health;
import io.modelwire.client.generated.model.Job;
import io.modelwire.client.generated.model.ModelHealth;
import io.modelwire.client.generated.model.ModelInfo;
import io.modelwire.client.generated.model.ModelSummary;
import io.modelwire.client.internal.ClientCore;
import io.modelwire.client.internal.telemetry.CallFacts;
import io.modelwire.client.internal.telemetry.CallSpan;
import io.modelwire.client.internal.Inputs;
import io.modelwire.client.internal.JobPoller;
import io.modelwire.client.internal.Operations;
import io.modelwire.client.internal.Results;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The modelwire client: predictions and jobs with retries, a breaker per model, fallback to a backup
 * model, a bounded cache and coalescing of identical calls. Thread-safe; share one instance. Every
 * operation runs through the pipeline of its kind ({@code internal/stages/Pipelines}).
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
  private final ClientCore core;
  private final JobPoller poller;

  ModelwireClient(ClientOptions options) {
    this.core = new ClientCore(options);
    this.poller = new JobPoller(options.scheduler());
  }

  /**
   * Starts a builder with the contract's defaults.
   * <pre>{@code ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").build() }</pre>
   *
   * @return the builder
   */
  public static ModelwireClientBuilder builder() {
    return new ModelwireClientBuilder();
  }

  /**
   * Runs a prediction (blocking).
   * <pre>{@code Prediction p = client.predict("fraud-score", Map.of("amount", 129.5)); }</pre>
   *
   * @param model model name
   * @param data input: a {@code Map<String, ?>} (or ObjectNode) of JSON values — maps with String keys,
   *     Lists, arrays, Strings, finite numbers, Booleans, nulls; a date, set, byte[], function, record or
   *     other object is InvalidInputException INVALID_INPUT naming its path (convert it first)
   * @return the prediction
   * @throws ModelwireException a typed error
   */
  public Prediction predict(String model, Object data) {
    return join(predictAsync(model, data, CallOptions.NONE));
  }

  /**
   * Runs a prediction with per-call options (blocking).
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
   * <pre>{@code client.predictAsync("fraud-score", data, CallOptions.builder().signal(signal).build()) }</pre>
   *
   * @param model model name
   * @param data input
   * @param options per-call options
   * @return the prediction
   */
  public CompletableFuture<Prediction> predictAsync(String model, Object data, CallOptions options) {
    return core.predict(model, data, options == null ? CallOptions.NONE : options);
  }

  /**
   * Submits an asynchronous job (blocking).
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
   * <pre>{@code client.submitJobAsync("fraud-score", data, CallOptions.NONE).thenApply(Job::getJobId) }</pre>
   *
   * @param model model
   * @param data input
   * @param options options
   * @return the accepted job
   */
  public CompletableFuture<Job> submitJobAsync(String model, Object data, CallOptions options) {
    return core.submitJob(model, data, options == null ? CallOptions.NONE : options)
        .thenApply(a -> Results.result(a, Job.class));
  }

  /**
   * Reads a job (blocking).
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
   * <pre>{@code client.getJobAsync("fraud-score", id).thenApply(Job::getState) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the job
   */
  public CompletableFuture<Job> getJobAsync(String model, String jobId) {
    return core.run(CallOptions.NONE, "get_job", () -> Operations.read(m -> "/models/" + m + "/jobs/" + Inputs.segment(jobId)),
        model, a -> Results.result(a, Job.class));
  }

  /**
   * Cancels a job (blocking); a job already final raises {@code ConflictException}.
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
   * <pre>{@code client.cancelJobAsync("fraud-score", id) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @return the canceled job
   */
  public CompletableFuture<Job> cancelJobAsync(String model, String jobId) {
    return core.run(CallOptions.NONE, "cancel_job", () -> Operations.write("DELETE",
        m -> "/models/" + m + "/jobs/" + Inputs.segment(jobId), null), model, a -> Results.result(a, Job.class));
  }

  /**
   * Polls a job until it is final, with the contract's poll backoff, for at most the client's
   * deadline (blocking).
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
   * <pre>{@code client.waitForJobAsync("fraud-score", id, JobWaitOptions.defaults()) }</pre>
   *
   * @param model model
   * @param jobId job id
   * @param options poll options
   * @return the final job
   */
  public CompletableFuture<Job> waitForJobAsync(String model, String jobId, JobWaitOptions options) {
    JobWaitOptions o = options == null ? JobWaitOptions.defaults() : options;
    // one call span around its get_job calls (docs/semantics.md, "Telemetry"); each poll is a get_job call
    CallSpan span = core.telemetry().startCall("wait_for_job", model, null, null, null);
    CompletableFuture<Job> job = span.runWithin(() -> poller.waitFor(() -> span.runWithin(() -> getJobAsync(model, jobId)),
        jobId, o, core.options().deadline().toMillis()));
    if (span == CallSpan.NONE) return job;
    CallFacts facts = new CallFacts("wait_for_job", model, null, null, false);
    return job.whenComplete((j, e) -> {
      facts.settle(0, e == null ? null : io.modelwire.client.internal.stages.Errors.asModelwire(e).code(), null);
      span.end(facts);
    });
  }

  /**
   * Sends ground truth for a past prediction (blocking). POSTed with an Idempotency-Key, so a retry
   * never stores it twice.
   * <pre>{@code
   * FeedbackReceipt r = client.feedback("fraud-score",
   *     Feedback.of(p.requestId()).label("fraud").outcome("chargeback"));
   * r.feedbackId();
   * }</pre>
   *
   * @param model model
   * @param feedback the feedback ({@link Feedback#of(String)})
   * @return the receipt
   * @throws ModelwireException a typed error
   */
  public FeedbackReceipt feedback(String model, Feedback feedback) {
    return join(feedbackAsync(model, feedback));
  }

  /**
   * Sends feedback asynchronously.
   * <pre>{@code client.feedbackAsync("fraud-score", Feedback.of(id).score(0.25)).thenApply(FeedbackReceipt::accepted) }</pre>
   *
   * @param model model
   * @param feedback the feedback
   * @return the receipt
   */
  public CompletableFuture<FeedbackReceipt> feedbackAsync(String model, Feedback feedback) {
    return sendFeedback(model, () -> feedback);
  }

  /**
   * Sends untyped feedback (blocking).
   * <pre>{@code client.feedback("fraud-score", Map.of("request_id", p.requestId(), "label", "fraud")) }</pre>
   *
   * @param model model
   * @param feedback {@code {request_id, label?, outcome?, score?, comment?}} (map, POJO or FeedbackRequest),
   *     checked and sent as {@link Feedback}; another member is InvalidInputException
   * @return the receipt
   * @deprecated use {@link #feedback(String, Feedback)}, which checks its input where it is written
   */
  @Deprecated
  public FeedbackReceipt feedback(String model, Object feedback) {
    return join(feedbackAsync(model, feedback));
  }

  /**
   * Sends untyped feedback asynchronously.
   * <pre>{@code client.feedbackAsync("fraud-score", Map.of("request_id", id, "outcome", "chargeback")) }</pre>
   *
   * @param model model
   * @param feedback the feedback (map, POJO or FeedbackRequest)
   * @return the receipt
   * @deprecated use {@link #feedbackAsync(String, Feedback)}
   */
  @Deprecated
  public CompletableFuture<FeedbackReceipt> feedbackAsync(String model, Object feedback) {
    return sendFeedback(model, () -> Inputs.feedback(feedback));
  }

  private CompletableFuture<FeedbackReceipt> sendFeedback(String model, java.util.function.Supplier<Feedback> feedback) {
    return core.run(CallOptions.NONE, "feedback",
        () -> Operations.write("POST", m -> "/models/" + m + "/feedback", Inputs.feedbackBody(feedback.get())), model,
        Results::receipt);
  }

  /**
   * Model versions, traffic split, schemas and thresholds (blocking). Also teaches the client the
   * model's {@code min_confidence} for {@link Prediction#lowConfidence()}.
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
   * <pre>{@code client.modelInfoAsync("fraud-score").thenApply(ModelInfo::getDefaultVersion) }</pre>
   *
   * @param model model
   * @return the info
   */
  public CompletableFuture<ModelInfo> modelInfoAsync(String model) {
    return core.run(CallOptions.NONE, "model_info", () -> Operations.read(m -> "/models/" + m + "/info"), model,
        a -> Results.result(a, ModelInfo.class)).thenApply(info -> {
          if (info.getThresholds() != null && info.getThresholds().getMinConfidence() != null) {
            core.results().rememberThreshold(model, info.getThresholds().getMinConfidence().doubleValue());
          }
          return info;
        });
  }

  /**
   * Models visible to the caller (blocking).
   * <pre>{@code client.listModels().forEach(m -> System.out.println(m.getName())) }</pre>
   *
   * @return the models
   */
  public List<ModelSummary> listModels() {
    return join(listModelsAsync());
  }

  /**
   * Models visible to the caller, asynchronously.
   * <pre>{@code client.listModelsAsync().thenApply(List::size) }</pre>
   *
   * @return the models
   */
  public CompletableFuture<List<ModelSummary>> listModelsAsync() {
    return core.run(CallOptions.NONE, "list_models", () -> Operations.read(m -> "/models"), null,
        a -> Results.list(a, "models", ModelSummary.class));
  }

  /**
   * Gateway readiness (blocking); a not-ready gateway raises {@code UnavailableException}.
   * <pre>{@code client.health().getState() // OK }</pre>
   *
   * @return the health
   */
  public Health health() {
    return join(healthAsync());
  }

  /**
   * Gateway readiness asynchronously.
   * <pre>{@code client.healthAsync().thenApply(Health::getState) }</pre>
   *
   * @return the health
   */
  public CompletableFuture<Health> healthAsync() {
    return core.run(CallOptions.NONE, "health", () -> Operations.read(m -> "/health/ready"), null, a -> Results.result(a, Health.class));
  }

  /**
   * One model's readiness and its versions' states (blocking). A state this SDK does not know (added
   * by a newer gateway) reads as {@code ModelState.UNKNOWN_DEFAULT_OPEN_API}; the call succeeds.
   * <pre>{@code client.modelHealth("fraud-score").getState() // READY }</pre>
   *
   * @param model model
   * @return the model health
   * @throws ModelwireException a typed error
   */
  public ModelHealth modelHealth(String model) {
    return join(modelHealthAsync(model));
  }

  /**
   * One model's readiness asynchronously.
   * <pre>{@code client.modelHealthAsync("fraud-score").thenApply(ModelHealth::getState) }</pre>
   *
   * @param model model
   * @return the model health
   */
  public CompletableFuture<ModelHealth> modelHealthAsync(String model) {
    return core.run(CallOptions.NONE, "model_health", () -> Operations.read(m -> "/models/" + m + "/health"), model,
        a -> Results.result(a, ModelHealth.class));
  }

  /**
   * One model's readiness (blocking).
   * <pre>{@code client.health("fraud-score") }</pre>
   *
   * @param model model
   * @return the model health
   * @deprecated the same call as {@link #modelHealth(String)}; {@link #health()} is the gateway's
   */
  @Deprecated
  public ModelHealth health(String model) {
    return modelHealth(model);
  }

  /**
   * One model's readiness asynchronously.
   * <pre>{@code client.healthAsync("fraud-score") }</pre>
   *
   * @param model model
   * @return the model health
   * @deprecated the same call as {@link #modelHealthAsync(String)}
   */
  @Deprecated
  public CompletableFuture<ModelHealth> healthAsync(String model) {
    return modelHealthAsync(model);
  }

  /**
   * The breaker state of a model (unpinned).
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
   * <pre>{@code client.breakerState("fraud-score", "2") }</pre>
   *
   * @param model model
   * @param version version or null
   * @return the state
   */
  public BreakerState breakerState(String model, String version) {
    return core.breakerState(model, version);
  }

  /**
   * Releases the HTTP client the builder created (an injected transport is left alone). Calls
   * after close fail with {@code InvalidInputException} (code INVALID_OPTIONS).
   * <pre>{@code client.close(); }</pre>
   */
  @Override
  public void close() {
    core.close();
  }

  /** Redacted description. {@code client.toString()} */
  @Override
  public String toString() {
    return "ModelwireClient[closed=" + core.isClosed() + "]";
  }

  private static <T> T join(CompletableFuture<T> f) {
    return ClientCore.join(f);
  }
}
