package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.ServerException;
import io.modelwire.client.internal.stages.Call;
import io.modelwire.client.internal.stages.Operation;
import io.modelwire.client.internal.stages.Operation.Kind;
import io.modelwire.client.internal.stages.Pipelines;
import io.modelwire.client.internal.stages.Pipelines.Step;
import io.modelwire.client.internal.stages.Stage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The one assembly of the stages (mirrors TS OPERATION_STAGES) and what it means for each operation. */
class PipelinesTest {
  @Test
  void everyKindRunsASubsequenceOfTheOneOrder() {
    assertEquals(List.of(Step.values()), Pipelines.OPERATION_STAGES.get(Kind.PREDICT));
    assertEquals(List.of(Step.RETRY, Step.BREAKER, Step.TIMEOUT), Pipelines.OPERATION_STAGES.get(Kind.SUBMIT_JOB));
    assertEquals(List.of(Step.RETRY, Step.TIMEOUT), Pipelines.OPERATION_STAGES.get(Kind.READ));
    assertEquals(List.of(Step.RETRY, Step.TIMEOUT), Pipelines.OPERATION_STAGES.get(Kind.WRITE));
  }

  @Test
  void stagesWrapEachOtherInPipelineOrder() {
    List<String> seen = new ArrayList<>();
    Map<Step, Stage> stages = new EnumMap<>(Step.class);
    for (Step s : Step.values()) {
      stages.put(s, (call, next) -> {
        seen.add(s.name());
        return next.proceed(call);
      });
    }
    Pipelines p = new Pipelines(stages, call -> {
      seen.add("SEND");
      return new CompletableFuture<>();
    });
    Call call = Call.start(new Call.Ids("r", "t", "01"), 1000, 100, new AbortSignal());
    p.run(call.with(new Operation(Kind.SUBMIT_JOB, "POST", m -> "/", c -> null), "m", null, null, null));
    assertEquals(List.of("RETRY", "BREAKER", "TIMEOUT", "SEND"), seen);
  }

  @Test
  void readsDoNotGoThroughTheModelsBreaker() {
    FakeTransport t = new FakeTransport();
    for (int i = 0; i < 5; i++) t.then(500, "{}");
    t.then(200, FakeTransport.envelope("fraud-score", "2", "{\"job_id\":\"j1\",\"model\":\"fraud-score\","
        + "\"state\":\"running\",\"request_id\":\"r\",\"created_at\":\"2026-01-01T00:00:00Z\","
        + "\"updated_at\":\"2026-01-01T00:00:00Z\"}"));
    ModelwireClient c = BreakerTest.client(t, new VirtualScheduler(true), new ArrayList<>());
    for (int i = 0; i < 5; i++) BreakerTest.fail(c, ServerException.class);
    assertThrows(CircuitOpenException.class, () -> c.predict("fraud-score", BreakerTest.DATA));
    assertEquals("j1", c.getJob("fraud-score", "j1").getJobId());
  }
}
