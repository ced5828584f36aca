package io.modelwire.client;

/**
 * The JWS algorithm of a {@code private_key_jwt} client assertion. When none is set the key decides:
 * an EC (P-256) key signs with ES256, an RSA key with RS256.
 *
 * <pre>{@code
 * Auth.oidcPrivateKeyJwt(tokenUrl, "svc", pem, "key-1").withAlgorithm(SigningAlgorithm.ES256);
 * }</pre>
 */
public enum SigningAlgorithm {
  /** RSASSA-PKCS1-v1_5 with SHA-256 (an RSA key of at least 2048 bits). */
  RS256,
  /** ECDSA on P-256 with SHA-256; the signature in JOSE's raw {@code r || s} form. */
  ES256
}
