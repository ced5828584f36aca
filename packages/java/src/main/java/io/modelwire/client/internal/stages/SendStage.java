package io.modelwire.client.internal.stages;

import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.TransportRequest;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.ErrorMapper;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.ResponseLimits;
import io.modelwire.client.internal.TokenSource;
import io.modelwire.client.internal.Traceparent;
import io.modelwire.client.internal.telemetry.AttemptSpan;
import io.modelwire.client.internal.telemetry.CallSpan;
import java.net.URI;
import java.net.http.HttpTimeoutException;
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
 * <p>It holds the attempt boundaries (docs/semantics.md, "Attempt boundaries"): the attempt's time
 * bound (given by {@link TimeoutStage}) covers the whole exchange — headers and body — from the
 * attempt's start; an attempt that ends early (timeout, abort) cancels the transport's future so the
 * exchange stops and its socket is released; whatever is thrown while settling becomes a typed error.
 *
 * <pre>{@code Stage.Chain send = new SendStage(baseUrl, transport, tokens, scheduler, events, limits); }</pre>
 */
public final class SendStage implements Stage.Chain {
  /** Client identification sent as User-Agent and meta.client. */
  public static final String CLIENT = "modelwire-java/0.1.0";

  private final URI baseUrl;
  private final Transport transport;
  private final TokenSource tokens;
  private final Scheduler scheduler;
  private final Events events;
  private final ResponseLimits limits;

