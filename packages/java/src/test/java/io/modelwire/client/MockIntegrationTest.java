package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.NotFoundException;
import io.modelwire.client.generated.model.Job;
import io.modelwire.client.generated.model.JobState;
import io.modelwire.client.generated.model.ModelInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blocking API and the generated models against the real mock server (real tiny models). */
class MockIntegrationTest {
  MockServer mock;

  @BeforeEach
  void reset() {
    mock = MockServer.get();
    mock.reset();
  }

  ModelwireClient client() {
    return ModelwireClient.builder().baseUrl(mock.apiUrl).timeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void realPredictionsAreDeterministicAndCached() {
    try (ModelwireClient c = client()) {
      Map<String, Object> data = Map.of("amount", 129.5, "country", "FR", "card_present", false);
      Prediction p = c.predict("fraud-score", data);
      assertNotNull(p.confidence());
      assertEquals("fraud-score", p.model().name());
      Prediction again = c.predict("fraud-score", data);
      assertTrue(again.cached());
      assertEquals(p.result(), again.result());
      Prediction fresh = c.predict("fraud-score", data, CallOptions.builder().cache(false).build());
      assertEquals(p.result().path("score"), fresh.result().path("score"), "deterministic model");
    }
  }

  @Test
  void modelInfoIsTypedAndTeachesTheThreshold() {
    try (ModelwireClient c = client()) {
      ModelInfo info = c.modelInfo("fraud-score");
      assertEquals("fraud-score", info.getName());
      assertFalse(info.getVersions().isEmpty());
      assertFalse(c.listModels().isEmpty());
      assertNotNull(c.health().getState());
      assertNotNull(c.modelHealth("fraud-score").getState());
      assertThrows(NotFoundException.class, () -> c.modelInfo("no-such-model"));
    }
  }

  @Test
  void jobsSubmitWaitAndFeedback() {
    try (ModelwireClient c = client()) {
      Job job = c.submitJob("fraud-score", Map.of("amount", 10));
      Job done = c.waitForJob("fraud-score", job.getJobId(), JobWaitOptions.defaults().withPoll(10, 1.5, 50)
          .withTimeout(Duration.ofSeconds(5)));
      assertEquals(JobState.SUCCEEDED, done.getState());
      Prediction p = c.predict("fraud-score", Map.of("amount", 11));
      FeedbackReceipt r = c.feedback("fraud-score", Feedback.of(p.requestId()).label("fraud"));
      assertTrue(r.accepted());
    }
  }

  @Test
  void concurrentDistinctCallsFromManyThreads() {
    try (ModelwireClient c = client()) {
      List<CompletableFuture<Prediction>> fs = new ArrayList<>();
      for (int i = 0; i < 64; i++) fs.add(c.predictAsync("fraud-score", Map.of("amount", i)));
      for (CompletableFuture<Prediction> f : fs) assertEquals(1, f.join().attempts());
      assertEquals(64, mock.requests().size());
    }
  }
}
