package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.RetryOptions;
import io.modelwire.client.Scheduler;
import io.modelwire.client.Transport;
import io.modelwire.client.TransportRequest;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.errors.AbortedException;
import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.errors.DeadlineExceededException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.MalformedResponseException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.errors.TimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * retry → breaker → per-attempt timeout → transport, for one model.
 *
 * <p>Hand-written rather than resilience4j {@code Retry} because the semantics need: a Retry-After
 * that replaces the backoff but fails at once above a cap or the remaining deadline (with
 * {@code retryAfterMs} on the error), a total deadline over attempts and sleeps, a per-client token
 * budget refilled by successes, the caller's abort honoured during sleeps, and virtual time in
 * tests. resilience4j's Retry offers none of the give-up rules and sleeps on its own scheduler.
 *
 * <pre>{@code retryLoop.run(ctx, op, idempotencyKey).thenApply(Reply::envelope) }</pre>
 */
public final class RetryLoop {
  /** Client identification sent as User-Agent and meta.client. */
  public static final String CLIENT = "modelwire-java/0.1.0";

  private final URI baseUrl;
  private final RetryOptions options;
  private final RetryBudget budget;
  private final Breakers breakers; // null: breaker disabled
  private final Transport transport;
  private final TokenSource tokens;
  private final Scheduler scheduler;
  private final DoubleSupplier random;
  private final Consumer<ModelwireEvent> events;

  /**
   * Creates the loop.
   *
   * <pre>{@code new RetryLoop(base, RetryOptions.defaults(), budget, breakers, transport, tokens, scheduler, Math::random, events) }</pre>
   *
   * @param baseUrl base URL ending in /v1
   * @param options retry options
   * @param budget the client's retry budget
   * @param breakers breaker registry or null
   * @param transport transport
   * @param tokens token source
   * @param scheduler clock and sleeps
   * @param random jitter source
   * @param events event sink
   */
  public RetryLoop(URI baseUrl, RetryOptions options, RetryBudget budget, Breakers breakers, Transport transport,
      TokenSource tokens, Scheduler scheduler, DoubleSupplier random, Consumer<ModelwireEvent> events) {
    this.baseUrl = baseUrl;
    this.options = options;
    this.budget = budget;
    this.breakers = breakers;
    this.transport = transport;
    this.tokens = tokens;
    this.scheduler = scheduler;
    this.random = random;
    this.events = events;
  }

  /**
   * Runs the operation with retries; fails with a {@link ModelwireException} whose
   * {@code attempts()} is set.
   *
   * <pre>{@code loop.run(ctx, op, UUID.randomUUID().toString()) }</pre>
   *
   * @param ctx the logical call
   * @param op the operation
   * @param idempotencyKey key for POST operations (identical on every retry), or null
   * @return the 2xx reply
   */
  public CompletableFuture<Reply> run(CallContext ctx, Operation op, String idempotencyKey) {
    Run run = new Run(ctx, op, idempotencyKey);
    run.start();
    return run.out;
  }

  private final class Run {
    final CallContext ctx;
    final Operation op;
    final String idempotencyKey;
    final byte[] body;
    final CompletableFuture<Reply> out = new CompletableFuture<>();
    volatile CompletableFuture<?> current;
    Runnable unlisten = () -> {};

    Run(CallContext ctx, Operation op, String idempotencyKey) {
      this.ctx = ctx;
      this.op = op;
      this.idempotencyKey = idempotencyKey;
      byte[] b = null;
      if (op.body() != null) {
        try {
          b = Json.MAPPER.writeValueAsBytes(op.body());
        } catch (Exception e) {
          throw new IllegalStateException("cannot serialise the request body", e);
        }
      }
      this.body = b;
    }

    void start() {
      unlisten = ctx.signal.onAbort(() -> {
        fail(aborted());
        CompletableFuture<?> c = current;
        if (c != null) c.cancel(true);
      });
      out.whenComplete((v, e) -> unlisten.run());
      attempt(1, null);
    }

    void fail(ModelwireException e) {
      e.withAttempts(ctx.attempts.get());
      out.completeExceptionally(e);
    }

    AbortedException aborted() {
      return new AbortedException(ErrorInfo.of("ABORTED", "the call was aborted by the caller")
          .ids(ctx.requestId, ctx.traceId));
    }

    DeadlineExceededException deadline(ModelwireException last) {
      return new DeadlineExceededException(ErrorInfo.of("DEADLINE_EXCEEDED",
          "the call's deadline passed" + (last != null ? " (last error: " + last.code() + ")" : "")
              + "; raise deadline or check the model").ids(ctx.requestId, ctx.traceId)
          .status(last != null ? last.httpStatus() : null).cause(last));
    }

