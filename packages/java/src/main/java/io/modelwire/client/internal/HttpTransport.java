package io.modelwire.client.internal;

import io.modelwire.client.Transport;
import io.modelwire.client.TransportRequest;
import io.modelwire.client.TransportResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The default transport: one shared java.net.http client (HTTP/1.1, pooled keep-alive
 * connections). The body is read with a running count ({@link LimitedBody}, max_response_bytes).
 * The request timeout only bounds the headers; the timeout stage bounds the whole attempt and
 * cancels the returned future when its time is up, which cancels the exchange and the body's
 * subscription so the socket is released.
 *
 * <pre>{@code Transport t = new HttpTransport(HttpClient.newHttpClient()); }</pre>
 */
public final class HttpTransport implements Transport {
  // java.net.http refuses to let callers set these.
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private volatile HttpClient http; // null once released
  private final long maxResponseBytes;

  /**
   * Wraps a client; bodies are limited to the contract's max_response_bytes.
   *
   * <pre>{@code new HttpTransport(HttpTransport.defaultClient(Duration.ofSeconds(10))) }</pre>
   *
   * @param http the java.net.http client
   */
  public HttpTransport(HttpClient http) {
    this(http, io.modelwire.client.DefaultPolicy.get().maxResponseBytes());
  }

  /**
   * Wraps a client with a body limit.
   *
   * <pre>{@code new HttpTransport(client, 10 << 20) }</pre>
   *
   * @param http the java.net.http client
   * @param maxResponseBytes largest body read
   */
  public HttpTransport(HttpClient http, long maxResponseBytes) {
    this.http = http;
    this.maxResponseBytes = maxResponseBytes;
  }

  /**
   * The default client: HTTP/1.1 (no h2c upgrade round trip), connect timeout as given.
   *
   * <pre>{@code HttpTransport.defaultClient(Duration.ofSeconds(10)) }</pre>
   *
   * @param connectTimeout connect timeout
   * @return the client
   */
  public static HttpClient defaultClient(Duration connectTimeout) {
    return defaultClient(connectTimeout, null);
  }

  /**
   * The default client running its work on {@code executor} (null: java.net.http's own).
   *
   * <pre>{@code HttpTransport.defaultClient(Duration.ofSeconds(10), executor) }</pre>
   *
   * @param connectTimeout connect timeout
   * @param executor executor or null
   * @return the client
   */
  public static HttpClient defaultClient(Duration connectTimeout, java.util.concurrent.Executor executor) {
    HttpClient.Builder b = HttpClient.newBuilder();
    if (executor != null) b.executor(executor);
    return b
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public CompletableFuture<TransportResponse> send(TransportRequest r) {
    HttpClient http = this.http;
    if (http == null) return CompletableFuture.failedFuture(new java.io.IOException("the HTTP client was closed"));
    HttpRequest.Builder b = HttpRequest.newBuilder(r.uri());
    if (r.timeout() != null && !r.timeout().isZero() && !r.timeout().isNegative()) b.timeout(r.timeout());
    r.headers().forEach((k, v) -> {
      if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) b.header(k, v);
    });
    b.method(r.method(), r.body() == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    // a request may ask for less than the client's limit (the OIDC token answer), never more
    long limit = r.maxResponseBytes() == null ? maxResponseBytes : Math.min(maxResponseBytes, r.maxResponseBytes());
    LimitedBody body = new LimitedBody(limit);
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(b.build(), body);
    CompletableFuture<TransportResponse> out = exchange.thenApply(res -> new TransportResponse(res.statusCode(),
        res.headers().map(), res.body() == null ? new byte[0] : res.body()));
    // the pipeline cancels an attempt that ended (timeout, abort): stop the exchange, free the socket
    out.whenComplete((res, err) -> {
      if (out.isCancelled()) {
        body.cancel();
        exchange.cancel(true);
      }
    });
    return out;
  }

  /**
   * Drops the client (after close): on Java 17-20 java.net.http closes its pooled connections and
   * stops its selector thread only once the client is collected, so nothing may keep it reachable.
   */
  void release() {
    http = null;
  }

  /** The wrapped client (null once released). {@code transport.client()} */
  public HttpClient client() {
    return http;
  }
}
