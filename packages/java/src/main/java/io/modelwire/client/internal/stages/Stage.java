package io.modelwire.client.internal.stages;

import java.util.concurrent.CompletableFuture;

/**
 * One pipeline stage: does its job around {@code next}, the rest of the pipeline (as OkHttp's
 * {@code Interceptor}). Stages never block; they compose futures.
 *
 * <pre>{@code Stage logging = (call, next) -> next.proceed(call).whenComplete((a, e) -> log(call, e)); }</pre>
 */
@FunctionalInterface
public interface Stage {
  /**
   * Runs this stage.
   *
   * @param call the call as this stage receives it
   * @param next the rest of the pipeline
   * @return the answer, or a future failed with a {@code ModelwireException}
   */
  CompletableFuture<Answer> proceed(Call call, Chain next);

  /** The rest of the pipeline after a stage. {@code next.proceed(call)} */
  @FunctionalInterface
  interface Chain {
    /**
     * Runs the remaining stages and the transport.
     *
     * @param call the call
     * @return the answer
     */
    CompletableFuture<Answer> proceed(Call call);
  }
}
