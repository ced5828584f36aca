package io.modelwire.client.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads one response body into bytes with a running count (docs/semantics.md, "Response limits"):
 * a Content-Length above the limit fails before any byte is read, a body that grows past it fails as
 * soon as the count exceeds it; both cancel the subscription, so java.net.http stops reading and drops the
 * connection. {@link #cancel()} does the same for an attempt whose time is up. One per request.
 *
 * <pre>{@code http.sendAsync(request, new LimitedBody(10 << 20)) }</pre>
 */
final class LimitedBody implements HttpResponse.BodyHandler<byte[]> {
  // presize from Content-Length up to this; larger bodies grow as they arrive
  private static final int MAX_PRESIZE = 1 << 20;

  private final long maxBytes;
  private final AtomicReference<Counting> subscriber = new AtomicReference<>();
  private volatile boolean cancelled;

  LimitedBody(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    long announced = info.headers().firstValueAsLong("content-length").orElse(-1L);
    Counting s = new Counting(info.statusCode(), announced);
    subscriber.set(s);
    if (cancelled) s.fail(new CancellationException("the attempt ended"));
    return s;
  }

  /** Stops reading (the attempt ended): the subscription is cancelled and the socket released. */
  void cancel() {
    cancelled = true;
    Counting s = subscriber.get();
    if (s != null) s.fail(new CancellationException("the attempt ended"));
  }

  private final class Counting implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final int status;
    private final long announced;
    private byte[] buf;
    private int count;

    Counting(int status, long announced) {
      this.status = status;
      this.announced = announced;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (!subscription.compareAndSet(null, s) || result.isDone()) {
        s.cancel();
        return;
      }
      if (announced > maxBytes) {
        fail(new ResponseTooLargeException(status, maxBytes));
        return;
      }
      buf = new byte[(int) Math.min(announced >= 0 ? announced : 8192, MAX_PRESIZE)];
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) return;
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if ((long) count + n > maxBytes) {
          fail(new ResponseTooLargeException(status, maxBytes));
          return;
        }
        if (count + n > buf.length) buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(2L * buf.length, count + n)));
        b.get(buf, count, n);
        count += n;
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      byte[] b = buf == null ? new byte[0] : buf;
      result.complete(count == b.length ? b : Arrays.copyOf(b, count));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    void fail(Throwable t) {
      if (!result.completeExceptionally(t)) return;
      Flow.Subscription s = subscription.get();
      if (s != null) s.cancel();
    }
  }
}
