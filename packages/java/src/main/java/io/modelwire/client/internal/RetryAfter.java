package io.modelwire.client.internal;

import java.math.BigInteger;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses {@code Retry-After}: delay-seconds ({@code 1*DIGIT}, ASCII digits only, taken as at most
 * 2^31 s per RFC 9111 §1.2.2) or an IMF-fixdate HTTP date, relative to now
 * (test/vectors/retry-after.json pins the details).
 *
 * <pre>{@code RetryAfter.parseMs("2", now) // 2000L }</pre>
 */
public final class RetryAfter {
  private RetryAfter() {}

  // [0-9], not \d or Character.isDigit: fullwidth or Arabic-Indic digits are not DIGIT (RFC 5234)
  private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");
  // RFC 9111 §1.2.2: a delta-seconds value above 2^31 is taken as 2^31
  private static final BigInteger MAX_DELAY_SECONDS = BigInteger.ONE.shiftLeft(31);
  private static final Pattern IMF_FIXDATE = Pattern.compile(
      "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
          + "[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$");

  /**
   * Milliseconds to wait, or null when the value is absent, empty or unusable ("1.5", "-1", "5s",
   * "１"). A date in the past gives 0; delay-seconds above 2^31 give 2147483648000.
   *
   * <pre>{@code RetryAfter.parseMs("Sun, 06 Nov 1994 08:49:37 GMT", nowMs) }</pre>
   *
   * @param value header value or null
   * @param nowMs current wall clock
   * @return the wait in ms (≥ 0) or null
   */
  public static Long parseMs(String value, long nowMs) {
    if (value == null) return null;
    String v = stripOws(value);
    if (v.isEmpty()) return null;
    if (DIGITS.matcher(v).matches()) {
      BigInteger seconds = new BigInteger(v).min(MAX_DELAY_SECONDS);
      return seconds.longValueExact() * 1000L;
    }
    if (!IMF_FIXDATE.matcher(v).matches()) return null;
    try {
      long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0L, at - nowMs);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  // optional whitespace around a field value is SP / HTAB (RFC 9110 §5.5), nothing else
  private static String stripOws(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) start++;
    while (end > start && isOws(value.charAt(end - 1))) end--;
    return value.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
