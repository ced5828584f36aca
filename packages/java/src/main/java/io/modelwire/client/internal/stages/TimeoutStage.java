package io.modelwire.client.internal.stages;

import io.modelwire.client.Scheduler;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.TimeoutException;
import io.modelwire.client.internal.ErrorMapper;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds one attempt by the per-attempt timeout, or by the time left before the call's deadline
 * when that is shorter. The send stage enforces the bound it is given over the whole attempt —
 * connect, headers and the whole body, from the attempt's start (docs/semantics.md, "Attempt
 * boundaries"). An attempt cut short by the deadline fails with {@code DeadlineExceededException},
 * not a retryable timeout.
 *
 * <pre>{@code new TimeoutStage(scheduler) }</pre>
 */
public final class TimeoutStage implements Stage {
  private final Scheduler scheduler;

  /**
   * Creates the stage.
   *
   * @param scheduler clock
   */
  public TimeoutStage(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call, Chain next) {
    long remaining = call.deadlineAt() - scheduler.nowMillis();
    if (remaining <= 0) return CompletableFuture.failedFuture(exceeded(call, null));
    if (remaining >= call.timeoutMs()) return next.proceed(call.withAttemptTimeout(call.timeoutMs()));
    return next.proceed(call.withAttemptTimeout(remaining)).exceptionallyCompose(err -> {
      Throwable e = ErrorMapper.unwrap(err);
      return CompletableFuture.failedFuture(e instanceof TimeoutException t ? exceeded(call, t) : e);
    });
  }

  /**
   * A private copy of {@code shared} (a token fetch other calls may share) that this call leaves
   * when its deadline passes ({@code DeadlineExceededException}) or it is aborted: the deadline
   * bounds everything a call waits for, not only its attempts.
   *
   * <pre>{@code TimeoutStage.withinDeadline(call, scheduler, tokens.token()) }</pre>
   *
   * @param call the call
   * @param scheduler clock
   * @param shared the awaited future (left running)
   * @param <T> value type
   * @return the bounded copy
   */
  public static <T> CompletableFuture<T> withinDeadline(Call call, Scheduler scheduler, CompletableFuture<T> shared) {
    if (shared.isDone()) return shared;
    CompletableFuture<T> mine = shared.thenApply(t -> t);
    Runnable off = call.signal().onAbort(() -> mine.completeExceptionally(Aborts.of(call)));
    CompletableFuture<Void> timer = scheduler.timer(Math.max(1, call.deadlineAt() - scheduler.nowMillis()));
    timer.thenRun(() -> mine.completeExceptionally(exceeded(call, null)));
    mine.whenComplete((t, e) -> {
      off.run();
      timer.cancel(false);
    });
    return mine;
  }

  /**
   * The error of a call whose deadline passed.
   *
   * <pre>{@code TimeoutStage.exceeded(call, lastError) }</pre>
   *
   * @param call the call
   * @param last the last attempt's error, or null
   * @return the error
   */
  static DeadlineExceededException exceeded(Call call, ModelwireException last) {
    return new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED",
        "the call's deadline passed" + (last != null ? " (last error: " + last.code() + ")" : "")
            + "; raise deadline or check the model").ids(call.requestId(), call.traceId())
        .status(last != null ? last.httpStatus() : null).cause(last));
  }
}
