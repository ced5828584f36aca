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
 * connections). The per-attempt timeout is the request timeout; there is no other timer.
 *
 * <pre>{@code Transport t = new HttpTransport(HttpClient.newHttpClient()); }</pre>
 */
public final class HttpTransport implements Transport {
  // java.net.http refuses to let callers set these.
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient http;

  /**
   * Wraps a client.
   *
   * <pre>{@code new HttpTransport(HttpTransport.defaultClient(Duration.ofSeconds(10))) }</pre>
   *
   * @param http the java.net.http client
   */
  public HttpTransport(HttpClient http) {
    this.http = http;
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
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public CompletableFuture<TransportResponse> send(TransportRequest r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(r.uri());
    if (r.timeout() != null && !r.timeout().isZero() && !r.timeout().isNegative()) b.timeout(r.timeout());
    r.headers().forEach((k, v) -> {
      if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) b.header(k, v);
    });
    HttpRequest.BodyPublisher body = r.body() == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body());
    b.method(r.method(), body);
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(res -> new TransportResponse(res.statusCode(), res.headers().map(),
            res.body() == null ? new byte[0] : res.body()));
  }

  /** The wrapped client. {@code transport.client()} */
  public HttpClient client() {
    return http;
  }
}
