package io.modelwire.client.internal;

import java.net.URI;

/**
 * A URL as it may appear in a message, an event or a log: scheme, host, port and path only — never
 * the credentials ({@code user:pass@}) of a base URL, nor the query (docs/semantics.md, "Errors").
 *
 * <pre>{@code RedactedUrl.of(URI.create("http://u:pw@127.0.0.1:9/v1/health?x=1")) // "http://127.0.0.1:9/v1/health" }</pre>
 */
public final class RedactedUrl {
  private RedactedUrl() {}

  /**
   * The URL without user info, query and fragment.
   *
   * @param uri the URL an attempt went to
   * @return its printable form
   */
  public static String of(URI uri) {
    if (uri.getHost() == null) return "(a URL without a host)"; // opaque or unparsable: print nothing of it
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) sb.append(uri.getScheme()).append("://");
    sb.append(uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost());
    if (uri.getPort() >= 0) sb.append(':').append(uri.getPort());
    if (uri.getRawPath() != null) sb.append(uri.getRawPath());
    return sb.toString();
  }
}
