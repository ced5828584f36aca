package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelwire.client.generated.model.Health;
import io.modelwire.client.generated.model.ModelHealth;
import io.modelwire.client.generated.model.ModelState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** modelHealth is one model's readiness; health() stays the gateway's; health(model) is its alias. */
class ModelHealthTest {
  private static final String MODEL_HEALTH = "{\"status\":\"success\",\"code\":\"OK\",\"message\":\"m\","
      + "\"request_id\":\"r\",\"trace_id\":\"t\",\"result\":{\"model\":\"fraud-score\",\"state\":\"ready\","
      + "\"versions\":[{\"version\":\"2\",\"state\":\"loading\"}]}}";
  private static final String GATEWAY_HEALTH = "{\"status\":\"success\",\"code\":\"OK\",\"message\":\"g\","
      + "\"request_id\":\"r\",\"trace_id\":\"t\",\"result\":{\"state\":\"ok\"}}";

  @Test
  @SuppressWarnings("deprecation")
  void modelHealthAndItsDeprecatedAliasAskTheModelAndHealthAsksTheGateway() {
    FakeTransport t = new FakeTransport().then(200, MODEL_HEALTH).then(200, MODEL_HEALTH).then(200, MODEL_HEALTH)
        .then(200, GATEWAY_HEALTH);
    try (ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).build()) {
      ModelHealth h = c.modelHealth("fraud-score");
      assertEquals(ModelState.READY, h.getState());
      assertEquals(ModelState.LOADING, h.getVersions().get(0).getState());
      assertEquals("fraud-score", c.modelHealthAsync("fraud-score").join().getModel());
      assertEquals(h, c.health("fraud-score"));
      assertEquals(Health.StateEnum.OK, c.health().getState());
    }
    assertEquals(List.of("/v1/models/fraud-score/health", "/v1/models/fraud-score/health",
        "/v1/models/fraud-score/health", "/v1/health/ready"), t.paths());
  }
}
