package io.modelwire.client.internal.auth;

import io.modelwire.client.Auth;
import io.modelwire.client.AuthMethod;
import io.modelwire.client.internal.OptionRules;
import io.modelwire.client.internal.RedactedUrl;
import java.net.URI;

/**
 * The OIDC options checked when the client is built (docs/semantics.md, "What the SDKs check before
 * sending"): an absolute http(s) token URL, a client id, a secret for the secret methods, a usable
 * private key (and an algorithm that fits it) for {@code private_key_jwt}. A broken one is
 * {@code InvalidInputException} with code {@code INVALID_OPTIONS}; no message shows a secret or a key.
 *
 * <pre>{@code OidcOptionRules.check(Auth.oidc(tokenUrl, "svc", secret, null)) }</pre>
 */
public final class OidcOptionRules {
  private OidcOptionRules() {}

  /**
   * Checks the options.
   *
   * @param oidc the options
   * @throws io.modelwire.client.errors.InvalidInputException INVALID_OPTIONS when one is wrong
   */
  public static void check(Auth.Oidc oidc) {
    tokenUrl(oidc.tokenUrl());
    if (oidc.clientId().isEmpty()) throw OptionRules.broken("auth.oidc.clientId", "a non-empty client id", "\"\"");
    if (oidc.authMethod() == AuthMethod.PRIVATE_KEY_JWT) {
      ClientAssertion.of(oidc); // reads the key and fits the algorithm to it
    } else if (oidc.clientSecret() == null || oidc.clientSecret().isEmpty()) {
      throw OptionRules.broken("auth.oidc.clientSecret", "a non-empty secret for " + oidc.authMethod().wireName(),
          oidc.clientSecret() == null ? null : "\"\"");
    }
  }

  private static void tokenUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      // the text may hold credentials: say what is wrong, not what it is
      throw OptionRules.broken("auth.oidc.tokenUrl", "an absolute http(s) URL", "a text that is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw OptionRules.broken("auth.oidc.tokenUrl", "an absolute http(s) URL", RedactedUrl.of(uri));
    }
  }
}
