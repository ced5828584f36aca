package io.modelwire.client.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shows headers by allowlist; everything else (Authorization above all) is redacted.
 *
 * <pre>{@code Redaction.headers(Map.of("Authorization", "Bearer x")) // {authorization=[REDACTED]} }</pre>
 */
public final class Redaction {
  private Redaction() {}

  /** Headers that are safe to show in logs and events. */
  public static final Set<String> ALLOWED = Set.of("accept", "content-type", "content-length",
      "x-request-id", "idempotency-key", "traceparent", "x-model-version", "retry-after", "user-agent",
      "location");

  /**
   * A loggable copy of the headers.
   *
   * <pre>{@code log.debug("headers {}", Redaction.headers(h)); }</pre>
   *
   * @param headers the headers
   * @return lower-cased names, disallowed values replaced by {@code [REDACTED]}
   */
  public static Map<String, String> headers(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>();
    if (headers == null) return out;
    headers.forEach((k, v) -> {
      String name = k.toLowerCase(Locale.ROOT);
      out.put(name, ALLOWED.contains(name) ? v : "[REDACTED]");
    });
    return out;
  }
}
