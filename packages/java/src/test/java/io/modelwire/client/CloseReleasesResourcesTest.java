package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.generated.model.Job;
import java.lang.ref.Reference;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: {@code close()} releases every socket and thread the client created. On Java 21+ the
 * JDK client is shut down at once; on 17-20 java.net.http has no close, and its selector thread
 * closes the pooled connections only once the HttpClient is unreachable — so this also proves that
 * a closed client (kept reachable here) holds no reference to it any more.
 */
class CloseReleasesResourcesTest {
  // Java 21+: shutdownNow() closes the connections from the selector thread, a moment later
  // (below the mock's 5 s keep-alive, so the server closing idle sockets cannot pass for it)
  private static final long AT_ONCE_MS = 3_000;
  // Java 17-20: after GC the selector thread notices within its 3 s idle select (JDK 17's default).
  // The mock's 5 s keep-alive may close idle sockets first, so there the selector thread's exit
  // (which is what closes the pool) is the proof; measured: ~3.0 s on 17, ~30 ms on 25.
  private static final long AFTER_GC_MS = 20_000;

  @Test
  void closeReleasesEverySocketAndThreadTheClientCreated() {
    Assumptions.assumeTrue(ProcessSockets.supported(), "needs Linux /proc to count sockets");
    MockServer mock = MockServer.get();
    mock.reset();
    int port = URI.create(mock.origin).getPort();
    Set<String> socketsBefore = ProcessSockets.toRemotePort(port);
    Set<String> threadsBefore = threadNames();

    ModelwireClient client = ModelwireClient.builder().baseUrl(mock.apiUrl).timeout(Duration.ofSeconds(5)).build();
    exercise(client);
    Set<String> opened = difference(ProcessSockets.toRemotePort(port), socketsBefore);
    Set<String> started = difference(threadNames(), threadsBefore);
    assertFalse(opened.isEmpty(), "the calls opened no socket to the mock: the test measures nothing");
    assertTrue(started.stream().anyMatch(n -> n.startsWith("modelwire-http-")), "threads started: " + started);

    client.close();
    boolean java21 = Runtime.version().feature() >= 21;
    boolean released = eventually(java21 ? AT_ONCE_MS : AFTER_GC_MS, () -> {
      // Java 17-20: only collecting the (now unreferenced) HttpClient lets the JDK close its pool
      if (!java21) System.gc();
      return intersection(ProcessSockets.toRemotePort(port), opened).isEmpty()
          && difference(threadNames(), threadsBefore).stream().noneMatch(CloseReleasesResourcesTest::ownedThread);
    });
    assertTrue(released, "after close() (Java " + Runtime.version().feature() + ") sockets still open: "
        + intersection(ProcessSockets.toRemotePort(port), opened) + ", threads still alive: "
        + difference(threadNames(), threadsBefore).stream().filter(CloseReleasesResourcesTest::ownedThread)
            .collect(Collectors.toList()));
    // the closed client stays reachable: it must not be what keeps the HttpClient alive
    Reference.reachabilityFence(client);
  }

  // predict (several at once, so the pool holds more than one connection), a job and its poller
  private static void exercise(ModelwireClient client) {
    List<CompletableFuture<Prediction>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) calls.add(client.predictAsync("fraud-score", Map.of("amount", i)));
    for (CompletableFuture<Prediction> call : calls) assertEquals(1, call.join().attempts());
    Job job = client.submitJob("fraud-score", Map.of("amount", 10));
    client.waitForJob("fraud-score", job.getJobId(), JobWaitOptions.defaults().withPoll(10, 1.5, 50)
        .withTimeout(Duration.ofSeconds(5)));
    client.listModels();
  }

  // the threads a client's own HTTP stack runs: its executor and java.net.http's selector
  private static boolean ownedThread(String name) {
    return name.startsWith("modelwire-http-") || name.matches("HttpClient-\\d+-SelectorManager");
  }

  private static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .collect(Collectors.toSet());
  }

  // polls a condition that real threads (GC, the JDK's selector) make true; bounded by timeoutMs
  private static boolean eventually(long timeoutMs, BooleanSupplier condition) {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (true) {
      if (condition.getAsBoolean()) return true;
      if (System.nanoTime() > end) return false;
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.removeAll(b);
    return out;
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.retainAll(b);
    return out;
  }
}
