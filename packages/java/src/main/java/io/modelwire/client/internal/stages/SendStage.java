package io.modelwire.client.internal.stages;

import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.TransportRequest;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.ErrorMapper;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.TokenSource;
import io.modelwire.client.internal.Traceparent;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The pipeline's last step: one HTTP attempt. Takes a token (the one prefetched for the cache scope
 * on the first attempt), builds the headers, sends through the transport, classifies the answer
 * ({@link Responses}) and on a 401 repeats once with a fresh token when the credential can be
 * refreshed (an attempt, not a retry). Emits {@code request} and {@code response}/{@code request_error}.
 *
 * <pre>{@code Stage.Chain send = new SendStage(baseUrl, transport, tokens, scheduler, events); }</pre>
 */
public final class SendStage implements Stage.Chain {
  /** Client identification sent as User-Agent and meta.client. */
  public static final String CLIENT = "modelwire-java/0.1.0";

  private final URI baseUrl;
  private final Transport transport;
  private final TokenSource tokens;
  private final Scheduler scheduler;
  private final Events events;

  /**
   * Creates the step.
   *
   * @param baseUrl base URL ending in /v1
   * @param transport transport
   * @param tokens token source
   * @param scheduler clock (HTTP-date Retry-After)
   * @param events event sink
   */
  public SendStage(URI baseUrl, Transport transport, TokenSource tokens, Scheduler scheduler, Events events) {
    this.baseUrl = baseUrl;
    this.transport = transport;
    this.tokens = tokens;
    this.scheduler = scheduler;
    this.events = events;
  }

  @Override
  public CompletableFuture<Answer> proceed(Call call) {
    return token(call, call.takePrefetchedToken()).thenCompose(t -> attempt(call, t).thenCompose(outcome -> {
      // one fresh token and one repeat on 401 (an attempt, not a retry)
      if (outcome instanceof AuthException e && Integer.valueOf(401).equals(e.httpStatus()) && t != null
          && tokens.invalidate(t)) {
        return token(call, null).thenCompose(fresh -> attempt(call, fresh));
      }
      return CompletableFuture.completedFuture(outcome);
    })).thenCompose(outcome -> outcome instanceof Answer a ? CompletableFuture.completedFuture(a)
        : CompletableFuture.failedFuture((ModelwireException) outcome));
  }

  private CompletableFuture<String> token(Call call, String prefetched) {
    if (prefetched != null) return CompletableFuture.completedFuture(prefetched);
    CompletableFuture<String> shared = tokens.token();
    if (shared.isDone()) return shared;
    // the token may be shared with other calls: leave on abort through a private copy
    CompletableFuture<String> mine = shared.thenApply(t -> t);
    Runnable off = call.signal().onAbort(() -> mine.completeExceptionally(Aborts.of(call)));
    mine.whenComplete((t, e) -> off.run());
    return mine;
  }

  /** One HTTP exchange; completes (never fails) with an {@link Answer} or a {@link ModelwireException}. */
  private CompletableFuture<Object> attempt(Call call, String token) {
    CompletableFuture<Object> out = new CompletableFuture<>();
    if (call.signal().isAborted()) {
      out.complete(Aborts.of(call));
      return out;
    }
    String path = call.op().path().apply(call.model());
    TransportRequest req = request(call, token, path);
    int n = call.nextAttempt();
    events.request(call, n, path);
    long startNs = System.nanoTime();
    CompletableFuture<TransportResponse> sent;
    try {
      sent = transport.send(req);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<TransportResponse> inFlight = sent;
    Runnable off = call.signal().onAbort(() -> inFlight.cancel(true));
    sent.whenComplete((res, err) -> {
      off.run();
      double latencyMs = (System.nanoTime() - startNs) / 1e6;
      if (err != null) {
        ModelwireException e = call.signal().isAborted() ? Aborts.of(call)
            : ErrorMapper.fromTransport(err, call.requestId(), call.traceId(), call.attemptTimeoutMs());
        events.requestError(call, n, e.code(), latencyMs);
        out.complete(e);
      } else {
        Object outcome = Responses.classify(res, call.ids(), call.model(), scheduler.nowMillis());
        events.response(call, n, path, res.status(), latencyMs);
        out.complete(outcome);
      }
    });
    return out;
  }

  private TransportRequest request(Call call, String token, String path) {
    byte[] body = null;
    Object tree = call.op().body() == null ? null : call.op().body().apply(call);
    if (tree != null) {
      try {
        body = Json.MAPPER.writeValueAsBytes(tree);
      } catch (Exception e) {
        throw new IllegalStateException("cannot serialise the request body", e);
      }
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put("User-Agent", CLIENT);
    h.put("X-Request-Id", call.requestId());
    h.put("traceparent", Traceparent.header(call.traceId(), call.ids().traceFlags()));
    if (body != null) h.put("Content-Type", "application/json");
    if (call.idempotencyKey() != null) h.put("Idempotency-Key", call.idempotencyKey());
    if (call.version() != null) h.put("X-Model-Version", call.version());
    if (token != null) h.put("Authorization", "Bearer " + token);
    return new TransportRequest(call.op().method(), URI.create(baseUrl + path), h, body,
        Duration.ofMillis(Math.max(1, call.attemptTimeoutMs())));
  }
}
