package io.modelwire.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A TCP forwarder from {@code 127.0.0.1:port()} to a target host and port, for the Keycloak auth
 * suite's K8 (test/keycloak/SUITE.md): {@link #cut()} closes the listener and every open
 * connection, so the identity provider "goes away" (new connections are refused). It only pipes
 * bytes; it never looks at or logs them (they carry secrets and tokens).
 *
 * <pre>{@code
 * try (KeycloakTcpForwarder f = new KeycloakTcpForwarder("127.0.0.1", 8080)) {
 *   String url = "http://127.0.0.1:" + f.port() + "/realms/x/protocol/openid-connect/token";
 *   f.cut();
 * }
 * }</pre>
 */
final class KeycloakTcpForwarder implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Socket> sockets = new HashSet<>();
  private final Thread acceptor;
  private boolean cut;

  KeycloakTcpForwarder(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::accept, "kc-forwarder-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The local port to send to instead of the target's. */
  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (true) {
      Socket inbound;
      try {
        inbound = listener.accept();
      } catch (IOException closed) {
        return; // cut
      }
      Socket outbound;
      try {
        outbound = new Socket();
        outbound.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
      } catch (IOException unreachable) {
        closeQuietly(inbound);
        continue;
      }
      synchronized (this) {
        if (cut) {
          closeQuietly(inbound);
          closeQuietly(outbound);
          return;
        }
        sockets.add(inbound);
        sockets.add(outbound);
      }
      pump(inbound, outbound, "kc-forwarder-up");
      pump(outbound, inbound, "kc-forwarder-down");
    }
  }

  private void pump(Socket source, Socket sink, String name) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[65_536];
      try (InputStream in = source.getInputStream(); OutputStream out = sink.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // the peer closed, or the forwarder was cut
      } finally {
        drop(source, sink);
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  private void drop(Socket... pair) {
    synchronized (this) {
      for (Socket s : pair) sockets.remove(s);
    }
    for (Socket s : pair) closeQuietly(s);
  }

  /** Stops listening (new connections are refused) and closes every open connection. */
  void cut() throws InterruptedException {
    List<Socket> open;
    synchronized (this) {
      cut = true;
      open = List.copyOf(sockets);
      sockets.clear();
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
    for (Socket s : open) closeQuietly(s);
    acceptor.join(5_000);
  }

  @Override
  public void close() throws InterruptedException {
    cut();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