  /**
   * Creates the step.
   *
   * @param baseUrl base URL ending in /v1
   * @param transport transport
   * @param tokens token source
   * @param scheduler clock (HTTP-date Retry-After)
   * @param events event sink
   * @param limits response limits (body size, JSON depth)
   */
  public SendStage(URI baseUrl, Transport transport, TokenSource tokens, Scheduler scheduler, Events events,
      ResponseLimits limits) {
    this.limits = limits;
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
        : CompletableFuture.failedFuture(BaseUrlHint.apply(baseUrl, (ModelwireException) outcome)));
  }

  private CompletableFuture<String> token(Call call, String prefetched) {
    if (prefetched != null) return CompletableFuture.completedFuture(prefetched);
    // the token may be shared with other calls: leave on abort or deadline through a private copy
    return TimeoutStage.withinDeadline(call, scheduler, tokens.token());
  }

  /** One HTTP exchange; completes (never fails) with an {@link Answer} or a {@link ModelwireException}. */
  private CompletableFuture<Object> attempt(Call call, String token) {
    CompletableFuture<Object> out = new CompletableFuture<>();
    if (call.signal().isAborted()) {
      out.complete(Aborts.of(call));
      return out;
    }
    String path = call.op().path().apply(call.model());
    int n = call.nextAttempt();
    // the attempt span starts right before the request is built: the wire traceparent is its context
    AttemptSpan span = call.span() == CallSpan.NONE ? AttemptSpan.NONE
        : call.span().startAttempt(call.op().method(), target(path), n);
    TransportRequest req;
    try {
      req = request(call, token, path, span.traceparent());
    } catch (RuntimeException e) {
      span.end(null, "CLIENT_ERROR");
      throw e;
    }
    events.request(call, n, path);
    long startNs = System.nanoTime();
    CompletableFuture<TransportResponse> sent;
    try {
      // inside the attempt span, with the HTTP library's own instrumentation suppressed (one traceparent)
      sent = span == AttemptSpan.NONE ? transport.send(req) : span.runWithin(() -> transport.send(req));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<TransportResponse> exchange = sent;
    CompletableFuture<TransportResponse> bounded = bound(call, exchange);
    bounded.whenComplete((res, err) -> {
      double latencyMs = (System.nanoTime() - startNs) / 1e6;
      // the attempt ended before the exchange did (timeout, abort): stop it and free its socket
      if (err != null && !exchange.isDone()) exchange.cancel(true);
      Object outcome;
      try {
        outcome = settle(call, n, path, res, err, latencyMs);
      } catch (RuntimeException | StackOverflowError e) {
        outcome = unexpected(call, path, res, e);
      }
      endSpan(span, res, outcome);
      out.complete(outcome);
    });
    return out;
  }

  /**
   * Ends the attempt span as docs/semantics.md ("Telemetry") says: the status when an answer came;
   * {@code error.type} the status for ≥ 400, MALFORMED_RESPONSE for an unreadable 2xx, else the
   * attempt's error code (TIMEOUT, CONNECTION_ERROR, ABORTED).
   */
  private static void endSpan(AttemptSpan span, TransportResponse res, Object outcome) {
    if (span == AttemptSpan.NONE) return;
    ModelwireException e = outcome instanceof ModelwireException me ? me : null;
    Integer status = res != null ? Integer.valueOf(res.status())
        : e != null && "RESPONSE_TOO_LARGE".equals(e.code()) ? e.httpStatus() : null;
    String errorType = null;
    if (status != null && status >= 400) errorType = Integer.toString(status);
    else if (e != null && status != null && status >= 200 && status < 300) errorType = "MALFORMED_RESPONSE";
    else if (e != null) errorType = e.code();
    span.end(status, errorType);
  }

  /** The exchange, ended by the attempt's time bound (headers and body) or the call's abort. */
  private CompletableFuture<TransportResponse> bound(Call call, CompletableFuture<TransportResponse> exchange) {
    CompletableFuture<TransportResponse> bounded = new CompletableFuture<>();
    CompletableFuture<Void> timer = scheduler.timer(Math.max(1, call.attemptTimeoutMs()));
    timer.thenRun(() -> bounded.completeExceptionally(
        new HttpTimeoutException("no complete answer within " + call.attemptTimeoutMs() + " ms")));
    Runnable off = call.signal().onAbort(() -> bounded.cancel(true));
    exchange.whenComplete((res, err) -> {
      if (err != null) bounded.completeExceptionally(err);
      else bounded.complete(res);
    });
    bounded.whenComplete((res, err) -> {
      off.run();
      timer.cancel(false);
    });
    return bounded;
  }

  private Object settle(Call call, int n, String path, TransportResponse res, Throwable err, double latencyMs) {
    if (err != null) {
      ModelwireException e = call.signal().isAborted() ? Aborts.of(call)
          : ErrorMapper.fromTransport(err, target(path), call.requestId(), call.traceId(), call.attemptTimeoutMs());
      // A refused body (too large) still had a status: that is an answer (semantics.md, Events).
      if ("RESPONSE_TOO_LARGE".equals(e.code()) && e.httpStatus() != null) {
        events.response(call, n, path, e.httpStatus(), latencyMs);
      } else {
        events.requestError(call, n, e.code(), latencyMs);
      }
      return e;
    }
    Object outcome = Responses.classify(res, call.ids(), call.model(), scheduler.nowMillis(), limits);
    events.response(call, n, path, res.status(), latencyMs);
    return outcome;
  }

  /**
   * The one boundary for the unexpected (docs/semantics.md, "Attempt boundaries"): reading or
   * parsing a 2xx is MalformedResponse, a 4xx/5xx keeps its status's kind, no answer is Connection.
   */
  private ModelwireException unexpected(Call call, String path, TransportResponse res, Throwable e) {
    if (res == null) {
      return ErrorMapper.fromTransport(e, target(path), call.requestId(), call.traceId(), call.attemptTimeoutMs());
    }
    int s = res.status();
    if (s >= 200 && s < 300) {
      return new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE", "HTTP " + s
          + " body could not be read (" + e.getClass().getSimpleName() + ")").status(s)
          .ids(call.requestId(), call.traceId()).cause(e));
    }
    return ErrorMapper.fromStatus(s, null, null, call.requestId(), call.traceId(), 0);
  }

  private URI target(String path) {
    return URI.create(baseUrl + path);
  }

  private TransportRequest request(Call call, String token, String path, String traceparent) {
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
    // no compression: the body limit counts what the server sends (docs/semantics.md, "Response limits")
    h.put("Accept-Encoding", "identity");
    h.put("User-Agent", CLIENT);
    h.put("X-Request-Id", call.requestId());
    // the attempt span's context when one records, else the rule of "Identity" (a new span id per attempt)
    h.put("traceparent", traceparent != null ? traceparent : Traceparent.header(call.traceId(), call.ids().traceFlags()));
    if (body != null) h.put("Content-Type", "application/json");
    if (call.idempotencyKey() != null) h.put("Idempotency-Key", call.idempotencyKey());
    if (call.version() != null) h.put("X-Model-Version", call.version());
    if (token != null) h.put("Authorization", "Bearer " + token);
    return new TransportRequest(call.op().method(), target(path), h, body,
        Duration.ofMillis(Math.max(1, call.attemptTimeoutMs())));
  }
}
