package io.modelwire.client.internal;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * The reason a connection failed, in words, for a {@code Connection} error's message
 * (docs/semantics.md, "Errors"): the first message the OS or the HTTP client gave along the cause
 * chain, else a name for the failure's type — java.net.http often throws a {@code ConnectException}
 * without a message for a refused connection.
 *
 * <pre>{@code ConnectionReason.of(new java.net.ConnectException(), uri) // "connection refused" }</pre>
 */
public final class ConnectionReason {
  private ConnectionReason() {}

  /**
   * The reason, one line, without the target's credentials.
   *
   * @param failure what the transport threw
   * @param target the URL the attempt went to (its user info is removed from the text), or null
   * @return the reason
   */
  public static String of(Throwable failure, URI target) {
    String reason = null;
    for (Throwable t = failure; t != null && reason == null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) reason = t.getMessage();
    }
    if (reason == null) reason = named(failure);
    reason = reason.replaceAll("\\s+", " ").trim();
    // a transport may print the URL it was given: never repeat a base URL's credentials
    if (target != null && target.getRawUserInfo() != null) {
      reason = reason.replace(target.getRawUserInfo(), "***");
      if (target.getUserInfo() != null) reason = reason.replace(target.getUserInfo(), "***");
    }
    return reason;
  }

  private static String named(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "name not resolved";
    }
    if (failure instanceof NoRouteToHostException) return "no route to host";
    if (failure instanceof ConnectException) return "connection refused";
    if (failure instanceof SSLException) return "TLS handshake failed";
    if (failure instanceof EOFException || failure instanceof ClosedChannelException) return "connection closed";
    if (failure instanceof SocketException) return "connection reset";
    return failure.getClass().getSimpleName();
  }
}
