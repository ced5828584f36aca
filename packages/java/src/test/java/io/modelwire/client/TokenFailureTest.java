package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.AuthException;
import io.modelwire.client.internal.auth.RecentSecrets;
import io.modelwire.client.internal.auth.TokenFailure;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One error for "no token": code, fields and a one-line message without secrets. */
class TokenFailureTest {
  static final URI URL = URI.create("https://svc:pw-in-url@sso.example:8443/realms/x/token?client_hint=idp-pw");

  static RecentSecrets secrets(String... s) {
    RecentSecrets r = new RecentSecrets();
    for (String x : s) r.add(x);
    return r;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRefusalCarriesTheIdpStatusTheOauthErrorAndTheFixButNoSecret() {
    AuthException e = TokenFailure.answer(URL, 401,
        utf8("{\"error\":\"invalid_client\",\"error_description\":\"bad secret wrong-s3cret for\\n client\\tsvc\"}"),
        secrets("wrong-s3cret"));
    assertEquals("TOKEN_UNAVAILABLE", e.code());
    assertNull(e.httpStatus());
    assertEquals(401, e.idpStatus());
    assertEquals("invalid_client", e.oauthError());
    assertEquals("bad secret [REDACTED] for client svc", e.oauthErrorDescription());
    assertEquals("the token endpoint https://sso.example:8443/realms/x/token refused the token request: HTTP 401 "
        + "invalid_client (bad secret [REDACTED] for client svc): check the client id and its secret or key", e.getMessage());
    assertFalse(e.getMessage().contains("pw"), "no credentials or query of the token URL");
    assertEquals(0, e.attempts());
  }

  @Test
  void invalidScopeSaysToCheckTheScopeAndALongDescriptionIsCut() {
    AuthException e = TokenFailure.answer(URL, 400,
        utf8("{\"error\":\"invalid_scope\",\"error_description\":\"" + "x ".repeat(300) + "\"}"), secrets());
    assertTrue(e.getMessage().endsWith(": check the requested scope"), e.getMessage());
    assertEquals(200, e.oauthErrorDescription().length());
    assertTrue(e.oauthErrorDescription().endsWith("…"));
  }

  @Test
  void a200WithoutATokenAndAnAnswerThatIsNotOauthAreReportedAsSuch() {
    AuthException ok = TokenFailure.answer(URL, 200, utf8("{\"token_type\":\"Bearer\"}"), secrets());
    assertEquals("the token endpoint https://sso.example:8443/realms/x/token answered HTTP 200 without an access_token", ok.getMessage());
    assertEquals(200, ok.idpStatus());
    AuthException html = TokenFailure.answer(URL, 502, utf8("<html>bad gateway</html>"), secrets());
    assertEquals(502, html.idpStatus());
    assertNull(html.oauthError());
    assertNull(html.oauthErrorDescription());
    assertTrue(html.getMessage().endsWith("refused the token request: HTTP 502"), html.getMessage());
    AuthException weird = TokenFailure.answer(URL, 400, utf8("{\"error\":\"bad\\u0000code\"}"), secrets());
    assertNull(weird.oauthError(), "an error code with control characters is not an OAuth error");
  }

  @Test
  void noAnswerHasNoIdpStatus() {
    AuthException t = TokenFailure.timeout(URL, 300, null);
    assertEquals("the token endpoint https://sso.example:8443/realms/x/token did not answer within 300 ms", t.getMessage());
    assertNull(t.idpStatus());
    AuthException u = TokenFailure.unreachable(URL, new ConnectException(), secrets());
    assertEquals("could not reach the token endpoint https://sso.example:8443/realms/x/token: connection refused", u.getMessage());
    assertNull(u.idpStatus());
    assertNull(u.httpStatus());
  }

  @Test
  void aPausedCallerGetsANewErrorWithTheLastFailuresFields() {
    AuthException last = TokenFailure.answer(URL, 503, utf8("{\"error\":\"temporarily_unavailable\"}"), secrets());
    AuthException paused = TokenFailure.paused(last, 1_500, 2);
    assertEquals(last.getMessage() + " (token requests paused for another 1500 ms after 2 failures)", paused.getMessage());
    assertEquals(503, paused.idpStatus());
    assertEquals("temporarily_unavailable", paused.oauthError());
    assertEquals("TOKEN_UNAVAILABLE", paused.code());
    assertSame(last, paused.getCause());
    assertTrue(TokenFailure.paused(last, 900, 1).getMessage().endsWith("after 1 failure)"));
  }

  @Test
  void bearerCredentialsAndLongerSecretsFirstAreRedacted() {
    RecentSecrets r = secrets("abcd", "abcdefgh");
    assertEquals("[REDACTED] / [REDACTED] / Bearer [REDACTED]", r.redact("abcdefgh / abcd / Bearer eyJ.x-y_z"));
  }
}
