package io.modelwire.client;

import java.util.List;
import java.util.Map;

/**
 * One HTTP response as a {@link Transport} returns it.
 *
 * <pre>{@code new TransportResponse(503, Map.of("retry-after", List.of("1")), bytes) }</pre>
 *
 * @param status HTTP status
 * @param headers response headers (names in any case)
 * @param body body bytes (never null; may be empty)
 */
public record TransportResponse(int status, Map<String, List<String>> headers, byte[] body) {
  /**
   * First value of a header, case-insensitive.
   *
   * <pre>{@code response.header("Retry-After") }</pre>
   *
   * @param name header name
   * @return value or null
   */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }
}
