package io.modelwire.client.internal.telemetry;

import java.net.URI;

/**
 * {@code url.full} as the attempt span records it (docs/semantics.md, "Telemetry"): credentials
 * become {@code REDACTED:REDACTED}, every query parameter's value becomes {@code REDACTED}, the
 * fragment is dropped. Unlike {@code RedactedUrl} (messages), the shape of the URL is kept.
 *
 * <pre>{@code UrlFull.of(URI.create("http://u:pw@h:9/v1/x?a=1&b")) // "http://REDACTED:REDACTED@h:9/v1/x?a=REDACTED&b" }</pre>
 */
public final class UrlFull {
  private UrlFull() {}

  /**
   * The redacted URL.
   *
   * @param uri the attempt's URL
   * @return its recorded form ({@code null} when it has no host)
   */
  public static String of(URI uri) {
    if (uri == null || uri.getHost() == null) return null;
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) sb.append(uri.getScheme()).append("://");
    if (uri.getRawUserInfo() != null) sb.append("REDACTED:REDACTED@");
    String host = uri.getHost();
    sb.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
    if (uri.getPort() >= 0) sb.append(':').append(uri.getPort());
    if (uri.getRawPath() != null) sb.append(uri.getRawPath());
    String query = uri.getRawQuery();
    if (query != null) {
      sb.append('?');
      String[] pairs = query.split("&", -1);
      for (int i = 0; i < pairs.length; i++) {
        if (i > 0) sb.append('&');
        int eq = pairs[i].indexOf('=');
        sb.append(eq < 0 ? pairs[i] : pairs[i].substring(0, eq) + "=REDACTED");
      }
    }
    return sb.toString();
  }

  /**
   * {@code server.port}: the URL's port, or the scheme's default (also recorded when it is the default).
   *
   * @param uri the URL
   * @return the port, or -1 when unknown
   */
  public static int port(URI uri) {
    if (uri.getPort() >= 0) return uri.getPort();
    if ("https".equalsIgnoreCase(uri.getScheme())) return 443;
    if ("http".equalsIgnoreCase(uri.getScheme())) return 80;
    return -1;
  }
}
