package io.modelwire.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny forward HTTP proxy on 127.0.0.1 (a free port): absolute-form requests to http:// targets
 * are forwarded one by one (each recorded with its headers), {@code CONNECT host:port} opens a
 * tunnel (recorded; the bytes inside are TLS and not read). Keep-alive on both sides.
 *
 * <pre>{@code try (ForwardProxy p = ForwardProxy.start()) { HttpClient.newBuilder().proxy(ProxySelector.of(p.address())) … } }</pre>
 */
final class ForwardProxy implements AutoCloseable {
  /** What the proxy saw: the request line and the headers (names lower-cased). */
  record Seen(String line, Map<String, String> headers) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private ForwardProxy(ServerSocket server) {
    this.server = server;
    daemon("proxy-accept", this::acceptLoop);
  }

  static ForwardProxy start() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    return new ForwardProxy(s);
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.getLocalPort());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        daemon("proxy-conn", () -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        String head = TinyHttpServer.readHead(in);
        if (head == null) return;
        String[] lines = head.split("\r\n");
        Map<String, String> headers = TinyHttpServer.headers(lines);
        seen.add(new Seen(lines[0], headers));
        String[] parts = lines[0].split(" ");
        if ("CONNECT".equals(parts[0])) {
          URI authority = URI.create("tcp://" + parts[1]);
          upstream = connect(authority.getHost(), authority.getPort());
          out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Socket up = upstream;
          daemon("proxy-tunnel", () -> pipe(in, up));
          pipe(up.getInputStream(), client);
          return;
        }
        // absolute-form: forward to the origin in origin-form, then relay the answer
        URI target = URI.create(parts[1]);
        if (upstream == null) upstream = connect(target.getHost(), target.getPort());
        StringBuilder forwarded = new StringBuilder(parts[0] + " " + target.getRawPath()
            + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " " + parts[2] + "\r\n");
        for (int i = 1; i < lines.length; i++) {
          if (!lines[i].toLowerCase(java.util.Locale.ROOT).startsWith("proxy-")) forwarded.append(lines[i]).append("\r\n");
        }
        forwarded.append("\r\n");
        OutputStream up = upstream.getOutputStream();
        up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        up.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
        up.flush();
        InputStream upIn = upstream.getInputStream();
        String answer = TinyHttpServer.readHead(upIn);
        if (answer == null) return;
        Map<String, String> answerHeaders = TinyHttpServer.headers(answer.split("\r\n"));
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.write(upIn.readNBytes(Integer.parseInt(answerHeaders.getOrDefault("content-length", "0"))));
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // either side went away
    } finally {
      open.remove(client);
      if (upstream != null) {
        try {
          upstream.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }

  private Socket connect(String host, int port) throws IOException {
    Socket s = new Socket(host, port);
    open.add(s);
    return s;
  }

  private static void pipe(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
    } catch (IOException e) {
      // closed
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // closed
      }
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) s.close();
  }
}
