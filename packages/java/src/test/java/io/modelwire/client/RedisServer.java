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

  static RedisServer start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--enable-debug-command", "local")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < until) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return new RedisServer(port, p);
      } catch (Exception notYet) {
        Thread.sleep(20);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("redis-server did not start on port " + port);
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
