package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.auth.ClientAuthentication;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** client_secret_post, client_secret_basic and private_key_jwt (docs/semantics.md, Auth). */
class ClientAuthenticationTest {
  static final String TOKEN_URL = "https://sso.example/realms/x/protocol/openid-connect/token";
  static final long NOW = 1_764_000_000_123L; // wall clock, ms

  @Test
  void clientSecretPostPutsTheIdAndSecretInTheForm() {
    ClientAuthentication.Credentials c = ClientAuthentication.of(Auth.oidc(TOKEN_URL, "svc", "s3cret", null)).credentials(NOW);
    assertEquals(Map.of("client_id", "svc", "client_secret", "s3cret"), c.form());
    assertEquals(Map.of(), c.headers());
  }

  @Test
  void clientSecretBasicFormEncodesEachPartThenBase64sThePair() {
    Auth.Oidc oidc = Auth.oidc(TOKEN_URL, "svc:basic id", "s3cret/with:colon+plus", null)
        .withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC);
    ClientAuthentication.Credentials c = ClientAuthentication.of(oidc).credentials(NOW);
    assertEquals(Map.of(), c.form(), "neither the id nor the secret goes in the form");
    String basic = c.headers().get("Authorization");
    assertTrue(basic.startsWith("Basic "), basic);
    String pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
    // RFC 6749 §2.3.1: ':' '/' '+' are percent-encoded and a space is '+', so the one ':' left splits id and secret
    assertEquals("svc%3Abasic+id:s3cret%2Fwith%3Acolon%2Bplus", pair);
  }

  @Test
  void privateKeyJwtRs256SignsANewAssertionWithTheRequiredClaims() throws Exception {
    KeyPair keys = TestKeys.rsa(2048);
    Auth.Oidc oidc = Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc-jwt", TestKeys.pem(keys), "key-1");
    ClientAuthentication auth = ClientAuthentication.of(oidc);
    ClientAuthentication.Credentials c = auth.credentials(NOW);
    assertEquals("svc-jwt", c.form().get("client_id"));
    assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", c.form().get("client_assertion_type"));
    assertFalse(c.form().containsKey("client_secret"));
    SignedJWT jwt = SignedJWT.parse(c.form().get("client_assertion"));
    assertTrue(jwt.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic())), "signed with the private key");
    JsonNode header = Json.MAPPER.readTree(jwt.getHeader().toString());
    assertEquals("RS256", header.path("alg").asText());
    assertEquals("key-1", header.path("kid").asText());
    assertEquals("JWT", header.path("typ").asText());
    JsonNode claims = Json.MAPPER.readTree(jwt.getPayload().toString());
    assertEquals("svc-jwt", claims.path("iss").asText());
    assertEquals("svc-jwt", claims.path("sub").asText());
    assertEquals(TOKEN_URL, claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText());
    assertEquals(1_764_000_000L, claims.path("iat").asLong(), "iat: the wall clock in whole seconds");
    assertEquals(1_764_000_060L, claims.path("exp").asLong());
    assertTrue(claims.path("jti").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
        "a UUID v4: " + claims.path("jti"));
    String again = auth.credentials(NOW).form().get("client_assertion");
    assertNotEquals(c.form().get("client_assertion"), again, "a new assertion (jti) per token request");
  }

  @Test
  void privateKeyJwtEs256IsTheDefaultForAnEcKeyWithARawSignature() throws Exception {
    KeyPair keys = TestKeys.ec("secp256r1");
    Auth.Oidc oidc = Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc-es", TestKeys.pem(keys), null)
        .withAudience("https://sso.example/realms/x");
    String compact = ClientAuthentication.of(oidc).credentials(NOW).form().get("client_assertion");
    SignedJWT jwt = SignedJWT.parse(compact);
    assertEquals("ES256", jwt.getHeader().getAlgorithm().getName());
    assertNull(jwt.getHeader().getKeyID(), "no kid when none is configured");
    assertEquals("https://sso.example/realms/x", jwt.getJWTClaimsSet().getAudience().get(0));
    assertTrue(jwt.verify(new ECDSAVerifier((ECPublicKey) keys.getPublic())));
    // JOSE's raw r || s (64 bytes), not DER: verify it with the JDK's P1363 format too
    byte[] signature = jwt.getSignature().decode();
    assertEquals(64, signature.length);
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(keys.getPublic());
    verifier.update(compact.substring(0, compact.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
    assertTrue(verifier.verify(signature));
  }

  @Test
  void unusableKeysAndMissingSecretsAreInvalidOptionsWithoutTheSecret() {
    KeyPair ec = TestKeys.ec("secp256r1");
    String ecPem = TestKeys.pem(ec);
    for (Auth.Oidc bad : new Auth.Oidc[] {
        Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", null, "k"),
        Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", "not a key", "k"),
        Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "k"),
        Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", ecPem, "k").withAlgorithm(SigningAlgorithm.RS256),
        Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", TestKeys.pem(TestKeys.ec("secp384r1")), "k"),
        Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", TestKeys.pem(TestKeys.rsa(1024)), "k"),
        Auth.oidc(TOKEN_URL, "svc", null, null),
        Auth.oidc(TOKEN_URL, "svc", "", null).withAuthMethod(AuthMethod.CLIENT_SECRET_BASIC),
        Auth.oidc("ftp://u:pw@sso/token", "svc", "s3cret", null)}) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").auth(bad).build(), bad.toString());
      assertEquals("INVALID_OPTIONS", e.code());
      assertTrue(e.getMessage().startsWith("auth.oidc."), e.getMessage());
      assertFalse(e.getMessage().contains(ecPem.substring(30, 60)), "never the key: " + e.getMessage());
      assertFalse(e.getMessage().contains("pw"), "never the URL's credentials: " + e.getMessage());
    }
  }

  @Test
  void theOptionsNeverPrintTheSecretOrTheKey() {
    String pem = TestKeys.pem(TestKeys.ec("secp256r1"));
    String shown = Auth.oidcPrivateKeyJwt(TOKEN_URL, "svc", pem, "k").toString()
        + Auth.oidc(TOKEN_URL, "svc", "s3cret-XYZ", null).toString();
    assertFalse(shown.contains("s3cret-XYZ") || shown.contains(pem.substring(30, 60)), shown);
  }
}
