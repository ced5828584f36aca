package io.modelwire.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny gateway on loopback for tests that run without the mock server (forked JVMs, telemetry unit
 * tests): answers every predict with a success envelope and health with "ready", and records the
 * {@code traceparent} header values of every request (all of them: two headers would show as two).
 * Names no OpenTelemetry class (it also runs on a classpath without the API).
 */
final class LoopbackGateway implements AutoCloseable {
  static final String PREDICTION = "{\"status\":\"success\",\"code\":\"OK\",\"message\":\"prediction\","
      + "\"request_id\":\"r\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
      + "\"model\":{\"name\":\"fraud-score\",\"version\":\"1\"},"
      + "\"result\":{\"label\":\"legit\",\"score\":0.0871,\"confidence\":0.9129,\"uncertainty_score\":0.1742}}";

  private final HttpServer server;
  /** Per request: the traceparent header values it carried. */
  final List<List<String>> traceparents = new CopyOnWriteArrayList<>();
  /** Per request: its path. */
  final List<String> paths = new CopyOnWriteArrayList<>();

  LoopbackGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      List<String> tp = exchange.getRequestHeaders().get("traceparent");
      traceparents.add(tp == null ? List.of() : new ArrayList<>(tp));
      paths.add(exchange.getRequestURI().getPath());
      String path = exchange.getRequestURI().getPath();
      byte[] body = (path.endsWith("/health/ready") ? "{\"state\":\"ready\"}" : PREDICTION).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  /** The base URL ({@code http://127.0.0.1:<port>/v1}). */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
