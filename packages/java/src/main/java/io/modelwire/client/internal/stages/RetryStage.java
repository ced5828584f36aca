package io.modelwire.client.internal.stages;

import io.modelwire.client.RetryOptions;
import io.modelwire.client.Scheduler;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.Backoff;
import io.modelwire.client.internal.RetryBudget;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/**
 * Retries retryable failures ({@link Failures#isRetryable}) with capped exponential backoff and
 * jitter; a Retry-After replaces the backoff, but above the cap or the time left the call fails at
 * once (the error carries {@code retryAfterMs}); spends the client's retry budget; honours the
 * caller's abort while waiting; sleeps on the injected scheduler.
 *
 * <p>Hand-written rather than resilience4j {@code Retry}: that offers none of these give-up rules
 * and sleeps on its own scheduler (no virtual time in tests).
 *
 * <pre>{@code new RetryStage(RetryOptions.defaults(), budget, scheduler, Math::random, events) }</pre>
 */
public final class RetryStage implements Stage {
  private final RetryOptions options;
  private final RetryBudget budget;
  private final Scheduler scheduler;
  private final DoubleSupplier random;
  private final Events events;

  /**
   * Creates the stage.
   *
   * @param options retry options
   * @param budget the client's retry budget
   * @param scheduler clock and sleeps
   * @param random jitter source
   * @param events event sink
   */
  public RetryStage(RetryOptions options, RetryBudget budget, Scheduler scheduler, DoubleSupplier random, Events events) {
    this.options = options;
    this.budget = budget;
    this.scheduler = scheduler;
    this.random = random;
    this.events = events;
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call, Chain next) {
    CompletableFuture<Answer> out = new CompletableFuture<>();
    attempt(call, next, 0, out);
    return out;
  }

  private void attempt(Call call, Chain next, int retries, CompletableFuture<Answer> out) {
    next.proceed(call).whenComplete((answer, err) -> {
      if (err == null) {
        budget.onSuccess();
        out.complete(answer.withAttempts(call.attempts()));
        return;
      }
      ModelwireException e = Errors.asModelwire(err);
      ModelwireException giveUp = null;
      long delay = 0;
      long remaining = call.deadlineAt() - scheduler.nowMillis();
      Long retryAfter = e.retryAfterMs();
      if (!Failures.isRetryable(e, options.retryOnStatus()) || retries >= options.maxRetries()) {
        giveUp = e;
      } else if (retryAfter != null && (retryAfter > options.retryAfterCapMs() || retryAfter > remaining)) {
        giveUp = e; // the server asks for a longer wait than we may spend: give up at once
      } else {
        delay = retryAfter != null ? retryAfter : Backoff.delayMs(options, retries + 1, random);
        if (delay >= remaining) giveUp = TimeoutStage.exceeded(call, e);
        else if (!budget.tryTake()) giveUp = e; // budget empty: sustained outage, stop amplifying it
      }
      if (giveUp != null) {
        fail(call, giveUp, out);
        return;
      }
      events.retry(call, delay, e.code());
      sleep(call, delay).whenComplete((v, x) -> {
        if (call.signal().isAborted()) fail(call, Aborts.of(call), out);
        else if (scheduler.nowMillis() >= call.deadlineAt()) fail(call, TimeoutStage.exceeded(call, e), out);
        else attempt(call, next, retries + 1, out);
      });
    });
  }

  private CompletableFuture<Void> sleep(Call call, long delayMs) {
    CompletableFuture<Void> sleep = scheduler.delay(delayMs);
    Runnable off = call.signal().onAbort(() -> sleep.cancel(false));
    return sleep.whenComplete((v, x) -> off.run());
  }

  private static void fail(Call call, ModelwireException e, CompletableFuture<Answer> out) {
    e.withAttempts(call.attempts());
    out.completeExceptionally(e);
  }
}
