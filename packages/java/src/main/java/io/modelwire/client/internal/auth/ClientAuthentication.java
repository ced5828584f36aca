package io.modelwire.client.internal.auth;

import io.modelwire.client.Auth;
import io.modelwire.client.AuthMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the client proves who it is in one token request, by its {@link AuthMethod}
 * (docs/semantics.md, "OIDC client credentials: the token request"): {@code client_secret_post}
 * puts the id and secret in the form; {@code client_secret_basic} form-urlencodes each, then sends
 * {@code Authorization: Basic base64(id ":" secret)} (RFC 6749 §2.3.1) and neither in the form;
 * {@code private_key_jwt} puts the id, the assertion type and a new signed assertion in the form.
 *
 * <pre>{@code
 * ClientAuthentication auth = ClientAuthentication.of(oidc);
 * ClientAuthentication.Credentials c = auth.credentials(scheduler.nowMillis());
 * }</pre>
 */
public final class ClientAuthentication {
  /**
   * What one token request carries to authenticate the client.
   *
   * @param form form fields (after {@code grant_type}, before {@code scope})
   * @param headers extra headers
   * @param secret the secret part sent (a client secret or assertion), to scrub from errors; may be null
   */
  public record Credentials(Map<String, String> form, Map<String, String> headers, String secret) {}

  private final Auth.Oidc oidc;
  private final ClientAssertion assertion; // null unless private_key_jwt

  private ClientAuthentication(Auth.Oidc oidc, ClientAssertion assertion) {
    this.oidc = oidc;
    this.assertion = assertion;
  }

  /**
   * Prepares the method (reads the private key once for {@code private_key_jwt}).
   *
   * <pre>{@code ClientAuthentication.of(Auth.oidc(url, "svc", secret, null)) }</pre>
   *
   * @param oidc the options, already checked
   * @return the client authentication
   */
  public static ClientAuthentication of(Auth.Oidc oidc) {
    return new ClientAuthentication(oidc, oidc.authMethod() == AuthMethod.PRIVATE_KEY_JWT ? ClientAssertion.of(oidc) : null);
  }

  /**
   * The credentials of one token request.
   *
   * <pre>{@code auth.credentials(scheduler.nowMillis()).form() }</pre>
   *
   * @param wallMillis the wall clock's now (an assertion's {@code iat})
   * @return the form fields and headers
   */
  public Credentials credentials(long wallMillis) {
    Map<String, String> form = new LinkedHashMap<>();
    switch (oidc.authMethod()) {
      case CLIENT_SECRET_BASIC -> {
        String pair = formEncode(oidc.clientId()) + ":" + formEncode(oidc.clientSecret());
        String basic = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        return new Credentials(form, Map.of("Authorization", "Basic " + basic), oidc.clientSecret());
      }
      case PRIVATE_KEY_JWT -> {
        String jwt = assertion.sign(wallMillis);
        form.put("client_id", oidc.clientId());
        form.put("client_assertion_type", ClientAssertion.TYPE);
        form.put("client_assertion", jwt);
        return new Credentials(form, Map.of(), jwt);
      }
      default -> {
        form.put("client_id", oidc.clientId());
        form.put("client_secret", oidc.clientSecret());
        return new Credentials(form, Map.of(), oidc.clientSecret());
      }
    }
  }

  /**
   * {@code application/x-www-form-urlencoded} encoding of one value (space as {@code +}).
   *
   * <pre>{@code ClientAuthentication.formEncode("a b:c") // "a+b%3Ac" }</pre>
   *
   * @param value the value
   * @return its encoding
   */
  public static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
