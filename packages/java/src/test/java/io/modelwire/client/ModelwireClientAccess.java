package io.modelwire.client;

import io.modelwire.client.internal.stages.Errors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Test helper: joins a future and rethrows the typed error, as the blocking API does. */
final class ModelwireClientAccess {
  private ModelwireClientAccess() {}

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      throw Errors.asModelwire(e);
    }
  }
}
