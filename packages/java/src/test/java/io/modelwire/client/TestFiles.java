package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates repository files (vectors, scenarios, the mock server) from the test JVM. */
final class TestFiles {
  private TestFiles() {}

  static Path repoRoot() {
    String prop = System.getProperty("modelwire.repoRoot");
    Path p = prop != null ? Path.of(prop) : Path.of("../..");
    return p.toAbsolutePath().normalize();
  }

  static JsonNode readJson(Path p) {
    try {
      return Json.MAPPER.readTree(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
