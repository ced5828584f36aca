package io.modelwire.client.internal.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The secrets a token source handed out or sent lately (the client secret, tokens, assertions), and
 * their removal from any text that may leave the client: an identity provider can echo them in an
 * error description, a transport in an exception message.
 *
 * <pre>{@code
 * RecentSecrets recent = new RecentSecrets();
 * recent.add("s3cret");
 * recent.redact("bad secret s3cret") // "bad secret [REDACTED]"
 * }</pre>
 */
public final class RecentSecrets {
  private static final int KEPT = 32;
  // shorter strings are too likely to be ordinary words of a message
  private static final int SHORTEST_REDACTED = 4;
  private static final Pattern BEARER = Pattern.compile("Bearer\\s+[A-Za-z0-9._~+/=-]+");
  private final List<String> items = new ArrayList<>();

  /**
   * Remembers a secret (the oldest of more than 32 is forgotten).
   *
   * <pre>{@code recent.add(accessToken) }</pre>
   *
   * @param secret the secret (null is ignored)
   */
  public synchronized void add(String secret) {
    if (secret == null || secret.isEmpty() || items.contains(secret)) return;
    items.add(secret);
    if (items.size() > KEPT) items.remove(0);
  }

  /**
   * The text with every remembered secret and every bearer credential replaced by {@code [REDACTED]}.
   *
   * <pre>{@code recent.redact(description) }</pre>
   *
   * @param text the text (null stays null)
   * @return the text without secrets
   */
  public String redact(String text) {
    if (text == null) return null;
    String out = BEARER.matcher(text).replaceAll("Bearer [REDACTED]");
    List<String> secrets;
    synchronized (this) {
      secrets = new ArrayList<>(items);
    }
    // longest first: a secret that is a prefix of another never leaves the other's tail behind
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : secrets) {
      if (secret.length() >= SHORTEST_REDACTED) out = out.replace(secret, "[REDACTED]");
    }
    return out;
  }
}
