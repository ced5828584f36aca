package io.modelwire.client;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP attempt. The default is java.net.http; inject your own to test without a network
 * (like {@code fetch} in the TypeScript SDK). Fail the future with
 * {@link java.net.http.HttpTimeoutException} for a per-attempt timeout and any other
 * {@link java.io.IOException} for a connection error.
 *
 * <pre>{@code
 * Transport fake = req -> CompletableFuture.completedFuture(
 *     new TransportResponse(200, Map.of(), "{…}".getBytes(UTF_8)));
 * ModelwireClient.builder().transport(fake).build();
 * }</pre>
 */
@FunctionalInterface
public interface Transport {
  /**
   * Sends the request; never retries (the pipeline owns retries).
   *
   * <pre>{@code transport.send(request).thenApply(TransportResponse::status) }</pre>
   *
   * @param request the attempt
   * @return the response
   */
  CompletableFuture<TransportResponse> send(TransportRequest request);
}
