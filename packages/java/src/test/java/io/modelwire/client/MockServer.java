package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.internal.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The real mock model server (packages/mock-server) over loopback HTTP, started once per test JVM
 * with {@code node dist/cli.js --port 0}, plus a tiny client for its admin API.
 */
final class MockServer {
  private static final Pattern LISTENING = Pattern.compile("modelwire-mock listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static MockServer instance;

  final String origin;
  final String apiUrl;
  private final Process process;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private MockServer(String origin, Process process) {
    this.origin = origin;
    this.apiUrl = origin + "/v1";
    this.process = process;
  }

  /** The shared server; skips the test (or fails, when -Dmodelwire.requireMock=true) without it. */
  static synchronized MockServer get() {
    if (instance != null) return instance;
    Path root = TestFiles.repoRoot();
    Path node = root.resolve("node_modules/.bin/node");
    Path cli = root.resolve("packages/mock-server/dist/cli.js");
    if (!Files.exists(node) || !Files.exists(cli)) {
      String why = "mock server not built (" + cli + "); run the TS build first";
      if (Boolean.getBoolean("modelwire.requireMock")) fail(why);
      Assumptions.abort(why);
    }
    try {
      Process p = new ProcessBuilder(node.toString(), cli.toString(), "--port", "0")
          .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
      Matcher m = line == null ? null : LISTENING.matcher(line);
      if (m == null || !m.find()) {
        p.destroyForcibly();
        throw new IllegalStateException("mock server did not announce its port; first line: " + line);
      }
      // keep draining stdout so the child never blocks on a full pipe
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // discard
          }
        } catch (java.io.IOException ignored) {
          // process ended
        }
      }, "mock-stdout");
      drain.setDaemon(true);
      drain.start();
      instance = new MockServer(m.group(1), p);
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
      return instance;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the mock server: " + e, e);
    }
  }

  JsonNode admin(String method, String path, JsonNode body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path));
      if (body != null) {
        b.header("content-type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (res.statusCode() >= 300) {
        throw new IllegalStateException("mock admin " + method + " " + path + " answered " + res.statusCode() + ": "
            + new String(res.body(), StandardCharsets.UTF_8));
      }
      return res.body().length == 0 ? null : Json.MAPPER.readTree(res.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException("mock admin " + method + " " + path + " failed: " + e, e);
    }
  }

  void reset() {
    admin("POST", "/__admin/reset", null);
  }

  void scenario(JsonNode script) {
    admin("POST", "/__admin/scenario", script);
  }

  JsonNode requests() {
    return admin("GET", "/__admin/requests", null).path("requests");
  }

  boolean alive() {
    return process.isAlive();
  }
}
