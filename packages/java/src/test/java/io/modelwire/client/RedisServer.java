package io.modelwire.client;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** A real redis-server on a free port, started by the tests (single node, no persistence). */
final class RedisServer implements AutoCloseable {
  final int port;
  private final Process process;

  private RedisServer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static boolean available() {
    return new File("/usr/bin/redis-server").canExecute() || onPath("redis-server");
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) if (new File(dir, exe).canExecute()) return true;
    return false;
  }

  /**
   * Starts redis-server on a free port. The port can be taken between choosing and binding it (the server then
   * exits at once, or another process answers): a few tries, each ready only when THIS process answers PING.
   */
  static RedisServer start() throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--enable-debug-command", "local")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (p.isAlive() && System.nanoTime() < until) {
        if (answersPing(port)) {
          if (p.isAlive()) return new RedisServer(port, p);
          break;
        }
        Thread.sleep(20);
      }
      p.destroyForcibly();
      p.waitFor();
    }
    throw new IllegalStateException("redis-server did not start after 5 tries");
  }

  private static boolean answersPing(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(200);
      socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] reply = new byte[5];
      int read = socket.getInputStream().read(reply);
      return read == 5 && new String(reply, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG");
    } catch (Exception notYet) {
      return false;
    }
  }

  RedisClient client() {
    RedisClient c = RedisClient.create(RedisURI.create("127.0.0.1", port));
    return c;
  }

  StatefulRedisConnection<String, String> connect(RedisClient c) {
    return c.connect();
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) stop();
  }
}
