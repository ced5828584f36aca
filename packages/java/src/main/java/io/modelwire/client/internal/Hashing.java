package io.modelwire.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 and HMAC helpers with lowercase hex output.
 *
 * <pre>{@code Hashing.sha256Hex("abc") // ba7816bf… }</pre>
 */
public final class Hashing {
  private Hashing() {}

  /**
   * SHA-256 of the UTF-8 bytes of a string, lowercase hex.
   *
   * <pre>{@code Hashing.sha256Hex("token\nT") }</pre>
   *
   * @param text input
   * @return 64 hex chars
   */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * SHA-256 of bytes, lowercase hex.
   *
   * <pre>{@code Hashing.sha256Hex(new byte[0]) }</pre>
   *
   * @param bytes input
   * @return 64 hex chars
   */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
    }
  }
}
