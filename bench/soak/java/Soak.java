import io.modelwire.client.AbortSignal;
import io.modelwire.client.BreakerOptions;
import io.modelwire.client.CacheOptions;
import io.modelwire.client.CallOptions;
import io.modelwire.client.ModelwireClient;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Prediction;
import io.modelwire.client.RetryOptions;
import io.modelwire.client.errors.ModelwireException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java soak driver: io.modelwire ModelwireClient.predictAsync against the proxied mock while
 * bench/soak/run.mjs switches faults. Prints ONE JSON line (the fields of bench/soak/tally.mjs).
 * Aborts use the SDK's {@code AbortSignal} (typed {@code AbortedException}), fired at a random time.
 *
 * <pre>{@code java -cp <sdk jar + deps> bench/soak/java/Soak.java --base http://127.0.0.1:P/v1 --proxy-port P --calls 20000 }</pre>
 */
public final class Soak {
  static final long HANG_MS = 5_000;
  static final int MAX_RETRIES = 2;

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new java.util.HashMap<>(Map.of("calls", "20000", "concurrency", "32", "rate", "300",
        "max-seconds", "150", "abort-share", "0.15", "breaker-reset-ms", "30000"));
    for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i].substring(2), argv[i + 1]);
    int calls = Integer.parseInt(a.get("calls"));
    int concurrency = Integer.parseInt(a.get("concurrency"));
    double rate = Double.parseDouble(a.get("rate"));
    double abortShare = Double.parseDouble(a.get("abort-share"));
    int proxyPort = Integer.parseInt(a.get("proxy-port"));
    Tally tally = new Tally();
    LagProbe lag = new LagProbe();
    Thread lagThread = new Thread(lag, "lag-probe");
    lagThread.setDaemon(true);
    lagThread.start();

    BreakerOptions breaker = BreakerOptions.defaults();
    ModelwireClient client = ModelwireClient.builder()
        .baseUrl(a.get("base"))
        .timeout(Duration.ofMillis(1000))
        .deadline(Duration.ofMillis(2500))
        .retry(RetryOptions.defaults().withMaxRetries(MAX_RETRIES))
        .breaker(new BreakerOptions(true, breaker.consecutiveFailures(), Long.parseLong(a.get("breaker-reset-ms"))))
        .cache(CacheOptions.disabled())
        .onEvent(tally::onEvent)
        .build();
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "soak-timer");
      t.setDaemon(true);
      return t;
    });

    Map<String, Object> memBefore = memory();
    long t0 = System.nanoTime();
    long stopAt = t0 + (long) (Double.parseDouble(a.get("max-seconds")) * 1e9);
    AtomicInteger next = new AtomicInteger();
    CountDownLatch workers = new CountDownLatch(concurrency);

    // One worker = a chain of calls: the next starts when the previous settled or was declared hung.
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= calls || System.nanoTime() > stopAt) {
        workers.countDown();
        return;
      }
      long waitNs = t0 + (long) (i * 1e9 / rate) - System.nanoTime();
      timers.schedule(() -> oneCall(i, client, timers, tally, abortShare, t0, loop[0]), Math.max(0, waitNs), TimeUnit.NANOSECONDS);
    };
    for (int w = 0; w < concurrency; w++) loop[0].run();
    workers.await();
    double elapsedS = (System.nanoTime() - t0) / 1e9;
    int inFlight = tally.started.get() - tally.settledCount;
    client.close();
    Map<String, Object> afterClose = proxySockets(proxyPort);
    Map<String, Object> memAfter = memory();
    System.gc();
    Thread.sleep(3000);
    Map<String, Object> afterGc = proxySockets(proxyPort);
    lag.stopped = true;

    Map<String, Object> tail = new LinkedHashMap<>();
    tail.put("elapsed_s", Math.round(elapsedS * 10) / 10.0);
    tail.put("calls_per_s", Math.round(tally.started.get() / elapsedS));
    tail.put("in_flight_at_close", inFlight);
    tail.put("loop_lag_ms", lag.summary());
    tail.put("memory", Map.of("before", memBefore, "after", memAfter));
    tail.put("sockets", Map.of("after_close", afterClose, "after_3s", afterGc, "after_3s_note", "System.gc() then 3 s"));
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("lang", "java");
    head.put("mode", "predictAsync, " + concurrency + " in flight");
    head.put("abort", "AbortSignal.abort() at a random time in [0, deadline)");
    System.out.println(Json.write(tally.summary(head, tail)));
    System.out.flush();
    Runtime.getRuntime().halt(0); // a hung call's threads must not keep the JVM alive
  }

  static void oneCall(int i, ModelwireClient client, ScheduledExecutorService timers, Tally tally, double abortShare,
      long t0, Runnable next) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    String rid = "soak-java-" + i;
    long deadlineMs = 500 + rnd.nextInt(2501);
    CallOptions.Builder options = CallOptions.builder().requestId(rid).deadline(Duration.ofMillis(deadlineMs));
    AbortSignal signal = null;
    if (rnd.nextDouble() < abortShare) {
      signal = new AbortSignal();
      options.signal(signal);
      tally.abortsScheduled.incrementAndGet();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("amount", rnd.nextInt(5001));
    data.put("country", "FR");
    tally.started.incrementAndGet();
    long start = System.nanoTime();
    AtomicBoolean proceeded = new AtomicBoolean();
    AtomicBoolean hung = new AtomicBoolean();
    var abortTimer = signal == null ? null : timers.schedule(abortWith(signal, tally), (long) (rnd.nextDouble() * deadlineMs), TimeUnit.MILLISECONDS);
    var hangTimer = timers.schedule(() -> {
      if (proceeded.compareAndSet(false, true)) {
        hung.set(true);
        tally.hung.incrementAndGet();
        next.run();
      }
    }, deadlineMs + HANG_MS, TimeUnit.MILLISECONDS);
    CompletableFuture<Prediction> call;
    try {
      call = client.predictAsync("fraud-score", data, options.build());
    } catch (Throwable thrown) {
      call = CompletableFuture.failedFuture(thrown); // thrown synchronously instead of a failed future
    }
    call.whenComplete((value, failure) -> {
      double elapsedMs = (System.nanoTime() - start) / 1e6;
      if (abortTimer != null) abortTimer.cancel(false);
      hangTimer.cancel(false);
      tally.settle(rid, deadlineMs, elapsedMs, (start - t0) / 1e9, value, unwrap(failure), hung.get());
      if (proceeded.compareAndSet(false, true)) next.run();
    });
  }

  static Runnable abortWith(AbortSignal signal, Tally tally) {
    return () -> {
      tally.abortsFired.incrementAndGet();
      signal.abort();
    };
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
    return t;
  }

  static Map<String, Object> memory() {
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rss_mb", Math.round(rssKb() / 102.4) / 10.0);
    m.put("heap_mb", Math.round((rt.totalMemory() - rt.freeMemory()) / 104857.6) / 10.0);
    return m;
  }

  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }

  /** This process's TCP sockets whose peer is {@code peerPort}: /proc/self/fd inodes joined with /proc/net/tcp{,6}. */
  static Map<String, Object> proxySockets(int peerPort) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) inodes.add(link.substring(8, link.length() - 1));
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    Map<String, String> names = Map.of("01", "ESTABLISHED", "02", "SYN_SENT", "04", "FIN_WAIT1", "05", "FIN_WAIT2",
        "06", "TIME_WAIT", "07", "CLOSE", "08", "CLOSE_WAIT", "09", "LAST_ACK", "0B", "CLOSING");
    int count = 0;
    Map<String, Object> states = new LinkedHashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length < 10) continue;
        if (Integer.parseInt(cols[2].split(":")[1], 16) != peerPort || !inodes.contains(cols[9])) continue;
        count++;
        states.merge(names.getOrDefault(cols[3], cols[3]), 1, (x, y) -> (Integer) x + (Integer) y);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", count);
    out.put("states", states);
    return out;
  }

  /** How late a 10 ms sleep wakes up in this JVM: starvation (GC, shared cores), not SDK. */
  static final class LagProbe implements Runnable {
    final List<Double> samples = Collections.synchronizedList(new ArrayList<>());
    volatile boolean stopped;

    public void run() {
      while (!stopped) {
        long t = System.nanoTime();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
        samples.add((System.nanoTime() - t) / 1e6 - 10);
      }
    }

    Map<String, Object> summary() {
      List<Double> s;
      synchronized (samples) {
        s = new ArrayList<>(samples);
      }
      Collections.sort(s);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("p99", Tally.round(Tally.percentile(s, 0.99)));
      m.put("max", s.isEmpty() ? null : Tally.round(s.get(s.size() - 1)));
      return m;
    }
  }

  /** Outcomes and events; the same definitions as bench/soak/tally.mjs. */
  static final class Tally {
    final int budget = MAX_RETRIES + 1;
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger hung = new AtomicInteger();
    final AtomicInteger abortsScheduled = new AtomicInteger();
    final AtomicInteger abortsFired = new AtomicInteger();
    final Map<String, Integer> events = new ConcurrentHashMap<>();
    final Map<String, Integer> requestsPerCall = new ConcurrentHashMap<>();
    final Set<String> settledIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger eventsAfterSettle = new AtomicInteger();
    // guarded by this
    int settledCount, lateSettled, ok, typed, raw, timeoutBeforeDeadline, successAfterDeadline, maxAttempts, overBudget;
    final Map<String, Integer> kinds = new LinkedHashMap<>();
    final Map<String, Integer> attemptsHist = new LinkedHashMap<>();
    final List<Double> overshoots = new ArrayList<>();
    final List<Map<String, Object>> rawSamples = new ArrayList<>();
    final List<Map<String, Object>> firstFailures = new ArrayList<>();

    void onEvent(ModelwireEvent e) {
      events.merge(e.type().name().toLowerCase(), 1, Integer::sum);
      if (e.type() == ModelwireEvent.Type.REQUEST) requestsPerCall.merge(e.requestId(), 1, Integer::sum);
      if (e.requestId() != null && settledIds.contains(e.requestId())) eventsAfterSettle.incrementAndGet();
    }

    synchronized void settle(String rid, long deadlineMs, double elapsedMs, double startS, Prediction value, Throwable error,
        boolean late) {
      settledCount++;
      settledIds.add(rid);
      Integer counted = requestsPerCall.remove(rid);
      if (late) lateSettled++;
      boolean isTyped = error instanceof ModelwireException;
      String code = isTyped ? ((ModelwireException) error).code() : null;
      int reported;
      if (error == null) {
        ok++;
        reported = value.attempts();
      } else if (isTyped) {
        typed++;
        kinds.merge(code, 1, Integer::sum);
        reported = ((ModelwireException) error).attempts();
      } else {
        raw++;
        kinds.merge("raw:" + error.getClass().getName(), 1, Integer::sum);
        reported = 0;
        if (rawSamples.size() < 5) {
          StringWriter sw = new StringWriter();
          error.printStackTrace(new PrintWriter(sw));
          Map<String, Object> sample = new LinkedHashMap<>();
          sample.put("type", error.getClass().getName());
          sample.put("message", String.valueOf(error.getMessage()));
          sample.put("stack", String.join("\n", sw.toString().lines().limit(12).toList()));
          rawSamples.add(sample);
        }
      }
      if (error != null && !"CIRCUIT_OPEN".equals(code) && !"ABORTED".equals(code) && firstFailures.size() < 10) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("start_s", Math.round(startS * 1000) / 1000.0);
        f.put("elapsed_ms", Math.round(elapsedMs));
        f.put("deadline_ms", deadlineMs);
        f.put("code", code != null ? code : error.getClass().getName());
        firstFailures.add(f);
      }
      if ("DEADLINE_EXCEEDED".equals(code) || elapsedMs >= deadlineMs) overshoots.add(elapsedMs - deadlineMs);
      if ("TIMEOUT".equals(code) && elapsedMs < deadlineMs) timeoutBeforeDeadline++;
      if (error == null && elapsedMs >= deadlineMs) successAfterDeadline++;
      int attempts = Math.max(reported, counted == null ? 0 : counted);
      maxAttempts = Math.max(maxAttempts, attempts);
      if (attempts > budget) overBudget++;
      attemptsHist.merge(String.valueOf(attempts), 1, Integer::sum);
    }

    static Double percentile(List<Double> sorted, double q) {
      if (sorted.isEmpty()) return null;
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static Double round(Double x) {
      return x == null ? null : Math.round(x * 10) / 10.0;
    }

    synchronized Map<String, Object> summary(Map<String, Object> head, Map<String, Object> tail) {
      List<Double> s = new ArrayList<>(overshoots);
      Collections.sort(s);
      int errors = typed + raw;
      Map<String, Object> out = new LinkedHashMap<>(head);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("started", started.get());
      c.put("settled", settledCount);
      c.put("hung", hung.get());
      c.put("late_settled", lateSettled);
      c.put("ok", ok);
      c.put("errors", errors);
      c.put("cancelled", 0);
      out.put("calls", c);
      out.put("typed_error_share", errors == 0 ? 1.0 : (double) typed / errors);
      out.put("raw_errors", raw);
      out.put("raw_samples", rawSamples);
      out.put("error_kinds", kinds);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("n", s.size());
      o.put("p50", round(percentile(s, 0.5)));
      o.put("p99", round(percentile(s, 0.99)));
      o.put("max", s.isEmpty() ? null : round(s.get(s.size() - 1)));
      o.put("over_grace_250", s.stream().filter(x -> x > 250).count());
      out.put("overshoot_ms", o);
      out.put("timeout_before_deadline", timeoutBeforeDeadline);
      out.put("success_after_deadline", successAfterDeadline);
      out.put("attempts", Map.of("max", maxAttempts, "over_budget", overBudget, "budget", budget, "hist", attemptsHist));
      out.put("aborts", Map.of("scheduled", abortsScheduled.get(), "fired", abortsFired.get()));
      out.put("events", new LinkedHashMap<>(events));
      out.put("breaker", Map.of("open", events.getOrDefault("breaker_open", 0),
          "half_open", events.getOrDefault("breaker_half_open", 0), "close", events.getOrDefault("breaker_close", 0)));
      out.put("events_after_settle", eventsAfterSettle.get());
      out.put("first_failures", firstFailures);
      out.putAll(tail);
      return out;
    }
  }

  /** Just enough JSON writing for the result line (maps, lists, strings, numbers, booleans, null). */
  static final class Json {
    static String write(Object v) {
      StringBuilder sb = new StringBuilder();
      write(v, sb);
      return sb.toString();
    }

    static void write(Object v, StringBuilder sb) {
      if (v == null) sb.append("null");
      else if (v instanceof Map<?, ?> m) {
        sb.append('{');
        boolean first = true;
        for (var e : m.entrySet()) {
          if (!first) sb.append(',');
          first = false;
          write(String.valueOf(e.getKey()), sb);
          sb.append(':');
          write(e.getValue(), sb);
        }
        sb.append('}');
      } else if (v instanceof List<?> l) {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) sb.append(',');
          write(l.get(i), sb);
        }
        sb.append(']');
      } else if (v instanceof Number || v instanceof Boolean) sb.append(v);
      else {
        sb.append('"');
        for (char ch : v.toString().toCharArray()) {
          if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
          else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
          else sb.append(ch);
        }
        sb.append('"');
      }
    }
  }
}
