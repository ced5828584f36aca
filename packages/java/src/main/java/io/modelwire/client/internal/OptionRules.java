package io.modelwire.client.internal;

import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import java.net.URI;
import java.time.Duration;

/**
 * The rules every option is checked against before anything is sent (docs/semantics.md, "What the
 * SDKs check before sending"). A broken rule is an {@link InvalidInputException} with code
 * {@code INVALID_OPTIONS} and the message {@code "<option> must be <rule>, got <value>"}.
 *
 * <pre>{@code Duration t = OptionRules.positive(timeout, "timeout"); URI u = OptionRules.baseUrl("http://127.0.0.1:4010/v1"); }</pre>
 */
public final class OptionRules {
  private static final int MAX_REQUEST_ID_LENGTH = 128;

  private OptionRules() {}

  /**
   * The base URL as an absolute http(s) URI with a host, without a trailing slash.
   *
   * <pre>{@code OptionRules.baseUrl("https://gateway.example/v1/") // https://gateway.example/v1 }</pre>
   *
   * @param url the caller's text
   * @return the URI
   */
  public static URI baseUrl(String url) {
    if (url == null) throw broken("baseUrl", "an absolute http(s) URL such as http://127.0.0.1:4010/v1", null);
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (java.net.URISyntaxException e) {
      throw broken("baseUrl", "an absolute http(s) URL such as http://127.0.0.1:4010/v1", quoted(url));
    }
    return baseUrl(uri, url);
  }

  /**
   * Checks an already parsed base URL.
   *
   * <pre>{@code OptionRules.baseUrl(URI.create("http://127.0.0.1:4010/v1"), null) }</pre>
   *
   * @param uri the URI (may be null)
   * @param original the caller's text for the message, or null to print the URI
   * @return the URI
   */
  public static URI baseUrl(URI uri, String original) {
    String scheme = uri == null ? null : uri.getScheme();
    boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    if (!http || uri.getHost() == null) {
      throw broken("baseUrl", "an absolute http(s) URL such as http://127.0.0.1:4010/v1",
          original != null ? quoted(original) : uri == null ? null : quoted(uri.toString()));
    }
    return uri;
  }

  /**
   * A duration above zero.
   *
   * <pre>{@code OptionRules.positive(Duration.ofSeconds(2), "timeout") }</pre>
   *
   * @param d the duration (null is refused)
   * @param option the option's name
   * @return the duration
   */
  public static Duration positive(Duration d, String option) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw broken(option, "a duration > 0", d == null ? null : d.toMillis() + " ms");
    }
    return d;
  }

  /**
   * A whole number at least {@code min}.
   *
   * <pre>{@code OptionRules.atLeast(retry.maxRetries(), 0, "retry.maxRetries") }</pre>
   *
   * @param n the value
   * @param min the smallest allowed
   * @param option the option's name
   */
  public static void atLeast(long n, long min, String option) {
    if (n < min) throw broken(option, "an integer >= " + min, Long.toString(n));
  }

  /**
   * A finite number at least {@code min}.
   *
   * <pre>{@code OptionRules.finiteAtLeast(retry.backoffMultiplier(), 0, "retry.backoffMultiplier") }</pre>
   *
   * @param x the value
   * @param min the smallest allowed
   * @param option the option's name
   */
  public static void finiteAtLeast(double x, double min, String option) {
    if (!Double.isFinite(x) || x < min) throw broken(option, "a finite number >= " + min, Double.toString(x));
  }

  /**
   * A value that is present.
   *
   * <pre>{@code OptionRules.required(auth, "auth", "an Auth (Auth.none() for none)") }</pre>
   *
   * @param value the value
   * @param option the option's name
   * @param rule what it must be
   * @param <T> its type
   * @return the value
   */
  public static <T> T required(T value, String option, String rule) {
    if (value == null) throw broken(option, rule, null);
    return value;
  }

  /**
   * A request id that can travel in the X-Request-Id header: 1 to 128 visible ASCII characters
   * (the contract's pattern {@code ^[!-~]{1,128}$}). Null means "generate one".
   *
   * <pre>{@code OptionRules.requestId("order-42") }</pre>
   *
   * @param id the id or null
   * @return the id
   */
  public static String requestId(String id) {
    if (id == null) return null;
    boolean ok = !id.isEmpty() && id.length() <= MAX_REQUEST_ID_LENGTH;
    for (int i = 0; ok && i < id.length(); i++) {
      char c = id.charAt(i);
      ok = c >= '!' && c <= '~';
    }
    if (!ok) {
      throw broken("requestId", "1 to " + MAX_REQUEST_ID_LENGTH + " visible ASCII characters (U+0021 to U+007E)",
          quoted(id) + " (" + id.length() + " characters)");
    }
    return id;
  }

  /**
   * The error for a broken rule.
   *
   * <pre>{@code throw OptionRules.broken("timeout", "a duration > 0", "0 ms"); }</pre>
   *
   * @param option the option's name
   * @param rule what it must be
   * @param got the value as printed, or null
   * @return the error
   */
  public static InvalidInputException broken(String option, String rule, String got) {
    return new InvalidInputException(ErrorInfo.of("INVALID_OPTIONS",
        option + " must be " + rule + ", got " + (got == null ? "null" : got)));
  }

  // JSON-style quoting keeps tabs and control characters visible in the message
  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    CanonicalJson.string(s, sb);
    return sb.toString();
  }
}
