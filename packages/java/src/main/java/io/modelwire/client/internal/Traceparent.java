package io.modelwire.client.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context: keeps the caller's trace id or starts one; a new span id per attempt.
 *
 * <pre>{@code String tp = Traceparent.header(Traceparent.traceIdOf(null), "01") }</pre>
 */
public final class Traceparent {
  private Traceparent() {}

  private static final Pattern VALID = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");

  /**
   * The trace id of a caller's traceparent, or a new random one when absent or invalid.
   *
   * <pre>{@code Traceparent.traceIdOf("00-4bf9…-00f0…-01") // "4bf9…" }</pre>
   *
   * @param traceparent caller's header or null
   * @return 32 lowercase hex
   */
  public static String traceIdOf(String traceparent) {
    if (traceparent != null) {
      var m = VALID.matcher(traceparent.trim());
      if (m.matches() && !m.group(1).equals("0".repeat(32))) return m.group(1);
    }
    return hex(16);
  }

  /**
   * The flags of a caller's traceparent ("01" when none).
   *
   * <pre>{@code Traceparent.flagsOf(null) // "01" }</pre>
   *
   * @param traceparent caller's header or null
   * @return 2 hex
   */
  public static String flagsOf(String traceparent) {
    if (traceparent != null) {
      var m = VALID.matcher(traceparent.trim());
      if (m.matches()) return m.group(3);
    }
    return "01";
  }

  /**
   * A header for one attempt (new span id each time).
   *
   * <pre>{@code Traceparent.header(traceId, "01") }</pre>
   *
   * @param traceId 32 hex
   * @param flags 2 hex
   * @return {@code 00-<trace>-<span>-<flags>}
   */
  public static String header(String traceId, String flags) {
    return "00-" + traceId + "-" + hex(8) + "-" + flags;
  }

  private static String hex(int bytes) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      int b = r.nextInt(256);
      if (i == bytes - 1 && sb.chars().allMatch(c -> c == '0') && b == 0) b = 1; // all-zero ids are invalid
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
    }
    return sb.toString();
  }
}
