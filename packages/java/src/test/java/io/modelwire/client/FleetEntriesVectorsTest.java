package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.internal.fleet.FleetEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** test/vectors/fleet-entries.json: encode byte for byte, read verdicts and reasons. */
class FleetEntriesVectorsTest {
  private static final JsonNode ROOT =
      TestFiles.readJson(TestFiles.repoRoot().resolve("test/vectors/fleet-entries.json"));

  private static byte[] key(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText().getBytes(StandardCharsets.UTF_8);
  }

  @TestFactory
  Stream<DynamicTest> encode() {
    List<DynamicTest> out = new ArrayList<>();
    for (JsonNode c : ROOT.get("encode")) {
      out.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        String entry = FleetEntry.encode((ObjectNode) c.get("fields"), key(c.get("hmac_key")));
        assertEquals(c.get("entry").asText(), entry);
        if (!c.get("mac").isNull()) {
          assertEquals(c.get("mac").asText(), io.modelwire.client.internal.Json.MAPPER.readTree(entry).get("mac").asText());
        }
      }));
    }
    return out.stream();
  }

  @TestFactory
  Stream<DynamicTest> read() {
    List<DynamicTest> out = new ArrayList<>();
    for (JsonNode c : ROOT.get("read")) {
      out.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        JsonNode ver = c.get("version");
        FleetEntry.Verdict v = FleetEntry.read(c.get("entry").asText(), c.get("now_ms").asDouble(),
            c.get("model").asText(), ver.isNull() ? null : ver.asText(), key(c.get("hmac_key")));
        assertEquals(c.get("verdict").asText(), v.verdict());
        JsonNode reason = c.get("reason");
        assertEquals(reason == null || reason.isNull() ? null : reason.asText(), v.reason());
      }));
    }
    return out.stream();
  }
}
