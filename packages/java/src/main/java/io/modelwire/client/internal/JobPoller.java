package io.modelwire.client.internal;

import io.modelwire.client.DefaultPolicy;
import io.modelwire.client.JobWaitOptions;
import io.modelwire.client.Scheduler;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.generated.model.Job;
import io.modelwire.client.generated.model.JobState;
import io.modelwire.client.internal.stages.Errors;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Polls a job until it reaches a final state (the contract's {@code JobState.x-final-states}), with
 * the poll backoff, for at most the wait limit.
 *
 * <pre>{@code new JobPoller(scheduler).waitFor(() -> client.getJobAsync(m, id), id, options, deadlineMs) }</pre>
 */
public final class JobPoller {
  private static final Set<JobState> FINAL = DefaultPolicy.get().finalJobStates().stream()
      .map(JobState::fromValue).collect(Collectors.toUnmodifiableSet());

  private final Scheduler scheduler;

  /**
   * Creates the poller.
   *
   * @param scheduler clock and timers
   */
  public JobPoller(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Polls until final; {@code DeadlineExceededException} after the wait limit.
   *
   * @param read one read of the job
   * @param jobId the job's id (for the message)
   * @param o poll options
   * @param defaultWaitMs wait limit when the options set none
   * @return the final job
   */
  public CompletableFuture<Job> waitFor(Supplier<CompletableFuture<Job>> read, String jobId, JobWaitOptions o,
      long defaultWaitMs) {
    long maxWait = o.timeout() != null ? o.timeout().toMillis() : defaultWaitMs;
    CompletableFuture<Job> out = new CompletableFuture<>();
    poll(read, jobId, scheduler.nowMillis() + maxWait, o.pollInitialMs(), o, out);
    return out;
  }

  private void poll(Supplier<CompletableFuture<Job>> read, String jobId, long until, long delay, JobWaitOptions o,
      CompletableFuture<Job> out) {
    if (out.isDone()) return; // the caller cancelled the wait
    read.get().whenComplete((job, err) -> {
      if (err != null) {
        out.completeExceptionally(Errors.asModelwire(err));
      } else if (job.getState() != null && FINAL.contains(job.getState())) {
        out.complete(job);
      } else if (scheduler.nowMillis() + delay > until) {
        out.completeExceptionally(new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED",
            "job " + jobId + " is still " + job.getState() + " after the wait limit; poll again later")
            .ids(job.getRequestId(), null)));
      } else {
        long next = Math.min(o.pollMaxMs(), Math.max(1, Math.round(delay * o.pollMultiplier())));
        scheduler.delay(delay).thenRun(() -> poll(read, jobId, until, next, o, out));
      }
    });
  }
}
