package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shared cache key: SHA-256 hex of canonicalJSON({model, version|null, scope, data}).
 *
 * <pre>{@code CacheKey.of("fraud-score", null, "anonymous", dataNode) }</pre>
 */
public final class CacheKey {
  private CacheKey() {}

  /**
   * Computes the key without building an intermediate tree: the four keys are already in
   * RFC 8785 order ({@code data < model < scope < version}).
   *
   * <pre>{@code String key = CacheKey.of("fraud-score", "2", "token:ab12…", data); }</pre>
   *
   * @param model model name
   * @param version pinned version or null
   * @param scope credential scope ("anonymous", "token:…", "oidc:…" or explicit)
   * @param data the input tree
   * @return 64 lowercase hex chars
   */
  public static String of(String model, String version, String scope, JsonNode data) {
    return Hashing.sha256Hex(canonical(model, version, scope, data));
  }

  /**
   * The canonical text that is hashed (exposed for vectors and debugging).
   *
   * <pre>{@code CacheKey.canonical("m", null, "anonymous", data) // {"data":…,"model":"m",…} }</pre>
   *
   * @param model model name
   * @param version pinned version or null
   * @param scope credential scope
   * @param data the input tree
   * @return canonical JSON text
   */
  public static String canonical(String model, String version, String scope, JsonNode data) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"data\":").append(CanonicalJson.write(data)).append(",\"model\":");
    CanonicalJson.string(model, sb);
    sb.append(",\"scope\":");
    CanonicalJson.string(scope, sb);
    sb.append(",\"version\":");
    if (version == null) sb.append("null");
    else CanonicalJson.string(version, sb);
    return sb.append('}').toString();
  }
}
