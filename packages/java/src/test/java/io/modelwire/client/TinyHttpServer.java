package io.modelwire.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A small real HTTP/1.1 server on 127.0.0.1 (a free port), plain or TLS; with TLS it requires a
 * client certificate signed by the test CA ({@link TestTls}: mTLS). Keep-alive, Content-Length
 * bodies. Answers {@code …/token} with an OAuth token, {@code …/hang} never, anything else with a
 * contract-valid prediction envelope. Records every request and counts TLS handshakes.
 *
 * <pre>{@code try (TinyHttpServer s = TinyHttpServer.mtls()) { … s.url("/v1") … } }</pre>
 */
final class TinyHttpServer implements AutoCloseable {
  /** The prediction envelope, echoing the request's X-Request-Id. */
  static String envelope(String requestId) {
    return FakeTransport.envelope("fraud-score", "2", "{\"label\":\"legit\",\"score\":0.08,\"confidence\":0.92}")
        .replace("\"request_id\":\"r\"", "\"request_id\":\"" + requestId + "\"");
  }

  /** One request as the server read it (header names lower-cased). */
  record Request(String line, Map<String, String> headers, String body, String clientCertificate) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger handshakesOk = new AtomicInteger();
  final AtomicInteger handshakesFailed = new AtomicInteger();
  /** Why each refused handshake failed, as the server's TLS stack said. */
  final List<String> handshakeFailures = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final boolean tls;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private TinyHttpServer(ServerSocket server, boolean tls) {
    this.server = server;
    this.tls = tls;
    Thread t = new Thread(this::acceptLoop, "tiny-http-accept-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /** An HTTPS server requiring a client certificate signed by the test CA. {@code TinyHttpServer.mtls()} */
  static TinyHttpServer mtls() throws IOException {
    SSLContext ctx = TestTls.get().serverContext();
    SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress());
    s.setNeedClientAuth(true);
    return new TinyHttpServer(s, true);
  }

  /** A plain HTTP server. {@code TinyHttpServer.plain()} */
  static TinyHttpServer plain() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    return new TinyHttpServer(s, false);
  }

  /** The server's URL for a path. {@code s.url("/v1")} */
  String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort() + path;
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      open.add(s);
      Thread t = new Thread(() -> serve(s), "tiny-http-" + s.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s) {
    try (s) {
      String peer = null;
      if (s instanceof SSLSocket ssl) {
        try {
          ssl.startHandshake();
          peer = ssl.getSession().getPeerPrincipal().getName();
          handshakesOk.incrementAndGet();
        } catch (IOException e) {
          handshakeFailures.add(String.valueOf(e.getMessage()));
          handshakesFailed.incrementAndGet();
          return;
        }
      }
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) return;
        String[] lines = head.split("\r\n");
        Map<String, String> headers = headers(lines);
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        requests.add(new Request(lines[0], headers, new String(body, StandardCharsets.UTF_8), peer));
        String path = lines[0].split(" ")[1];
        if (path.contains("/hang")) {
          in.read(); // never answers; returns when the client gives up (or the server closes)
          return;
        }
        String answer = path.endsWith("/token")
            ? "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":300}" : envelope(headers.getOrDefault("x-request-id", "r"));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    } finally {
      open.remove(s);
    }
  }

  /** Reads up to and including the blank line; null at end of stream. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) return null;
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Header lines (after the first) by lower-cased name. */
  static Map<String, String> headers(String[] lines) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return h;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
  }
}
