package io.modelwire.client.internal;

import java.math.BigInteger;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses {@code Retry-After}: delay-seconds ({@code 1*DIGIT}) or an IMF-fixdate HTTP date, relative
 * to now (test/vectors/retry-after.json pins the details).
 *
 * <pre>{@code RetryAfter.parseMs("2", now) // 2000L }</pre>
 */
public final class RetryAfter {
  private RetryAfter() {}

  private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");
  private static final Pattern IMF_FIXDATE = Pattern.compile(
      "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
          + "[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$");

  /**
   * Milliseconds to wait, or null when the value is absent, empty or unusable ("1.5", "-1", "5s").
   * A date in the past gives 0.
   *
   * <pre>{@code RetryAfter.parseMs("Sun, 06 Nov 1994 08:49:37 GMT", nowMs) }</pre>
   *
   * @param value header value or null
   * @param nowMs current wall clock
   * @return the wait in ms (≥ 0) or null
   */
  public static Long parseMs(String value, long nowMs) {
    if (value == null) return null;
    String v = value.trim();
    if (v.isEmpty()) return null;
    if (DIGITS.matcher(v).matches()) {
      BigInteger ms = new BigInteger(v).multiply(BigInteger.valueOf(1000));
      // absurdly large values saturate; they are far above any cap anyway
      return ms.bitLength() < 63 ? ms.longValue() : Long.MAX_VALUE;
    }
    if (!IMF_FIXDATE.matcher(v).matches()) return null;
    try {
      long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0L, at - nowMs);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
