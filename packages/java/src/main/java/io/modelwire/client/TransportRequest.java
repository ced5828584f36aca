package io.modelwire.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP attempt as the pipeline hands it to a {@link Transport}.
 *
 * <pre>{@code new TransportRequest("GET", URI.create("http://127.0.0.1:4010/v1/models"), Map.of(), null, Duration.ofSeconds(10)) }</pre>
 *
 * @param method HTTP method
 * @param uri absolute URI
 * @param headers request headers (contain the Authorization header: never log them unredacted)
 * @param body body bytes or null
 * @param timeout per-attempt timeout
 * @param maxResponseBytes largest body to read for this request (the OIDC token answer: 1 MiB), or
 *     null for the transport's own limit (max_response_bytes)
 */
public record TransportRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
    Long maxResponseBytes) {
  /**
   * A request limited by the transport's own body limit.
   *
   * <pre>{@code new TransportRequest("GET", uri, Map.of(), null, Duration.ofSeconds(10)) }</pre>
   *
   * @param method HTTP method
   * @param uri absolute URI
   * @param headers request headers
   * @param body body bytes or null
   * @param timeout per-attempt timeout
   */
  public TransportRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
    this(method, uri, headers, body, timeout, null);
  }

  /** Redacted view for logs. {@code log.debug("{}", request)} */
  @Override
  public String toString() {
    return method + " " + uri + " " + io.modelwire.client.internal.Redaction.headers(headers);
  }
}
