package io.modelwire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.ModelwireClient;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Java driver of the one benchmark (bench/compare.mjs starts the server and runs every
 * language's driver): raw java.net.http and the Java SDK, each async ({@code --concurrency} calls in
 * flight) and sync ({@code --threads} threads, one call at a time each), every call a ~1 KB predict
 * envelope with a unique input (the SDK runs its whole pipeline on a cache miss). Contenders are
 * interleaved round by round (each round runs every contender for {@code seconds / rounds}, in a
 * rotated order); rps is the median round; p50/p99 are over every measured call; CPU is this
 * process's user+sys time over the measured windows divided by the calls made in them. Progress
 * goes to stderr; the last stdout line is the JSON result.
 *
 * <pre>{@code bench/java/compare.sh --url http://127.0.0.1:PORT/v1 --seconds 9 --rounds 3 --concurrency 32 --threads 8 }</pre>
 */
public final class Compare {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PAD = "x".repeat(900);
  static final AtomicLong SEQ = new AtomicLong();

  private Compare() {}

  /** One client under test: how it makes one call, async or blocking. */
  interface Contender {
    String name();

    String kind();

    String mode();

    /** One async call (mode async). */
    default CompletableFuture<?> callAsync() {
      throw new UnsupportedOperationException();
    }

    /** One blocking call (mode sync). */
    default void call() throws Exception {
      throw new UnsupportedOperationException();
    }

    default void close() throws Exception {}
  }

  /** A ~1 KB input, unique per call (a cache miss for the SDK). */
  static Map<String, Object> input() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("amount", 129.5);
    data.put("country", "FR");
    data.put("card_present", false);
    data.put("hour", 13);
    data.put("seq", SEQ.incrementAndGet());
    data.put("note", PAD);
    return data;
  }

  /** The envelope a raw client posts: what the SDK sends, minus what only the SDK knows. */
  static byte[] envelope() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("request_id", UUID.randomUUID().toString());
    env.put("data", input());
    env.put("meta", Map.of());
    try {
      return JSON.writeValueAsBytes(env);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Raw java.net.http: the same client settings the SDK creates for itself (HTTP/1.1, no redirects). */
  static final class RawJdk implements Contender {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    final URI uri;
    final String mode;

    RawJdk(String url, String mode) {
      this.uri = URI.create(url + "/models/fraud-score/predict");
      this.mode = mode;
    }

    HttpRequest request() {
      return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(envelope())).build();
    }

    static Object parse(HttpResponse<byte[]> r) {
      if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
      try {
        return JSON.readTree(r.body());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String name() {
      return "async".equals(mode) ? "raw java.net.http HttpClient.sendAsync" : "raw java.net.http HttpClient.send";
    }

    @Override
    public String kind() {
      return "raw";
    }

    @Override
    public String mode() {
      return mode;
    }

    @Override
    public CompletableFuture<?> callAsync() {
      return http.sendAsync(request(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(RawJdk::parse);
    }

    @Override
    public void call() throws Exception {
      parse(http.send(request(), HttpResponse.BodyHandlers.ofByteArray()));
    }
  }

  /** The Java SDK with its defaults (its own java.net.http client; cache on, every call a miss). */
  static final class Sdk implements Contender {
    final ModelwireClient client;
    final String mode;

    Sdk(String url, String mode) {
      this.client = ModelwireClient.builder().baseUrl(url).timeout(Duration.ofSeconds(10)).build();
      this.mode = mode;
    }

    @Override
    public String name() {
      return "async".equals(mode) ? "Java SDK ModelwireClient.predictAsync" : "Java SDK ModelwireClient.predict";
    }

    @Override
    public String kind() {
      return "sdk";
    }

    @Override
    public String mode() {
      return mode;
    }

    @Override
    public CompletableFuture<?> callAsync() {
      return client.predictAsync("fraud-score", input());
    }

    @Override
    public void call() {
      client.predict("fraud-score", input());
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** What one contender measured, over all rounds. */
  static final class Tally {
    final Contender c;
    final List<Double> roundRps = new ArrayList<>();
    final List<long[]> latencies = new ArrayList<>();
    long calls;
    long cpuNs;
    long failed;
    long threadsStarted; // JVM threads started while it ran (java.net.http's sendAsync on <= 2 CPUs: one per call)
    String firstFailure;

    Tally(Contender c) {
      this.c = c;
    }
  }

  /** Latencies of one loop or thread (each is sequential, so no locking). */
  static final class Lat {
    long[] ns = new long[1024];
    int n;

    void add(long v) {
      if (n == ns.length) ns = Arrays.copyOf(ns, n * 2);
      ns[n++] = v;
    }
  }

  /** Runs one contender for {@code seconds}; returns completed calls (latencies and failures into the tally). */
  static void slice(Tally t, double seconds, int concurrency, int threads, boolean record) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    int workers = "async".equals(t.c.mode()) ? concurrency : threads;
    Lat[] lats = new Lat[workers];
    for (int i = 0; i < workers; i++) lats[i] = new Lat();
    CountDownLatch finished = new CountDownLatch(workers);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    java.lang.management.ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
    long threads0 = tmx.getTotalStartedThreadCount();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    if ("async".equals(t.c.mode())) {
      for (int i = 0; i < workers; i++) loop(t, lats[i], stop, done, failed, finished);
    } else {
      for (int i = 0; i < workers; i++) {
        Lat lat = lats[i];
        Thread th = new Thread(() -> {
          while (!stop.get()) {
            long s = System.nanoTime();
            try {
              t.c.call();
              lat.add(System.nanoTime() - s);
              done.incrementAndGet();
            } catch (Exception | Error e) {
              fail(t, failed, e);
            }
          }
          finished.countDown();
        }, "bench-sync-" + i);
        th.setDaemon(true);
        th.start();
      }
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    finished.await();
    long elapsed = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    t.threadsStarted += tmx.getTotalStartedThreadCount() - threads0;
    if (!record) return;
    t.roundRps.add(done.get() / (elapsed / 1e9));
    t.calls += done.get();
    t.cpuNs += cpu;
    t.failed += failed.get();
    int total = 0;
    for (Lat l : lats) total += l.n;
    long[] all = new long[total];
    int k = 0;
    for (Lat l : lats) {
      System.arraycopy(l.ns, 0, all, k, l.n);
      k += l.n;
    }
    t.latencies.add(all);
  }

  private static void loop(Tally t, Lat lat, AtomicBoolean stop, AtomicLong done, AtomicLong failed,
      CountDownLatch finished) {
    if (stop.get()) {
      finished.countDown();
      return;
    }
    long s = System.nanoTime();
    CompletableFuture<?> f;
    try {
      f = t.c.callAsync();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((v, e) -> {
      if (e == null) {
        lat.add(System.nanoTime() - s);
        done.incrementAndGet();
      } else {
        fail(t, failed, e);
      }
      loop(t, lat, stop, done, failed, finished);
    });
  }

  private static void fail(Tally t, AtomicLong failed, Throwable e) {
    if (failed.incrementAndGet() == 1 && t.firstFailure == null) {
      t.firstFailure = e.toString();
      System.err.println("  " + t.c.name() + ": first failure: " + e);
    }
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double round(double v, int places) {
    double m = Math.pow(10, places);
    return Math.round(v * m) / m;
  }

  /**
   * Runs the benchmark.
   *
   * @param args {@code --url U --seconds S --rounds N --concurrency C --threads T [--warmup W] [--only a,b]}
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    String url = a.get("url");
    if (url == null) throw new IllegalArgumentException("--url http://127.0.0.1:PORT/v1 is required");
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "9"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "32"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "8"));
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "3"));
    String only = a.get("only"); // comma-separated name fragments (profiling)

    List<Contender> all = new ArrayList<>(List.of(new RawJdk(url, "async"), new Sdk(url, "async"),
        new RawJdk(url, "sync"), new Sdk(url, "sync")));
    if (Boolean.parseBoolean(a.getOrDefault("jetty", "false"))) {
      all.add(JettyRaw.create(url));
    }
    List<Tally> tallies = new ArrayList<>();
    for (Contender c : all) {
      if (only == null || Arrays.stream(only.split(",")).anyMatch(f -> c.name().contains(f))) tallies.add(new Tally(c));
    }
    double per = seconds / rounds;
    System.err.printf("java driver: %s, %d rounds of %.1f s per contender, concurrency %d, threads %d, java %s%n",
        url, rounds, per, concurrency, threads, Runtime.version());
    for (Tally t : tallies) {
      System.err.printf("  warm-up %s (%.1f s)%n", t.c.name(), warmup);
      slice(t, warmup, concurrency, threads, false);
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < tallies.size(); i++) {
        Tally t = tallies.get((i + r) % tallies.size()); // rotated order: no contender always runs first
        slice(t, per, concurrency, threads, true);
        System.err.printf("  round %d %-42s %9.0f req/s %7.0f us CPU/req (cumulative) %6.2f threads started/req%n", r + 1,
            t.c.name(), t.roundRps.get(t.roundRps.size() - 1), t.cpuNs / 1e3 / Math.max(1, t.calls),
            (double) t.threadsStarted / Math.max(1, t.calls));
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("lang", "java");
    ArrayNode results = out.putArray("results");
    for (Tally t : tallies) {
      long[] lat = t.latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      ObjectNode r = results.addObject();
      r.put("name", t.c.name());
      r.put("kind", t.c.kind());
      r.put("mode", t.c.mode());
      r.put("rps", round(median(t.roundRps), 1));
      r.put("p50_ms", round(percentile(lat, 0.50), 3));
      r.put("p99_ms", round(percentile(lat, 0.99), 3));
      r.put("cpu_us_per_req", round(t.calls == 0 ? Double.NaN : t.cpuNs / 1e3 / t.calls, 1));
      if (t.failed > 0) r.put("failed", t.failed);
    }
    for (Tally t : tallies) t.c.close();
    System.out.println(JSON.writeValueAsString(out));
    System.out.flush();
    System.exit(0);
  }
}
