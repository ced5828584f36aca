package io.modelwire.client.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.DefaultPolicy;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.internal.ConnectionReason;
import io.modelwire.client.internal.RedactedUrl;
import io.modelwire.client.internal.ResponseLimits;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The one error for "no token" (docs/semantics.md, "How a token failure is reported"):
 * {@code AuthException} with code {@code TOKEN_UNAVAILABLE}, no gateway {@code httpStatus}, the
 * identity provider's status in {@code idpStatus}, its OAuth {@code error} / {@code error_description}
 * in {@code oauthError} / {@code oauthErrorDescription}, and a one-line message naming the token URL
 * (no credentials, no query), what happened and the fix. Secrets are scrubbed from all of it.
 *
 * <pre>{@code throw TokenFailure.answer(tokenUrl, 401, body, recentSecrets); }</pre>
 */
public final class TokenFailure {
  /** The code of every token failure. */
  public static final String CODE = "TOKEN_UNAVAILABLE";
  /** An OAuth error description is shown cut to one line of this many characters. */
  static final int DESCRIPTION_MAX = 200;
  // an OAuth error code is a short printable ASCII word (RFC 6749 §5.2); anything else is not one
  private static final Pattern OAUTH_ERROR = Pattern.compile("[\\x20-\\x7e]{1,100}");
  private static final ResponseLimits ERROR_BODY = new ResponseLimits(1L << 20, DefaultPolicy.get().maxJsonDepth());

  private TokenFailure() {}

  /**
   * The token endpoint did not answer within the token request's timeout.
   *
   * <pre>{@code TokenFailure.timeout(tokenUrl, 10_000, cause) }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param timeoutMs the timeout
   * @param cause what the transport reported, or null
   * @return the error
   */
  public static AuthException timeout(URI tokenUrl, long timeoutMs, Throwable cause) {
    return new AuthException(ErrorInfo.of(CODE, where(tokenUrl) + " did not answer within " + timeoutMs + " ms").cause(cause));
  }

  /**
   * The token endpoint could not be reached (refused, reset, unresolved, TLS).
   *
   * <pre>{@code TokenFailure.unreachable(tokenUrl, new java.net.ConnectException(), secrets) }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param cause what the transport threw
   * @param secrets removed from the message
   * @return the error
   */
  public static AuthException unreachable(URI tokenUrl, Throwable cause, RecentSecrets secrets) {
    String reason = ConnectionReason.of(cause, tokenUrl);
    return new AuthException(ErrorInfo.of(CODE, secrets.redact("could not reach " + where(tokenUrl) + ": " + reason)).cause(cause));
  }

  /**
   * The token endpoint answered, but not with a token: a refusal ({@code 4xx}), a failure
   * ({@code 5xx}), or a {@code 200} without a usable {@code access_token}.
   *
   * <pre>{@code TokenFailure.answer(tokenUrl, 400, "{\"error\":\"invalid_scope\"}".getBytes(UTF_8), secrets) }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param status its HTTP status
   * @param body its body (may be null)
   * @param secrets removed from the message and the description
   * @return the error
   */
  public static AuthException answer(URI tokenUrl, int status, byte[] body, RecentSecrets secrets) {
    JsonNode json = body == null ? null : ERROR_BODY.parse(body);
    String error = null;
    String description = null;
    if (json != null && json.isObject()) {
      JsonNode e = json.get("error");
      if (e != null && e.isTextual() && OAUTH_ERROR.matcher(e.textValue()).matches()) error = e.textValue();
      JsonNode d = json.get("error_description");
      if (d != null && d.isTextual()) description = oneLine(secrets.redact(d.textValue()));
    }
    String what = status == 200 ? "answered HTTP 200 without an access_token" : "refused the token request: HTTP " + status;
    StringBuilder message = new StringBuilder(where(tokenUrl)).append(' ').append(what);
    if (error != null) message.append(' ').append(error);
    if (description != null) message.append(" (").append(description).append(')');
    message.append(hintFor(error));
    return new AuthException(ErrorInfo.of(CODE, secrets.redact(message.toString())), status, error, description);
  }

  /**
   * The token endpoint's answer was larger than a token answer can be.
   *
   * <pre>{@code TokenFailure.tooLarge(tokenUrl, 1L << 20, 200) }</pre>
   *
   * @param tokenUrl the token endpoint
   * @param maxBytes the limit
   * @param status its HTTP status, or null when unknown
   * @return the error
   */
  public static AuthException tooLarge(URI tokenUrl, long maxBytes, Integer status) {
    return new AuthException(ErrorInfo.of(CODE, where(tokenUrl) + " answered with a body above " + maxBytes
        + " bytes; check the token URL"), status, null, null);
  }

  /**
   * The {@code private_key_jwt} assertion could not be signed.
   *
   * <pre>{@code TokenFailure.unsigned(joseException) }</pre>
   *
   * @param cause what the signer threw
   * @return the error
   */
  public static AuthException unsigned(Throwable cause) {
    return new AuthException(ErrorInfo.of(CODE,
        "could not sign the client assertion: check the OIDC private key (PKCS#8 PEM) and its algorithm").cause(cause));
  }

  /**
   * The last failure again, for a caller that arrives while token requests are paused: its fields,
   * and a message that says for how long.
   *
   * <pre>{@code TokenFailure.paused(last, 1_500, 2) // "… (token requests paused for another 1500 ms after 2 failures)" }</pre>
   *
   * @param last the last failure, or null
   * @param pausedMs the pause left
   * @param failures consecutive failures so far
   * @return a new error
   */
  public static AuthException paused(AuthException last, long pausedMs, int failures) {
    String why = last == null ? "the token endpoint failed" : last.getMessage();
    String message = why + " (token requests paused for another " + pausedMs + " ms after " + failures + " failure"
        + (failures == 1 ? "" : "s") + ")";
    return last == null ? new AuthException(ErrorInfo.of(CODE, message))
        : new AuthException(ErrorInfo.of(CODE, message).cause(last), last.idpStatus(), last.oauthError(),
            last.oauthErrorDescription());
  }

  /**
   * The token provider ({@code Auth.provider}) failed.
   *
   * <pre>{@code TokenFailure.providerFailed(e) }</pre>
   *
   * @param cause what it threw or failed with
   * @return the error
   */
  public static AuthException providerFailed(Throwable cause) {
    return new AuthException(ErrorInfo.of(CODE, "the Auth.provider token supplier failed; no request was sent").cause(cause));
  }

  /**
   * The token provider gave no token (null, an empty string, a null future).
   *
   * <pre>{@code TokenFailure.providerGaveNoToken() }</pre>
   *
   * @return the error
   */
  public static AuthException providerGaveNoToken() {
    return new AuthException(ErrorInfo.of(CODE,
        "the Auth.provider token supplier must complete with a non-empty string (the bearer token); no request was sent"));
  }

  private static String where(URI tokenUrl) {
    return "the token endpoint " + RedactedUrl.of(tokenUrl);
  }

  static String oneLine(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() > DESCRIPTION_MAX ? line.substring(0, DESCRIPTION_MAX - 1) + "…" : line;
  }

  private static String hintFor(String oauthError) {
    if ("invalid_client".equals(oauthError) || "unauthorized_client".equals(oauthError)) {
      return ": check the client id and its secret or key";
    }
    if ("invalid_scope".equals(oauthError)) return ": check the requested scope";
    return "";
  }
}
