package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Drift check: the policy the jar carries equals x-modelwire-policy of openapi/modelwire.yaml now. */
class PolicyTest {
  @Test
  void bundledPolicyEqualsTheContract() throws Exception {
    JsonNode yaml = new ObjectMapper(new YAMLFactory())
        .readTree(Files.readAllBytes(TestFiles.repoRoot().resolve("openapi/modelwire.yaml")));
    assertEquals(DefaultPolicy.fromContract(yaml), DefaultPolicy.get());
    // and the option records take their defaults from it
    assertEquals(DefaultPolicy.get().maxRetries(), RetryOptions.defaults().maxRetries());
    assertEquals(DefaultPolicy.get().breakerConsecutiveFailures(), BreakerOptions.defaults().consecutiveFailures());
    assertEquals(DefaultPolicy.get().cacheTtlMs(), CacheOptions.defaults().ttlMs());
  }
}
