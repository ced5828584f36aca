package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelwire.client.internal.Json;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every request says {@code User-Agent: modelwire-java/<version>} and predictions carry the same
 * value as {@code meta.client} (docs/semantics.md, "One API shape"); the version is the pom's, so a
 * release that forgets to bump the constant fails here.
 */
class ClientIdentificationTest {
  @Test
  void userAgentAndMetaClientNameTheSdkAndThePomVersion() throws Exception {
    String pom = Files.readString(TestFiles.repoRoot().resolve("packages/java/pom.xml"));
    Matcher m = Pattern.compile("<artifactId>modelwire-client</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    m.find();
    String expected = "modelwire-java/" + m.group(1);

    FakeTransport t = new FakeTransport().ok("{\"score\":0.1}").then(200, "{\"status\":\"success\",\"code\":\"OK\","
        + "\"message\":\"g\",\"request_id\":\"r\",\"trace_id\":\"t\",\"result\":{\"state\":\"ok\"}}");
    try (ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).build()) {
      c.predict("fraud-score", Map.of("amount", 1));
      c.health();
    }
    assertEquals(List.of(expected, expected), t.header("User-Agent"));
    assertEquals(expected, Json.MAPPER.readTree(t.requests.get(0).body()).path("meta").path("client").asText());
  }
}
