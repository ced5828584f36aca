package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies signed job callbacks: {@code X-Modelwire-Signature: t=<unix>,v1=<hex>[,v1=…]} with
 * {@code v1 = hex(HMAC-SHA256(secret, "<t>.<raw body>"))} and a tolerance from the contract (300 s).
 *
 * <pre>{@code
 * // in your HTTP handler, with the raw body bytes:
 * Webhooks.verify(rawBody, request.getHeader("X-Modelwire-Signature"), secret);
 * Job job = Json.MAPPER.readValue(rawBody, JobResponse.class).getResult();
 * }</pre>
 */
public final class Webhooks {
  private Webhooks() {}

  private static final java.util.regex.Pattern V1 = java.util.regex.Pattern.compile("^[0-9a-f]{64}$");

  /** The signature header name. */
  public static final String HEADER = "X-Modelwire-Signature";

  /**
   * Verifies with the current time and the contract's tolerance.
   *
   * <pre>{@code Webhooks.verify(body, signatureHeader, "whsec") }</pre>
   *
   * @param rawBody the body exactly as received
   * @param signatureHeader the X-Modelwire-Signature value
   * @param secret the shared secret
   * @return the parsed body
   * @throws WebhookVerificationException when it does not verify
   */
  public static JsonNode verify(byte[] rawBody, String signatureHeader, String secret) {
    return verify(rawBody, signatureHeader, secret, Instant.now(), DefaultPolicy.get().webhookToleranceSeconds());
  }

  /**
   * Verifies, finding the header case-insensitively in a header map.
   *
   * <pre>{@code Webhooks.verify(body, Map.of("x-modelwire-signature", sig), secret) }</pre>
   *
   * @param rawBody the body
   * @param headers request headers
   * @param secret shared secret
   * @return the parsed body
   */
  public static JsonNode verify(byte[] rawBody, Map<String, String> headers, String secret) {
    String sig = null;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(HEADER)) sig = e.getValue();
    }
    return verify(rawBody, sig, secret);
  }

  /**
   * Verifies at a given time with a given tolerance (tests, replays).
   *
   * <pre>{@code Webhooks.verify(body, sig, secret, Instant.ofEpochSecond(1764000000), 300) }</pre>
   *
   * @param rawBody the body
   * @param signatureHeader header value
   * @param secret shared secret
   * @param now the time to check against
   * @param toleranceSeconds allowed |now - t|
   * @return the parsed body
   */
  public static JsonNode verify(byte[] rawBody, String signatureHeader, String secret, Instant now, long toleranceSeconds) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw new WebhookVerificationException("malformed_header", HEADER + " is missing");
    }
    Long t = null;
    List<String> v1 = new ArrayList<>();
    for (String part : signatureHeader.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new WebhookVerificationException("malformed_header", HEADER + " has a part without '=': use t=…,v1=…");
      }
      String k = p.substring(0, eq).trim();
      String v = p.substring(eq + 1).trim();
      if (k.equals("t")) {
        if (!v.matches("\\d{1,12}")) {
          throw new WebhookVerificationException("malformed_header", HEADER + " has a non-numeric t=");
        }
        t = Long.parseLong(v);
      } else if (k.equals("v1")) {
        if (!V1.matcher(v).matches()) {
          throw new WebhookVerificationException("malformed_header", HEADER + " has a v1 that is not 64 lowercase hex chars");
        }
        v1.add(v);
      }
    }
    if (t == null || v1.isEmpty()) {
      throw new WebhookVerificationException("malformed_header", HEADER + " needs t=<unix seconds> and at least one v1=<hex>");
    }
    if (Math.abs(now.getEpochSecond() - t) > toleranceSeconds) {
      throw new WebhookVerificationException("timestamp_out_of_tolerance",
          "signature timestamp is more than " + toleranceSeconds + " s away from now; check clocks or replay");
    }
    byte[] expected = HexFormat.of().formatHex(hmac(secret, t, rawBody)).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String candidate : v1) {
      // constant-time compare of every candidate (no early exit)
      ok |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
    }
    if (!ok) {
      throw new WebhookVerificationException("signature_mismatch", "no v1 signature matches; check the secret");
    }
    try {
      return Json.MAPPER.readTree(rawBody);
    } catch (java.io.IOException e) {
      throw new WebhookVerificationException("malformed_body", "the signed body is not JSON");
    }
  }

  /**
   * Signs a body (for tests and for your own mock gateways).
   *
   * <pre>{@code String header = Webhooks.sign(body, "whsec", 1764000000L); }</pre>
   *
   * @param rawBody body
   * @param secret secret
   * @param unixSeconds timestamp
   * @return the header value {@code t=…,v1=…}
   */
  public static String sign(byte[] rawBody, String secret, long unixSeconds) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, rawBody));
  }

  private static byte[] hmac(String secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
    }
  }
}
