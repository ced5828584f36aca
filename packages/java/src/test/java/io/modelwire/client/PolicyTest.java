package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drift check: the policy the jar carries equals x-modelwire-policy of openapi/modelwire.yaml now. */
class PolicyTest {
  @Test
  void bundledPolicyEqualsTheContract() throws Exception {
    JsonNode yaml = new ObjectMapper(new YAMLFactory())
        .readTree(Files.readAllBytes(TestFiles.repoRoot().resolve("openapi/modelwire.yaml")));
    assertEquals(DefaultPolicy.fromContract(yaml), DefaultPolicy.get());
    // the generated lists are the contract's, not copies
    assertEquals(yaml.at("/components/parameters/Model/schema/pattern").asText(), DefaultPolicy.get().modelNamePattern());
    List<String> finals = new java.util.ArrayList<>();
    yaml.at("/components/schemas/JobState/x-final-states").forEach(n -> finals.add(n.asText()));
    assertEquals(finals, DefaultPolicy.get().finalJobStates());
    // and the option records take their defaults from it
    assertEquals(DefaultPolicy.get().maxRetries(), RetryOptions.defaults().maxRetries());
    assertEquals(DefaultPolicy.get().breakerConsecutiveFailures(), BreakerOptions.defaults().consecutiveFailures());
    assertEquals(DefaultPolicy.get().cacheTtlMs(), CacheOptions.defaults().ttlMs());
  }
}