    void attempt(int n, ModelwireException last) {
      if (out.isDone()) return;
      if (ctx.signal.isAborted()) {
        fail(aborted());
        return;
      }
      long remaining = ctx.deadlineAt - scheduler.nowMillis();
      if (remaining <= 0) {
        fail(deadline(last));
        return;
      }
      CircuitBreaker cb = breakers == null || op.model() == null ? null : breakers.get(op.model(), op.version());
      if (cb != null && !cb.tryAcquirePermission()) {
        fail(new CircuitOpenException(ErrorInfo.of("CIRCUIT_OPEN",
            "the breaker of " + op.model() + (op.version() != null ? "@" + op.version() : "")
                + " is open; calls fail fast until the reset timeout passes (configure a fallback)")
            .ids(ctx.requestId, ctx.traceId)));
        return;
      }
      long timeout = Math.min(ctx.timeoutMs, remaining);
      boolean cutByDeadline = remaining < ctx.timeoutMs;
      ctx.attempts.incrementAndGet();
      long startNs = System.nanoTime();
      emit(ModelwireEvent.Type.REQUEST, n, null, 0, null, op.method() + " " + op.path());
      CompletableFuture<TransportResponse> sent;
      try {
        sent = sendWithAuth(timeout);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((res, err) -> {
        long elapsedNs = System.nanoTime() - startNs;
        double latencyMs = elapsedNs / 1e6;
        Object outcome = classify(res, err, timeout);
        if (outcome instanceof Reply reply) {
          if (cb != null) cb.onSuccess(elapsedNs, TimeUnit.NANOSECONDS);
          budget.onSuccess();
          emit(ModelwireEvent.Type.RESPONSE, n, res.status(), latencyMs, null, null);
          out.complete(reply);
          return;
        }
        ModelwireException me = (ModelwireException) outcome;
        if (cb != null) {
          if (Failures.isBreakerFailure(me)) cb.onError(elapsedNs, TimeUnit.NANOSECONDS, me);
          else cb.releasePermission(); // ignored: neither failure nor success
        }
        emit(ModelwireEvent.Type.RESPONSE, n, me.httpStatus(), latencyMs, me.code(), null);
        if (out.isDone()) return;
        if (me instanceof AbortedException) {
          fail(me);
          return;
        }
        if (me instanceof TimeoutException && cutByDeadline) {
          fail(deadline(me));
          return;
        }
        if (!retryable(me) || n > options.maxRetries()) {
          fail(me);
          return;
        }
        long remainingNow = ctx.deadlineAt - scheduler.nowMillis();
        Long retryAfter = me.retryAfterMs();
        if (retryAfter != null && (retryAfter > options.retryAfterCapMs() || retryAfter > remainingNow)) {
          fail(me); // the server asks for a longer wait than we may spend: give up at once
          return;
        }
        long delay = retryAfter != null ? retryAfter : Backoff.delayMs(options, n, random);
        if (delay >= remainingNow) {
          fail(deadline(me));
          return;
        }
        if (!budget.tryTake()) {
          fail(me); // retry budget empty: sustained outage, stop amplifying it
          return;
        }
        emit(ModelwireEvent.Type.RETRY, n, me.httpStatus(), 0, me.code(), Long.toString(delay));
        CompletableFuture<Void> sleep = scheduler.delay(delay);
        current = sleep;
        sleep.whenComplete((v, e) -> attempt(n + 1, me));
      });
    }

    boolean retryable(ModelwireException e) {
      if (e instanceof TimeoutException) return options.retryOnTimeout();
      if (e instanceof ConnectionException) return options.retryOnConnectionError();
      if (e instanceof MalformedResponseException) return false;
      return e.httpStatus() != null && options.retryOnStatus().contains(e.httpStatus());
    }

    Object classify(TransportResponse res, Throwable err, long timeout) {
      if (err != null) {
        if (ctx.signal.isAborted()) return aborted();
        return ErrorMapper.fromTransport(err, ctx.requestId, ctx.traceId, timeout);
      }
      int s = res.status();
      if (s >= 200 && s < 300) {
        JsonNode env;
        try {
          env = res.body().length == 0 ? null : Json.MAPPER.readTree(res.body());
        } catch (Exception e) {
          env = null;
        }
        if (env == null || !env.isObject() || (op.method().equals("POST") && op.path().endsWith("/predict")
            && !env.has("result"))) {
          return new MalformedResponseException(ErrorInfo.of("MALFORMED_RESPONSE",
              "HTTP " + s + " body is not the contract's JSON envelope; check that baseUrl points at a modelwire gateway")
              .status(s).ids(ctx.requestId, ctx.traceId));
        }
        return new Reply(env, res, op.model());
      }
      return ErrorMapper.fromStatus(s, res.body(), res.header("Retry-After"), ctx.requestId, ctx.traceId,
          scheduler.nowMillis());
    }

    CompletableFuture<TransportResponse> sendWithAuth(long timeout) {
      String pre = ctx.prefetchedToken.getAndSet(null);
      CompletableFuture<String> first = pre != null ? CompletableFuture.completedFuture(pre) : tokens.token();
      return first.thenCompose(token -> sendOnce(token, timeout).thenCompose(res -> {
        // one fresh token and one repeat on 401 (not counted as a retry)
        if (res.status() == 401 && token != null && tokens.invalidate(token)) {
          ctx.attempts.incrementAndGet(); // an HTTP attempt, though it uses no retry
          return tokens.token().thenCompose(fresh -> sendOnce(fresh, timeout));
        }
        return CompletableFuture.completedFuture(res);
      }));
    }

    CompletableFuture<TransportResponse> sendOnce(String token, long timeout) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Accept", "application/json");
      h.put("User-Agent", CLIENT);
      h.put("X-Request-Id", ctx.requestId);
      h.put("traceparent", Traceparent.header(ctx.traceId, ctx.traceFlags));
      if (body != null) h.put("Content-Type", "application/json");
      if (idempotencyKey != null) h.put("Idempotency-Key", idempotencyKey);
      if (op.version() != null) h.put("X-Model-Version", op.version());
      if (token != null) h.put("Authorization", "Bearer " + token);
      TransportRequest req = new TransportRequest(op.method(), URI.create(baseUrl + op.path()), h, body,
          Duration.ofMillis(Math.max(1, timeout)));
      CompletableFuture<TransportResponse> f = transport.send(req);
      current = f;
      return f;
    }

    void emit(ModelwireEvent.Type type, int attempt, Integer status, double latency, String code, String detail) {
      events.accept(new ModelwireEvent(type, op.model(), op.version(), ctx.requestId, attempt, status, latency, code, detail));
    }
  }

  /** Bytes of a string (helper for tests). {@code RetryLoop.utf8("x")} */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
