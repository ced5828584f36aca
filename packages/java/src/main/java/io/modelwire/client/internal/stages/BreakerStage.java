package io.modelwire.client.internal.stages;

import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.internal.Breakers;
import io.modelwire.client.internal.ConsecutiveBreaker;
import io.modelwire.client.internal.ErrorMapper;
import java.util.concurrent.CompletableFuture;

/**
 * Fails fast with {@code CircuitOpenException} while the breaker of (model, pinned version) is open,
 * and feeds every attempt's outcome to it: success, failure ({@link Failures#isBreakerFailure}) or
 * ignored (the permission is released; it neither counts nor resets the streak). The
 * breaker emits its transitions itself ({@link Breakers}): half-open while admitting the trial,
 * before its {@code request}; open/close after the response that changed the state. The attempt
 * below always settles (the send stage bounds it), so a half-open trial's permission is always
 * given back (docs/semantics.md, "Attempt boundaries").
 *
 * <pre>{@code new BreakerStage(breakers) }</pre>
 */
public final class BreakerStage implements Stage {
  private final Breakers breakers;

  /**
   * Creates the stage.
   *
   * @param breakers the breaker registry
   */
  public BreakerStage(Breakers breakers) {
    this.breakers = breakers;
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call, Chain next) {
    if (call.model() == null) return next.proceed(call);
    ConsecutiveBreaker cb = breakers.get(call.model(), call.version());
    if (!cb.tryAcquirePermission()) {
      return CompletableFuture.failedFuture(new CircuitOpenException(ErrorInfo.of("CIRCUIT_OPEN",
          "the breaker of " + call.model() + (call.version() != null ? "@" + call.version() : "")
              + " is open; calls fail fast until the reset timeout passes (configure a fallback)")
          .ids(call.requestId(), call.traceId())));
    }
    CompletableFuture<Answer> attempt;
    // Whatever is thrown once the permission is held (an Error too: a missing optional class, an
    // assertion) becomes the attempt's failure, so the permission is always settled below — a
    // half-open trial slot never stays taken.
    try {
      io.modelwire.client.internal.fleet.BreakerHints hints = breakers.hints();
      if (hints != null && cb.isClosed()) {
        // fleet mode: a closed breaker refreshes the fleet's view in the background; this call, already
        // admitted, never waits for it
        String model = call.model();
        String version = call.version();
        hints.check(model, version, () -> breakers.trip(model, version));
      }
      attempt = next.proceed(call);
    } catch (Throwable e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    // every exit of the attempt (answer, error, timeout, abort, cancellation) settles the permission
    return attempt.whenComplete((answer, err) -> {
      if (err == null) {
        cb.onSuccess();
        return;
      }
      Throwable e = ErrorMapper.unwrap(err);
      if (Failures.isBreakerFailure(e)) cb.onError();
      else cb.releasePermission();
    });
  }
}
