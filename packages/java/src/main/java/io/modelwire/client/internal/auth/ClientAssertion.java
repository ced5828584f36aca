package io.modelwire.client.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.modelwire.client.Auth;
import io.modelwire.client.SigningAlgorithm;
import io.modelwire.client.internal.OptionRules;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * The {@code private_key_jwt} client assertion (RFC 7523, OIDC Core §9), signed with Nimbus JOSE+JWT:
 * header {@code {alg, kid (when set), typ: "JWT"}}, claims {@code iss = sub = clientId},
 * {@code aud} = the audience option or the token URL, {@code iat} = the wall clock's now in seconds,
 * {@code exp = iat + 60}, {@code jti} = a random UUID — a new one for every token request. ES256
 * signatures are JOSE's raw 64-byte {@code r || s}, as Nimbus writes them.
 *
 * <pre>{@code
 * ClientAssertion assertion = ClientAssertion.of(oidc); // checks the key: INVALID_OPTIONS
 * String jwt = assertion.sign(System.currentTimeMillis());
 * }</pre>
 */
public final class ClientAssertion {
  /** The form's {@code client_assertion_type} for a JWT assertion. */
  public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  /** Assertions live one minute: long enough for clock skew, short enough that a leaked one is soon useless. */
  static final long LIFETIME_S = 60;
  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  private final JWSSigner signer;
  private final JWSHeader header;
  private final String clientId;
  private final String audience;

  private ClientAssertion(JWSSigner signer, JWSHeader header, String clientId, String audience) {
    this.signer = signer;
    this.header = header;
    this.clientId = clientId;
    this.audience = audience;
  }

  /**
   * Reads the key and picks the algorithm once, for every assertion of this client.
   *
   * <pre>{@code ClientAssertion.of(Auth.oidcPrivateKeyJwt(tokenUrl, "svc", pem, "key-1")) }</pre>
   *
   * @param oidc the options ({@code privateKeyPem}, {@code algorithm}, {@code keyId}, {@code audience})
   * @return the signer of assertions
   * @throws io.modelwire.client.errors.InvalidInputException INVALID_OPTIONS when the key is unusable
   *     (the message never shows the key)
   */
  public static ClientAssertion of(Auth.Oidc oidc) {
    PrivateKey key = privateKey(oidc.privateKeyPem());
    SigningAlgorithm algorithm = oidc.algorithm() != null ? oidc.algorithm()
        : key instanceof ECPrivateKey ? SigningAlgorithm.ES256 : SigningAlgorithm.RS256;
    JWSSigner signer = signer(key, algorithm);
    JWSHeader.Builder header = new JWSHeader.Builder(new JWSAlgorithm(algorithm.name())).type(JOSEObjectType.JWT);
    if (oidc.keyId() != null) header.keyID(oidc.keyId());
    String audience = oidc.audience() != null ? oidc.audience() : oidc.tokenUrl();
    return new ClientAssertion(signer, header.build(), oidc.clientId(), audience);
  }

  /**
   * A new signed assertion.
   *
   * <pre>{@code assertion.sign(scheduler.nowMillis()) }</pre>
   *
   * @param wallMillis the wall clock's now (ms since the epoch): {@code iat}, and {@code exp} 60 s later
   * @return the compact JWS
   * @throws IllegalStateException when the signer fails (the message never shows the key)
   */
  public String sign(long wallMillis) {
    long iat = Math.floorDiv(wallMillis, 1000);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(clientId)
        .subject(clientId)
        .audience(audience)
        .issueTime(new Date(iat * 1000))
        .expirationTime(new Date((iat + LIFETIME_S) * 1000))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("the " + header.getAlgorithm() + " signer failed", e);
    }
    return jwt.serialize();
  }

  private static PrivateKey privateKey(String pem) {
    int begin = pem == null ? -1 : pem.indexOf(PEM_BEGIN);
    int end = begin < 0 ? -1 : pem.indexOf(PEM_END, begin);
    if (end < 0) {
      throw OptionRules.broken("auth.oidc.privateKeyPem", "a PKCS#8 PEM private key (" + PEM_BEGIN + " … " + PEM_END
          + ") for private_key_jwt", pem == null ? null : "a text without those lines");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw OptionRules.broken("auth.oidc.privateKeyPem", "a PKCS#8 PEM private key", "a PEM block that is not base64");
    }
    for (String type : new String[] {"EC", "RSA"}) {
      try {
        return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisType) {
        // try the next type; the cause is not kept: it could quote the key's bytes
      }
    }
    throw OptionRules.broken("auth.oidc.privateKeyPem", "an RSA or EC P-256 private key in PKCS#8 PEM",
        "a PEM block that holds neither");
  }

  private static JWSSigner signer(PrivateKey key, SigningAlgorithm algorithm) {
    if (algorithm == SigningAlgorithm.ES256) {
      // ES256 is P-256 only: a P-384 key would sign, and the identity provider would refuse it
      if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw OptionRules.broken("auth.oidc.algorithm", "RS256 for an RSA key, ES256 for an EC P-256 key",
            "ES256 with " + describe(key));
      }
      try {
        return new ECDSASigner(ec);
      } catch (JOSEException e) {
        throw OptionRules.broken("auth.oidc.privateKeyPem", "an EC P-256 private key for ES256", describe(key));
      }
    }
    if (!(key instanceof RSAPrivateKey rsa)) {
      throw OptionRules.broken("auth.oidc.algorithm", "RS256 for an RSA key, ES256 for an EC P-256 key",
          "RS256 with " + describe(key));
    }
    if (rsa.getModulus().bitLength() < 2048) {
      throw OptionRules.broken("auth.oidc.privateKeyPem", "an RSA key of at least 2048 bits for RS256", describe(key));
    }
    return new RSASSASigner(rsa);
  }

  private static String describe(PrivateKey key) {
    if (key instanceof RSAPrivateKey rsa) return "an RSA key of " + rsa.getModulus().bitLength() + " bits";
    if (key instanceof ECPrivateKey ec) return "an EC key of " + ec.getParams().getCurve().getField().getFieldSize() + " bits";
    return "a " + key.getAlgorithm() + " key";
  }
}
