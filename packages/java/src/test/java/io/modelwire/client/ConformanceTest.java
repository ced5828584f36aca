package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java conformance runner: every scenario of test/conformance/scenarios against the real mock
 * server over loopback HTTP, with the real client. Scenarios listed in test/conformance/skip/java.json
 * are skipped with their reason. Prints
 * {@code conformance (Java): N passed, N failed, N skipped}. CONFORMANCE_ONLY=a,b runs only those.
 */
class ConformanceTest {
  private static final List<String[]> RESULTS = Collections.synchronizedList(new ArrayList<>());

  static Map<String, String> skipList() {
    Map<String, String> skip = new TreeMap<>();
    Path p = TestFiles.repoRoot().resolve("test/conformance/skip/java.json");
    if (Files.exists(p)) TestFiles.readJson(p).fields().forEachRemaining(e -> skip.put(e.getKey(), e.getValue().asText()));
    return skip;
  }

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    Path dir = TestFiles.repoRoot().resolve("test/conformance/scenarios");
    Assumptions.assumeTrue(Files.isDirectory(dir), "no scenarios at " + dir);
    Map<String, String> skip = skipList();
    String only = System.getenv("CONFORMANCE_ONLY");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "no scenario files in " + dir);
    return files.stream().map(file -> {
      JsonNode scenario = TestFiles.readJson(file);
      String name = scenario.path("name").asText(file.getFileName().toString());
      return dynamicTest(name, () -> {
        if (only != null && !List.of(only.split(",")).contains(name)) {
          Assumptions.abort("not in CONFORMANCE_ONLY");
        }
        String reason = skip.get(name);
        if (reason != null) {
          RESULTS.add(new String[] {name, "skipped", reason});
          Assumptions.abort("skipped: " + reason);
        }
        List<String> problems;
        try {
          problems = new ScenarioRunner(MockServer.get(), scenario).run();
        } catch (org.opentest4j.TestAbortedException e) {
          throw e;
        } catch (Throwable e) {
          problems = List.of("runner error: " + e);
        }
        RESULTS.add(new String[] {name, problems.isEmpty() ? "passed" : "failed", String.join(" | ", problems)});
        assertTrue(problems.isEmpty(), scenario.path("description").asText() + "\n  " + String.join("\n  ", problems));
      });
    });
  }

  @AfterAll
  static void summary() {
    if (RESULTS.isEmpty()) return;
    long passed = RESULTS.stream().filter(r -> r[1].equals("passed")).count();
    long failed = RESULTS.stream().filter(r -> r[1].equals("failed")).count();
    long skipped = RESULTS.stream().filter(r -> r[1].equals("skipped")).count();
    StringBuilder sb = new StringBuilder("\nconformance coverage (Java), ").append(RESULTS.size()).append(" scenarios:\n");
    for (String[] r : RESULTS) {
      if (!r[1].equals("passed")) sb.append("  ").append(r[1]).append(": ").append(r[0]).append(" — ").append(r[2]).append('\n');
    }
    sb.append("conformance: ").append(passed).append(" passed, ").append(failed).append(" failed, ")
        .append(skipped).append(" skipped\n");
    System.out.println(sb);
    try {
      Path out = Path.of("target", "conformance-summary.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
