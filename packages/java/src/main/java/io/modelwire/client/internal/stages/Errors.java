package io.modelwire.client.internal.stages;

import io.modelwire.client.errors.AbortedException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.ServerException;
import io.modelwire.client.internal.ErrorMapper;
import java.util.concurrent.CancellationException;

/**
 * The typed error inside a future's failure.
 *
 * <pre>{@code ModelwireException e = Errors.asModelwire(completionException); }</pre>
 */
public final class Errors {
  private Errors() {}

  /**
   * Unwraps a failure; a cancellation is the caller's abort, anything unexpected a Server error.
   *
   * @param t the failure
   * @return the typed error
   */
  public static ModelwireException asModelwire(Throwable t) {
    Throwable c = ErrorMapper.unwrap(t);
    if (c instanceof ModelwireException m) return m;
    if (c instanceof CancellationException) {
      return new AbortedException(ErrorInfo.of("ABORTED", "the call was cancelled by the caller"));
    }
    return new ServerException(ErrorInfo.of("INTERNAL",
        "unexpected client failure: " + c.getClass().getSimpleName() + "; please report it").cause(c));
  }
}
