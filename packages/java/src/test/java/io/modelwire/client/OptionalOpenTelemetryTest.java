package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Forked JVMs (docs/semantics.md, "Telemetry"): the SDK works with the OpenTelemetry API absent from
 * the classpath, and under the OpenTelemetry Java agent exactly one traceparent reaches the server
 * (the agent jar is copied to target/otel-agent by the build; the test classpath is written to
 * target/test-classpath.txt by maven-dependency-plugin).
 */
class OptionalOpenTelemetryTest {
  private static final Path TARGET = Path.of("target");

  private static List<String> classpath(Predicate<String> keep) throws IOException {
    List<String> cp = new ArrayList<>();
    cp.add(TARGET.resolve("classes").toAbsolutePath().toString());
    cp.add(TARGET.resolve("test-classes").toAbsolutePath().toString());
    String deps = Files.readString(TARGET.resolve("test-classpath.txt"), StandardCharsets.UTF_8).trim();
    Arrays.stream(deps.split(File.pathSeparator)).filter(keep).forEach(cp::add);
    return cp;
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
      throw new AssertionError("forked JVM did not finish in 60 s:\n" + out);
    }
    assertEquals(0, p.exitValue(), "forked JVM failed:\n" + out);
    assertTrue(out.contains("RESULT ok"), out);
    return out;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void worksWithoutTheOpenTelemetryApiOnTheClasspath() throws Exception {
    List<String> cp = classpath(e -> !e.replace('\\', '/').contains("/io/opentelemetry/"));
    assertTrue(cp.stream().noneMatch(e -> e.contains("opentelemetry")), "the API must be absent: " + cp);
    run(List.of(java(), "-cp", String.join(File.pathSeparator, cp), NoOtelMain.class.getName()));
  }

  /**
   * Under the agent, with opentelemetry-instrumentation-api on the classpath: the attempt span is
   * marked as the HTTP client span, the agent's java.net.http instrumentation makes no span of its
   * own, and the one traceparent on the wire is the attempt span (exported, child of the call span,
   * child of the caller's step span). The control request (plain java.net.http under an application
   * span) shows the agent is active: it makes its CLIENT span and injects that span's traceparent.
   */
  @Test
  void oneTraceparentUnderTheJavaAgentWithItsHttpClientSpanSuppressed() throws Exception {
    Map<String, JsonNode> spans = new HashMap<>();
    Map<String, String> lines = agent(classpath(e -> true), spans);
    String[] call = wire(lines.get("CALL"));
    JsonNode parent = spans.get(call[2]);
    assertTrue(parent != null, "the wire parent " + call[2] + " is not in the exported trace: " + spans.keySet());
    assertEquals("modelwire", parent.path("scope").asText(), "the wire parent is our attempt span");
    assertEquals(3, parent.path("kind").asInt(), "CLIENT");
    JsonNode callSpan = spans.get(parent.path("parentSpanId").asText());
    assertEquals("predict fraud-score", callSpan.path("name").asText());
    assertEquals(lines.get("CALL").split("span=")[1].split(" ")[0].split("-")[1], callSpan.path("parentSpanId").asText(),
        "the call span is a child of the step span");
    assertTrue(spans.values().stream().noneMatch(sp -> sp.path("traceId").asText().equals(call[1])
        && sp.path("scope").asText().equals("io.opentelemetry.java-http-client")), "no nested agent CLIENT span");
  }

  /**
   * Under the agent without opentelemetry-instrumentation-api (nothing marks the attempt span as the
   * HTTP client span): still exactly one traceparent, but the agent nests its own CLIENT span under
   * our attempt span and its context replaces our header, so the wire parent is the agent's span
   * (exported by the agent, a child of the attempt span).
   */
  @Test
  void withoutTheInstrumentationApiTheAgentNestsItsSpanAndStillSendsOneHeader() throws Exception {
    Map<String, JsonNode> spans = new HashMap<>();
    Map<String, String> lines = agent(classpath(e -> !e.contains("opentelemetry-instrumentation-api")), spans);
    String[] call = wire(lines.get("CALL"));
    JsonNode parent = spans.get(call[2]);
    assertTrue(parent != null, "the wire parent " + call[2] + " is not in the exported trace");
    assertEquals("io.opentelemetry.java-http-client", parent.path("scope").asText());
    JsonNode attempt = spans.get(parent.path("parentSpanId").asText());
    assertEquals("modelwire", attempt.path("scope").asText(), "the agent's span is a child of our attempt span");
    assertEquals(3, attempt.path("kind").asInt());
  }

  /** {@code n=1} and the traceparent parts of a CONTROL/CALL line. */
  private static String[] wire(String line) {
    assertTrue(line != null && line.endsWith(" n=1"), "exactly one traceparent header: " + line);
    String tp = line.split("wire=")[1].split(" ")[0];
    assertTrue(tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-9a-f]"), tp);
    return tp.split("-");
  }

  /** Runs AgentMain under the agent; fills {@code spans} (span id → span with "scope") from the OTLP JSON log. */
  private static Map<String, String> agent(List<String> cp, Map<String, JsonNode> spans) throws Exception {
    Path agent = TARGET.resolve("otel-agent/opentelemetry-javaagent.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(agent), "agent jar missing: " + agent);
    long t0 = System.nanoTime();
    String out = run(List.of(java(), "-javaagent:" + agent,
        "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Dotel.traces.exporter=logging-otlp", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
        "-Dotel.service.name=modelwire-agent-test",
        "-cp", String.join(File.pathSeparator, cp), AgentMain.class.getName()));
    Map<String, String> lines = new HashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("CONTROL ") || line.startsWith("CALL ")) lines.put(line.split(" ")[0], line.trim());
      int json = line.indexOf("{\"resource");
      if (json < 0) continue;
      JsonNode rs = io.modelwire.client.internal.Json.MAPPER.readTree(line.substring(json));
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode sp : ss.path("spans")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) sp).put("scope", ss.path("scope").path("name").asText());
          spans.put(sp.path("spanId").asText(), sp);
        }
      }
    }
    System.out.println("java agent run (" + Math.round((System.nanoTime() - t0) / 1e9) + " s): " + lines + ", "
        + spans.size() + " spans exported");
    // the control: the agent is active (its CLIENT span, a child of the application span, is on the wire)
    String[] control = wire(lines.get("CONTROL"));
    JsonNode agentSpan = spans.get(control[2]);
    assertTrue(agentSpan != null && agentSpan.path("scope").asText().equals("io.opentelemetry.java-http-client"),
        "the agent's java.net.http instrumentation is not active:\n" + out);
    assertEquals(lines.get("CONTROL").split("span=")[1].split(" ")[0].split("-")[1], agentSpan.path("parentSpanId").asText());
    return lines;
  }
}
