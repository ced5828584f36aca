package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.AbortedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Identical calls in flight share one upstream call; each caller keeps its own abort. */
class CoalescingTest {
  static final Map<String, Object> DATA = Map.of("amount", 7);

  static TransportResponse ok() {
    return new TransportResponse(200, Map.of(),
        FakeTransport.envelope("fraud-score", "2", "{\"score\":0.1}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void thousandIdenticalCallsMakeOneUpstreamRequest() {
    CompletableFuture<TransportResponse> pending = new CompletableFuture<>();
    FakeTransport t = new FakeTransport().then(req -> pending);
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(false)).build();
    List<CompletableFuture<Prediction>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) calls.add(c.predictAsync("fraud-score", DATA));
    pending.complete(ok());
    Prediction first = calls.get(0).join();
    for (CompletableFuture<Prediction> f : calls) assertEquals(first, f.join());
    assertEquals(1, t.count());
  }

  @Test
  void oneCallerAbortingLeavesTheOthersAndAllLeavingAbortsUpstream() {
    CompletableFuture<TransportResponse> pending = new CompletableFuture<>();
    FakeTransport t = new FakeTransport().then(req -> pending);
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(false)).build();
    AbortSignal a = new AbortSignal();
    CompletableFuture<Prediction> fa = c.predictAsync("fraud-score", DATA, CallOptions.builder().signal(a).build());
    CompletableFuture<Prediction> fb = c.predictAsync("fraud-score", DATA);
    a.abort();
    assertThrows(AbortedException.class, () -> ModelwireClientAccess.join(fa));
    assertFalse(pending.isCancelled(), "the shared call continues for b");
    pending.complete(ok());
    assertEquals(0.1, fb.join().result().path("score").asDouble());

    CompletableFuture<TransportResponse> pending2 = new CompletableFuture<>();
    FakeTransport t2 = new FakeTransport().then(req -> pending2);
    ModelwireClient c2 = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t2)
        .scheduler(new VirtualScheduler(false)).build();
    CompletableFuture<Prediction> x = c2.predictAsync("fraud-score", DATA);
    CompletableFuture<Prediction> y = c2.predictAsync("fraud-score", DATA);
    x.cancel(true);
    assertFalse(pending2.isCancelled());
    y.cancel(true);
    assertTrue(pending2.isCancelled(), "aborted when every caller has left");
  }

  @Test
  void aJoinerKeepsItsOwnDeadline() {
    VirtualScheduler s = new VirtualScheduler(false);
    CompletableFuture<TransportResponse> pending = new CompletableFuture<>();
    FakeTransport t = new FakeTransport().then(req -> pending);
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s).build();
    CompletableFuture<Prediction> owner = c.predictAsync("fraud-score", DATA);
    CompletableFuture<Prediction> joiner = c.predictAsync("fraud-score", DATA,
        CallOptions.builder().deadline(java.time.Duration.ofMillis(500)).build());
    s.advance(500);
    assertThrows(io.modelwire.client.errors.DeadlineExceededException.class, () -> ModelwireClientAccess.join(joiner));
    assertFalse(pending.isCancelled(), "the owner still waits");
    pending.complete(ok());
    assertEquals(1, owner.join().attempts());
    assertEquals(1, t.count());
  }

  @Test
  void cacheFalseDoesNotCoalesce() {
    CompletableFuture<TransportResponse> pending = new CompletableFuture<>();
    FakeTransport t = new FakeTransport().then(req -> pending);
    ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(false)).build();
    CallOptions off = CallOptions.builder().cache(false).build();
    c.predictAsync("fraud-score", DATA, off);
    c.predictAsync("fraud-score", DATA, off);
    assertEquals(2, t.count());
  }
}
