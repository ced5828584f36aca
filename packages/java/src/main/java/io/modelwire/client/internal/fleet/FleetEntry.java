package io.modelwire.client.internal.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.internal.CanonicalJson;
import io.modelwire.client.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared-cache entry of fleet mode (docs/semantics.md, "Fleet mode (Redis)"), pinned by
 * test/vectors/fleet-entries.json: canonical JSON (RFC 8785) of {@code v, model, version,
 * stored_at_ms, ttl_ms, served_version, request_id, envelope}, plus {@code mac} (HMAC-SHA256,
 * lowercase hex, over the canonical JSON without {@code mac}) when entries are authenticated.
 *
 * <pre>{@code FleetEntry.Verdict v = FleetEntry.read(text, nowMs, "fraud-score", null, null); }</pre>
 */
public final class FleetEntry {
  private FleetEntry() {}

  /**
   * How a reader judges an entry: {@code fresh}, {@code expired} (stale-if-error may serve it) or
   * {@code ignored} with a reason (never served).
   *
   * @param verdict fresh, expired or ignored
   * @param entry the entry without mac (null when ignored)
   * @param reason why it was ignored (null otherwise)
   */
  public record Verdict(String verdict, ObjectNode entry, String reason) {
    static Verdict ignored(String reason) {
      return new Verdict("ignored", null, reason);
    }
  }

  /**
   * The entry as stored in Redis.
   *
   * <pre>{@code String text = FleetEntry.encode(fields, null); }</pre>
   *
   * @param fields the entry's fields (without mac)
   * @param hmacKey the key authenticating entries, or null
   * @return canonical JSON text
   */
  public static String encode(ObjectNode fields, byte[] hmacKey) {
    String text = CanonicalJson.write(fields);
    if (hmacKey == null) return text;
    ObjectNode signed = fields.deepCopy();
    signed.put("mac", mac(hmacKey, text));
    return CanonicalJson.write(signed);
  }

  /**
   * Judges an entry read from Redis for a call on (model, version).
   *
   * @param text the stored text
   * @param nowMs wall clock, epoch milliseconds
   * @param model the call's model
   * @param version the call's pinned version or null
   * @param hmacKey the key authenticating entries, or null (mac not checked)
   * @return the verdict
   */
  public static Verdict read(String text, double nowMs, String model, String version, byte[] hmacKey) {
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(text);
    } catch (Exception | StackOverflowError e) {
      return Verdict.ignored("unparseable");
    }
    if (parsed == null || !parsed.isObject()) return Verdict.ignored("unparseable");
    ObjectNode entry = (ObjectNode) parsed;
    JsonNode v = entry.get("v");
    if (v == null || !v.isNumber()) return Verdict.ignored("unparseable");
    if (v.asDouble() != 1.0) return Verdict.ignored("unknown_version");
    JsonNode mac = entry.remove("mac");
    if (!isEntry(entry)) return Verdict.ignored("unparseable");
    if (hmacKey != null) {
      String want;
      try {
        want = mac(hmacKey, CanonicalJson.write(entry));
      } catch (RuntimeException e) {
        return Verdict.ignored("unparseable");
      }
      if (mac == null || !mac.isTextual()
          || !MessageDigest.isEqual(mac.asText().getBytes(StandardCharsets.UTF_8), want.getBytes(StandardCharsets.UTF_8))) {
        return Verdict.ignored("bad_mac");
      }
    }
    if (!entry.get("model").asText().equals(model)) return Verdict.ignored("other_model");
    JsonNode ver = entry.get("version");
    String stored = ver.isNull() ? null : ver.asText();
    if (stored == null ? version != null : !stored.equals(version)) return Verdict.ignored("other_version");
    boolean fresh = nowMs - entry.get("stored_at_ms").asDouble() < entry.get("ttl_ms").asDouble();
    return new Verdict(fresh ? "fresh" : "expired", entry, null);
  }

  private static boolean optionalText(JsonNode n) {
    return n != null && (n.isNull() || n.isTextual());
  }

  private static boolean isEntry(ObjectNode e) {
    JsonNode model = e.get("model");
    JsonNode stored = e.get("stored_at_ms");
    JsonNode ttl = e.get("ttl_ms");
    JsonNode rid = e.get("request_id");
    JsonNode env = e.get("envelope");
    return model != null && model.isTextual()
        && optionalText(e.get("version"))
        && stored != null && stored.isNumber()
        && ttl != null && ttl.isNumber()
        && optionalText(e.get("served_version"))
        && rid != null && rid.isTextual()
        && env != null && env.isObject();
  }

  /**
   * HMAC-SHA256 of text, lowercase hex.
   *
   * @param key the key
   * @param text the text (UTF-8)
   * @return 64 hex digits
   */
  public static String mac(byte[] key, String text) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] d = m.doFinal(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      return sb.toString();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
