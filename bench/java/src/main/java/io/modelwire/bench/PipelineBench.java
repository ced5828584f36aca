package io.modelwire.bench;

import com.sun.net.httpserver.HttpServer;
import io.modelwire.client.CallOptions;
import io.modelwire.client.ModelwireClient;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Throughput of the full pipeline (cache → coalesce → fallback → retry → breaker → timeout →
 * transport, every call a cache miss) against raw java.net.http sending the same 1 KB request to
 * a minimal local server, with the same number of calls in flight. Bounded in time; loopback only.
 *
 * <pre>{@code bench/java/run.sh 5 32 }</pre>
 */
public final class PipelineBench {
  private static final byte[] ANSWER = ("{\"status\":\"success\",\"code\":\"OK\",\"message\":\"prediction\","
      + "\"request_id\":\"r\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"model\":{\"name\":\"fraud-score\","
      + "\"version\":\"2\"},\"result\":{\"label\":\"legit\",\"score\":0.0871,\"confidence\":0.9129,"
      + "\"uncertainty_score\":0.1742}}").getBytes(StandardCharsets.UTF_8);

  private PipelineBench() {}

  /**
   * Runs the benchmark.
   *
   * <pre>{@code PipelineBench.main(new String[] {"5", "32"}) }</pre>
   *
   * @param args seconds per round, concurrency
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    // the JDK server otherwise meets Nagle + delayed ACK (≈40 ms per response on loopback)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        in.readAllBytes();
      }
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, ANSWER.length);
      ex.getResponseBody().write(ANSWER);
      ex.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    String pad = "x".repeat(900);
    AtomicLong seq = new AtomicLong();

    HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(base + "/models/fraud-score/predict");
    Supplier<CompletableFuture<?>> rawCall = () -> {
      long n = seq.incrementAndGet();
      byte[] body = ("{\"request_id\":\"" + UUID.randomUUID() + "\",\"data\":{\"amount\":" + n + ",\"country\":\"FR\","
          + "\"note\":\"" + pad + "\"},\"meta\":{}}").getBytes(StandardCharsets.UTF_8);
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .header("X-Request-Id", UUID.randomUUID().toString()).header("Idempotency-Key", UUID.randomUUID().toString())
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      return raw.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
    };

    ModelwireClient client = ModelwireClient.builder().baseUrl(base).timeout(Duration.ofSeconds(10)).build();
    Supplier<CompletableFuture<?>> pipelineCall = () -> {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("amount", seq.incrementAndGet());
      data.put("country", "FR");
      data.put("note", pad);
      return client.predictAsync("fraud-score", data, CallOptions.NONE);
    };

    System.out.printf("java bench: loopback, %d in flight, ~1 KB input, %d s per round, every call a cache miss%n",
        concurrency, seconds);
    run("warmup raw", rawCall, concurrency, seconds);
    run("warmup pipeline", pipelineCall, concurrency, seconds);
    double rawRate = 0;
    double pipeRate = 0;
    int rounds = 3;
    for (int i = 0; i < rounds; i++) {
      rawRate += run("raw java.net.http", rawCall, concurrency, seconds) / rounds;
      pipeRate += run("modelwire pipeline", pipelineCall, concurrency, seconds) / rounds;
    }
    System.out.printf("raw: %.0f req/s, pipeline: %.0f req/s, ratio %.2fx (target >= 0.90x)%n",
        rawRate, pipeRate, pipeRate / rawRate);
    client.close();
    server.stop(0);
    System.exit(0);
  }

  private static double run(String name, Supplier<CompletableFuture<?>> call, int concurrency, int seconds)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(concurrency);
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) loop(call, done, failed, stop, finished);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    finished.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double rate = done.get() / elapsed;
    System.out.printf("  %-22s %9.0f req/s  (%d calls, %d failed)%n", name, rate, done.get(), failed.get());
    return rate;
  }

  private static void loop(Supplier<CompletableFuture<?>> call, AtomicLong done, AtomicLong failed, AtomicBoolean stop,
      CountDownLatch finished) {
    if (stop.get()) {
      finished.countDown();
      return;
    }
    call.get().whenComplete((v, e) -> {
      if (e != null && failed.incrementAndGet() == 1) System.out.println("    first failure: " + e);
      if (e == null) done.incrementAndGet();
      loop(call, done, failed, stop, finished);
    });
  }
}
