package io.modelwire.client.internal;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) canonical JSON, byte-identical to the TypeScript and Python SDKs.
 *
 * <pre>{@code CanonicalJson.write(Json.MAPPER.readTree("{\"b\":1.0,\"a\":\"é\"}")) // {"a":"é","b":1} }</pre>
 *
 * <p>Every number is an IEEE-754 double (RFC 8785 §3.2.2.3): big integers are converted to the
 * nearest double and printed as ECMAScript {@code Number.prototype.toString} would.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * Canonicalises a JSON tree.
   *
   * <pre>{@code String s = CanonicalJson.write(node); }</pre>
   *
   * @param node the tree (Jackson nodes; nulls are kept)
   * @return the canonical text
   * @throws InvalidInputException on NaN or ±Infinity
   */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) fields.add(it.next());
      // String.compareTo compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
      fields.sort(Map.Entry.comparingByKey());
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : fields) {
        if (!first) out.append(',');
        first = false;
        string(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) out.append(',');
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      string(node.textValue(), out);
    } else if (node.isBoolean()) {
      out.append(node.booleanValue() ? "true" : "false");
    } else if (node.isNumber()) {
      number(node.doubleValue(), out);
    } else if (node.isBinary()) {
      string(node.asText(), out);
    } else {
      // POJO nodes and other exotic node types are not JSON values.
      throw new InvalidInputException(
          ErrorInfo.of("INVALID_INPUT", "data holds a non-JSON value of type " + node.getNodeType()
              + "; pass maps, lists, strings, numbers, booleans and nulls only"));
    }
  }

  /**
   * Prints a string as ECMAScript {@code JSON.stringify} does (lone surrogates escaped).
   *
   * <pre>{@code CanonicalJson.string("a\"b", sb) // "a\"b" }</pre>
   *
   * @param s the string
   * @param out where to append
   */
  static void string(String s, StringBuilder out) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            hex4(c, out);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              hex4(c, out); // lone high surrogate, as well-formed JSON.stringify does
            }
          } else if (Character.isLowSurrogate(c)) {
            hex4(c, out); // lone low surrogate
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The 1-digit decimal (as "d" or "10") that round-trips to {@code abs}, closest first, else null. */
  private static String oneDigit(double abs, int first, int n) {
    java.math.BigDecimal exact = new java.math.BigDecimal(abs);
    String best = null;
    java.math.BigDecimal bestDist = null;
    for (int cand : new int[] {first, first + 1}) {
      if (cand == 0) continue;
      java.math.BigDecimal v = java.math.BigDecimal.valueOf(cand).scaleByPowerOfTen(n - 1);
      if (v.doubleValue() != abs) continue;
      java.math.BigDecimal dist = v.subtract(exact).abs();
      if (bestDist == null || dist.compareTo(bestDist) < 0) {
        best = Integer.toString(cand);
        bestDist = dist;
      }
    }
    return best;
  }

  private static void hex4(char c, StringBuilder out) {
    String h = Integer.toHexString(c);
    out.append("\\u");
    for (int k = h.length(); k < 4; k++) out.append('0');
    out.append(h);
  }

  /**
   * Prints a double as ECMAScript {@code Number.prototype.toString} does.
   *
   * <pre>{@code number(1e21, sb) // 1e+21 }</pre>
   *
   * @param d the number
   * @param out where to append
   */
  static void number(double d, StringBuilder out) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new InvalidInputException(ErrorInfo.of("INVALID_INPUT",
          "data holds " + d + ", which JSON cannot represent; replace NaN/Infinity with null or a number"));
    }
    if (d == 0) {
      out.append('0'); // also -0
      return;
    }
    // Fast path: integers that a double holds exactly print as plain digits below 1e21.
    if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
      out.append((long) d);
      return;
    }
    // Schubfach gives the shortest digits that round-trip (the same digits ECMAScript picks);
    // only the layout differs, so re-layout "d.dddE±x" per ECMA-262 Number::toString.
    String s = DoubleToDecimal.toString(d);
    int i = 0;
    if (s.charAt(0) == '-') {
      out.append('-');
      i = 1;
    }
    int ePos = s.indexOf('E');
    String mant = ePos < 0 ? s.substring(i) : s.substring(i, ePos);
    int exp = ePos < 0 ? 0 : Integer.parseInt(s.substring(ePos + 1));
    int dot = mant.indexOf('.');
    String intPart = dot < 0 ? mant : mant.substring(0, dot);
    String fracPart = dot < 0 ? "" : mant.substring(dot + 1);
    StringBuilder digits = new StringBuilder(intPart).append(fracPart);
    int pointPos = intPart.length() + exp; // decimal point position relative to digits start
    // Normalise: strip leading zeros (moving the point) and trailing zeros.
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') lead++;
    digits.delete(0, lead);
    pointPos -= lead;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') end--;
    digits.setLength(end);
    int k = digits.length();
    int n = pointPos; // value = 0.digits × 10^n  ==  digits × 10^(n-k)
    if (k == 2) {
      // Java's shortest-digits rule prints at least 2 digits (4.9E-324); ECMAScript takes a
      // 1-digit decimal whenever one round-trips (5e-324), the closest one if both do.
      String one = oneDigit(Math.abs(d), digits.charAt(0) - '0', n);
      if (one != null) {
        digits.setLength(0);
        digits.append(one.charAt(0));
        if (one.length() > 1) n++; // "10" → 1 × 10^(n+1)
        k = 1;
      }
    }
    layout(digits, k, n, out);
  }

  // ECMA-262 Number::toString layout of "0.digits × 10^n" (k digits): plain, fixed or exponent.
  private static void layout(StringBuilder digits, int k, int n, StringBuilder out) {
    if (k <= n && n <= 21) {
      out.append(digits);
      for (int z = 0; z < n - k; z++) out.append('0');
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int z = 0; z < -n; z++) out.append('0');
      out.append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) out.append('.').append(digits, 1, k);
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }
}
