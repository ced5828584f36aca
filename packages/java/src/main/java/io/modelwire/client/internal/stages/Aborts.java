package io.modelwire.client.internal.stages;

import io.modelwire.client.errors.AbortedException;
import io.modelwire.client.errors.ErrorInfo;

/**
 * The error a call gets when its caller aborts it.
 *
 * <pre>{@code throw Aborts.of(call); }</pre>
 */
public final class Aborts {
  private Aborts() {}

  /**
   * The aborted error of a call.
   *
   * @param call the call
   * @return the error
   */
  public static AbortedException of(Call call) {
    return new AbortedException(ErrorInfo.of("ABORTED", "the call was aborted by the caller")
        .ids(call.requestId(), call.traceId()));
  }
}
