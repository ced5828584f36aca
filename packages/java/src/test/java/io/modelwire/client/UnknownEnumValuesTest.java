package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelwire.client.generated.model.Health;
import io.modelwire.client.generated.model.Job;
import io.modelwire.client.generated.model.JobState;
import io.modelwire.client.generated.model.ModelHealth;
import io.modelwire.client.generated.model.ModelInfo;
import io.modelwire.client.generated.model.ModelState;
import org.junit.jupiter.api.Test;

/**
 * Tolerant reader (docs/semantics.md, "Answers the SDKs refuse"): a state a newer gateway added does
 * not fail the call; the generated enum (enumUnknownDefaultCase in pom.xml) reads it as its
 * UNKNOWN_DEFAULT_OPEN_API constant, and every known field of the answer is kept.
 */
class UnknownEnumValuesTest {
  private static String envelope(String result) {
    return "{\"status\":\"success\",\"code\":\"OK\",\"message\":\"m\",\"request_id\":\"r\",\"trace_id\":\"t\","
        + "\"result\":" + result + "}";
  }

  private static ModelwireClient client(FakeTransport t) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).build();
  }

  @Test
  void unknownModelAndVersionStatesReadAsTheUnknownConstant() {
    FakeTransport t = new FakeTransport()
        .then(200, envelope("{\"model\":\"fraud-score\",\"state\":\"draining\","
            + "\"versions\":[{\"version\":\"1\",\"state\":\"ready\"},{\"version\":\"2\",\"state\":\"warming_up\"}]}"))
        .then(200, envelope("{\"name\":\"fraud-score\",\"default_version\":\"2\",\"versions\":["
            + "{\"version\":\"2\",\"state\":\"shadow\",\"sha256\":\"" + "0".repeat(64) + "\"}],"
            + "\"traffic\":[{\"version\":\"2\",\"weight\":100}],\"input_schema\":{},\"output_schema\":{},"
            + "\"thresholds\":{\"min_confidence\":0.6}}"));
    try (ModelwireClient c = client(t)) {
      ModelHealth h = c.modelHealth("fraud-score");
      assertEquals(ModelState.UNKNOWN_DEFAULT_OPEN_API, h.getState());
      assertEquals(ModelState.READY, h.getVersions().get(0).getState());
      assertEquals(ModelState.UNKNOWN_DEFAULT_OPEN_API, h.getVersions().get(1).getState());
      ModelInfo info = c.modelInfo("fraud-score");
      assertEquals("2", info.getDefaultVersion());
      assertEquals(ModelState.UNKNOWN_DEFAULT_OPEN_API, info.getVersions().get(0).getState());
      assertEquals(0.6, info.getThresholds().getMinConfidence().doubleValue());
    }
  }

  @Test
  void anUnknownJobStateReadsAsTheUnknownConstantAndIsNotFinal() {
    FakeTransport t = new FakeTransport().then(200, envelope("{\"job_id\":\"job-1\",\"model\":\"fraud-score\","
        + "\"state\":\"paused\",\"request_id\":\"r\",\"created_at\":\"2026-12-01T10:00:00Z\","
        + "\"updated_at\":\"2026-12-01T10:00:05Z\"}"));
    try (ModelwireClient c = client(t)) {
      Job job = c.getJob("fraud-score", "job-1");
      assertEquals(JobState.UNKNOWN_DEFAULT_OPEN_API, job.getState());
      assertEquals("job-1", job.getJobId());
    }
    assertEquals(false, io.modelwire.client.DefaultPolicy.get().finalJobStates().contains("unknown_default_open_api"));
  }

  @Test
  void anUnknownGatewayStateDoesNotFailHealth() {
    FakeTransport t = new FakeTransport().then(200, envelope("{\"state\":\"degraded\"}"));
    try (ModelwireClient c = client(t)) {
      assertEquals(Health.StateEnum.UNKNOWN_DEFAULT_OPEN_API, c.health().getState());
    }
  }
}
