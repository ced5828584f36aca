package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fleet mode's shared cache against a real redis-server (docs/semantics.md, "Fleet mode (Redis)"). */
class FleetTest {
  static final Map<String, Object> DATA = Map.of("amount", 129.5);
  static final String KEY = "fleet-hmac-key-for-tests";
  static RedisServer redis;
  static RedisClient redisClient;
  static StatefulRedisConnection<String, String> conn;

  @BeforeAll
  static void startRedis() throws Exception {
    Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed");
    redis = RedisServer.start();
    redisClient = redis.client();
    conn = redis.connect(redisClient);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (conn != null) conn.close();
    if (redisClient != null) redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    if (redis != null) redis.close();
  }

  @BeforeEach
  void flush() {
    conn.sync().flushall();
  }

  /** A gateway that echoes the request id into its envelope, as the real one does. */
  static FakeTransport gateway() {
    return new FakeTransport().then(req -> FakeTransport.response(200,
        "{\"status\":\"success\",\"code\":\"OK\",\"message\":\"prediction\",\"request_id\":\""
            + req.headers().get("X-Request-Id") + "\",\"trace_id\":\"t\",\"model\":{\"name\":\"fraud-score\","
            + "\"version\":\"2\"},\"result\":{\"score\":0.25}}", Map.of("X-Model-Version", "2")));
  }

  static ModelwireClient client(FakeTransport t, List<ModelwireEvent> events, Fleet.Builder fleet) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).onEvent(events::add)
        .retry(RetryOptions.defaults().withBackoff(1, 1, 1, false)).fleet(fleet.build()).build();
  }

  static Fleet.Builder fleet() {
    return Fleet.builder().redis(conn).prefix("t" + System.nanoTime());
  }

  static String cacheEntry(String prefix) {
    List<String> keys = conn.sync().keys(prefix + ":cache:*");
    return keys.isEmpty() ? null : conn.sync().get(keys.get(0));
  }

  static String waitForEntry(String prefix) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      String e = cacheEntry(prefix);
      if (e != null) return e;
      Thread.sleep(5);
    }
    return null;
  }

  static List<ModelwireEvent> of(List<ModelwireEvent> events, ModelwireEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
  }

  @Test
  void instanceBIsServedFromTheEntryOfInstanceA() throws Exception {
    Fleet.Builder f = fleet().hmacKey(KEY);
    String prefix = f.build().prefix();
    FakeTransport ta = gateway();
    FakeTransport tb = gateway();
    List<ModelwireEvent> ea = new CopyOnWriteArrayList<>();
    List<ModelwireEvent> eb = new CopyOnWriteArrayList<>();
    try (ModelwireClient a = client(ta, ea, f); ModelwireClient b = client(tb, eb, f)) {
      Prediction pa = a.predict("fraud-score", DATA);
      assertNotNull(waitForEntry(prefix), "A wrote the shared entry");
      Prediction pb = b.predict("fraud-score", DATA);
      assertEquals(0, tb.count(), "B made no HTTP call");
      assertTrue(pb.cached());
      assertEquals(0, pb.attempts());
      assertEquals(pa.requestId(), pb.requestId(), "the original call's request id");
      assertEquals(0.25, pb.result().get("score").asDouble());
      assertEquals("2", pb.model().version());
      assertEquals(List.of("redis"), of(eb, ModelwireEvent.Type.CACHE_HIT).stream().map(ModelwireEvent::tier).toList());
      // copied into B's first level: the next hit is a memory hit
      Prediction again = b.predictAsync("fraud-score", DATA).get();
      assertTrue(again.cached());
      assertEquals("memory", of(eb, ModelwireEvent.Type.CACHE_HIT).get(1).tier());
      assertEquals(0, tb.count());
    }
  }

  @Test
  void anotherCredentialScopeIsAnotherKey() throws Exception {
    Fleet.Builder f = fleet();
    String prefix = f.build().prefix();
    FakeTransport ta = gateway();
    FakeTransport tb = gateway();
    List<ModelwireEvent> ev = new CopyOnWriteArrayList<>();
    try (ModelwireClient a = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(ta)
            .auth(Auth.token("key-of-team-a-123")).fleet(f.build()).build();
        ModelwireClient b = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(tb)
            .auth(Auth.token("key-of-team-b-456")).onEvent(ev::add).fleet(f.build()).build()) {
      a.predict("fraud-score", DATA);
      assertNotNull(waitForEntry(prefix));
      assertFalse(b.predict("fraud-score", DATA).cached());
      assertEquals(1, tb.count(), "another credential's entry is never served");
    }
  }

  @Test
  void aPlantedEntryIsRejectedWithAnHmacKey() throws Exception {
    Fleet.Builder writer = fleet(); // no key: entries without mac
    String prefix = writer.build().prefix();
    FakeTransport ta = gateway();
    FakeTransport tb = gateway();
    List<ModelwireEvent> eb = new CopyOnWriteArrayList<>();
    try (ModelwireClient a = client(ta, new CopyOnWriteArrayList<>(), writer);
        ModelwireClient b = client(tb, eb, Fleet.builder().redis(conn).prefix(prefix).hmacKey(KEY))) {
      a.predict("fraud-score", DATA);
      assertNotNull(waitForEntry(prefix));
      Prediction pb = b.predict("fraud-score", DATA);
      assertFalse(pb.cached(), "an unauthenticated entry is never served");
      assertEquals(1, tb.count());
      List<ModelwireEvent> rejected = of(eb, ModelwireEvent.Type.FLEET_ENTRY_REJECTED);
      assertEquals(1, rejected.size());
      assertEquals("bad_mac", rejected.get(0).reason());
    }
  }

  @Test
  void aFallbackAnswerIsNeverStored() throws Exception {
    Fleet.Builder f = fleet();
    String prefix = f.build().prefix();
    FakeTransport t = new FakeTransport().then(req -> req.uri().getPath().contains("backup")
        ? FakeTransport.response(200, FakeTransport.envelope("fraud-score-backup", "1", "{}"), Map.of())
        : FakeTransport.response(500, "{}", Map.of()));
    try (ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .retry(RetryOptions.defaults().withBackoff(1, 1, 1, false))
        .fallbacks(Map.of("fraud-score", "fraud-score-backup")).fleet(f.build()).build()) {
      assertNotNull(c.predict("fraud-score", DATA).fallback());
      Thread.sleep(150);
      assertNull(cacheEntry(prefix), "a fallback's answer is never shared under the primary's key");
    }
  }

  @Test
  void aSlowRedisIsAMissWithinTheBound() throws Exception {
    Fleet.Builder f = fleet().opTimeout(Duration.ofMillis(50));
    FakeTransport t = gateway();
    List<ModelwireEvent> ev = new CopyOnWriteArrayList<>();
    RedisClient other = redis.client();
    try (StatefulRedisConnection<String, String> admin = other.connect();
        ModelwireClient c = client(t, ev, f)) {
      admin.async().dispatch(io.lettuce.core.protocol.CommandType.DEBUG, new io.lettuce.core.output.StatusOutput<>(
          io.lettuce.core.codec.StringCodec.UTF8), new io.lettuce.core.protocol.CommandArgs<>(
          io.lettuce.core.codec.StringCodec.UTF8).add("SLEEP").add("0.5"));
      Thread.sleep(20); // the server is now asleep
      long t0 = System.nanoTime();
      Prediction p = c.predict("fraud-score", DATA);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(p.cached());
      assertEquals(1, t.count());
      assertTrue(ms < 400, "a slow Redis costs at most the op timeout, took " + ms + " ms");
    } finally {
      Thread.sleep(500); // let DEBUG SLEEP end before the next test
      other.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  @Test
  void redisGoneCallsAnswerAndOneFleetUnavailable() throws Exception {
    RedisServer gone = RedisServer.start();
    RedisClient rc = gone.client();
    StatefulRedisConnection<String, String> c2 = rc.connect();
    FakeTransport t = gateway();
    List<ModelwireEvent> ev = new CopyOnWriteArrayList<>();
    try (ModelwireClient c = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t)
        .onEvent(ev::add).cache(CacheOptions.defaults().withBounds(1, 100, 1_000_000))
        .fleet(Fleet.builder().redis(c2).opTimeout(Duration.ofMillis(50)).build()).build()) {
      gone.stop();
      for (int i = 0; i < 8; i++) {
        Prediction p = c.predict("fraud-score", Map.of("amount", i));
        assertEquals(0.25, p.result().get("score").asDouble());
        Thread.sleep(2);
      }
      Thread.sleep(100);
      assertEquals(8, t.count());
      assertEquals(1, of(ev, ModelwireEvent.Type.FLEET_UNAVAILABLE).size(), ev.toString());
      assertNotNull(of(ev, ModelwireEvent.Type.FLEET_UNAVAILABLE).get(0).reason());
    } finally {
      c2.close();
      rc.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      gone.close();
    }
  }

  static ModelwireClient pod(FakeTransport t, List<ModelwireEvent> events, String prefix, String id) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).onEvent(events::add)
        .cache(CacheOptions.disabled()).retry(RetryOptions.defaults().withMaxRetries(0))
        .breaker(new BreakerOptions(true, 2, 30_000))
        .fleet(Fleet.builder().redis(conn).prefix(prefix).quorum(2).instanceId(id).build()).build();
  }

  static void failUntilOpen(ModelwireClient c) {
    for (int i = 0; i < 2; i++) {
      try {
        c.predict("fraud-score", DATA);
      } catch (io.modelwire.client.errors.ModelwireException expected) {
        // 503: the pod's own breaker counts it
      }
    }
  }

  static List<ModelwireEvent> fleetOpens(List<ModelwireEvent> events) {
    return of(events, ModelwireEvent.Type.BREAKER_OPEN).stream().filter(ModelwireEvent::fleet).toList();
  }

  @Test
  void twoBadPodsOpenAHealthyThird() throws Exception {
    String prefix = "h" + System.nanoTime();
    List<ModelwireEvent> ea = new CopyOnWriteArrayList<>();
    List<ModelwireEvent> eb = new CopyOnWriteArrayList<>();
    List<ModelwireEvent> ec = new CopyOnWriteArrayList<>();
    FakeTransport healthy = gateway();
    try (ModelwireClient a = pod(new FakeTransport().then(503, "{}"), ea, prefix, "pod-a");
        ModelwireClient b = pod(new FakeTransport().then(503, "{}"), eb, prefix, "pod-b");
        ModelwireClient c = pod(healthy, ec, prefix, "pod-c")) {
      failUntilOpen(a);
      failUntilOpen(b);
      assertEquals(1, of(ea, ModelwireEvent.Type.BREAKER_OPEN).size());
      assertTrue(fleetOpens(ea).isEmpty(), "a self-opened breaker is not marked fleet");
      for (int i = 0; i < 100 && conn.sync().zcard(prefix + ":breaker:fraud-score:-") < 2; i++) Thread.sleep(5);
      c.predict("fraud-score", DATA); // closed: answers, and refreshes the fleet's view in the background
      for (int i = 0; i < 100 && fleetOpens(ec).isEmpty(); i++) Thread.sleep(5);
      assertEquals(1, fleetOpens(ec).size(), ec.toString());
      org.junit.jupiter.api.Assertions.assertThrows(io.modelwire.client.errors.CircuitOpenException.class,
          () -> c.predict("fraud-score", DATA));
      assertEquals(1, healthy.count());
      Thread.sleep(50);
      // a fleet-opened breaker is never reported (no cascades)
      assertEquals(java.util.Set.of("pod-a", "pod-b"),
          new java.util.HashSet<>(conn.sync().zrange(prefix + ":breaker:fraud-score:-", 0, -1)));
    }
  }

  @Test
  void oneBadPodNeverOpensTheFleet() throws Exception {
    String prefix = "h" + System.nanoTime();
    List<ModelwireEvent> ec = new CopyOnWriteArrayList<>();
    FakeTransport healthy = gateway();
    try (ModelwireClient a = pod(new FakeTransport().then(503, "{}"), new CopyOnWriteArrayList<>(), prefix, "pod-a");
        ModelwireClient c = pod(healthy, ec, prefix, "pod-c")) {
      failUntilOpen(a);
      for (int i = 0; i < 100 && conn.sync().zcard(prefix + ":breaker:fraud-score:-") < 1; i++) Thread.sleep(5);
      c.predict("fraud-score", DATA);
      Thread.sleep(150);
      c.predict("fraud-score", DATA);
      assertTrue(of(ec, ModelwireEvent.Type.BREAKER_OPEN).isEmpty());
      assertEquals(2, healthy.count());
    }
  }

  /** A gateway that answers after {@code ms} (or fails with 500 when {@code fail}). */
  static FakeTransport slowGateway(long ms, boolean fail) {
    FakeTransport ok = gateway();
    return new FakeTransport().then(req -> CompletableFuture.supplyAsync(() -> null,
        CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS)).thenCompose(v -> fail
            ? FakeTransport.response(500, "{}", Map.of()) : ok.send(req)));
  }

  static ModelwireClient flightClient(FakeTransport t, List<ModelwireEvent> events, String prefix, long timeoutMs,
      long deadlineMs) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).onEvent(events::add)
        .retry(RetryOptions.defaults().withMaxRetries(0)).breaker(new BreakerOptions(false, 5, 30_000))
        .timeout(Duration.ofMillis(timeoutMs)).deadline(Duration.ofMillis(deadlineMs))
        .fleet(Fleet.builder().redis(conn).prefix(prefix).build()).build();
  }

  @Test
  void twoInstancesCoalesceToOneUpstreamCall() throws Exception {
    String prefix = "c" + System.nanoTime();
    FakeTransport ta = slowGateway(300, false);
    FakeTransport tb = slowGateway(300, false);
    List<ModelwireEvent> eb = new CopyOnWriteArrayList<>();
    try (ModelwireClient a = flightClient(ta, new CopyOnWriteArrayList<>(), prefix, 3000, 5000);
        ModelwireClient b = flightClient(tb, eb, prefix, 3000, 5000)) {
      CompletableFuture<Prediction> pa = a.predictAsync("fraud-score", DATA);
      Thread.sleep(60);
      Prediction pb = b.predict("fraud-score", DATA);
      assertEquals(1, ta.count() + tb.count(), "one upstream call for the fleet");
      assertEquals(0, tb.count());
      assertEquals(pa.get().requestId(), pb.requestId());
      List<ModelwireEvent> joined = of(eb, ModelwireEvent.Type.COALESCED);
      assertEquals(1, joined.size());
      assertEquals("redis", joined.get(0).tier());
    }
  }

  @Test
  void aFailingHolderReleasesTheLock() throws Exception {
    String prefix = "c" + System.nanoTime();
    FakeTransport ta = slowGateway(200, true);
    FakeTransport tb = gateway();
    try (ModelwireClient a = flightClient(ta, new CopyOnWriteArrayList<>(), prefix, 3000, 5000);
        ModelwireClient b = flightClient(tb, new CopyOnWriteArrayList<>(), prefix, 3000, 5000)) {
      CompletableFuture<Prediction> pa = a.predictAsync("fraud-score", DATA);
      Thread.sleep(60);
      long t0 = System.nanoTime();
      Prediction pb = b.predict("fraud-score", DATA);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(pb.cached());
      assertEquals(1, tb.count(), "the waiter called upstream itself once the lock went");
      assertTrue(ms < 1500, "it did not wait for the lock's expiry: " + ms + " ms");
      assertTrue(pa.handle((p, e) -> e != null).get());
    }
  }

  @Test
  void aWaiterNearItsDeadlineGoesUpstream() throws Exception {
    String prefix = "c" + System.nanoTime();
    FakeTransport ta = slowGateway(1500, false);
    FakeTransport tb = gateway();
    try (ModelwireClient a = flightClient(ta, new CopyOnWriteArrayList<>(), prefix, 3000, 5000);
        ModelwireClient b = flightClient(tb, new CopyOnWriteArrayList<>(), prefix, 300, 800)) {
      a.predictAsync("fraud-score", DATA);
      Thread.sleep(60);
      long t0 = System.nanoTime();
      Prediction pb = b.predict("fraud-score", DATA);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(pb.cached());
      assertEquals(1, tb.count());
      assertTrue(ms < 800, "answered within its deadline: " + ms + " ms");
    }
  }

  /** Cross-language: an entry written by the Python SDK (same cache key, same entry format) is served by Java. */
  @Test
  void optionsAreChecked() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.modelwire.client.errors.InvalidInputException.class,
        () -> Fleet.builder().redis(conn).hmacKey("short").build());
    assertEquals("INVALID_OPTIONS", e.code());
    assertFalse(e.getMessage().contains("short"), "the key is never shown");
    org.junit.jupiter.api.Assertions.assertThrows(io.modelwire.client.errors.InvalidInputException.class,
        () -> Fleet.builder().redis(conn).quorum(1).build());
    org.junit.jupiter.api.Assertions.assertThrows(io.modelwire.client.errors.InvalidInputException.class,
        () -> Fleet.builder().redis(conn).opTimeout(Duration.ZERO).build());
    assertFalse(Fleet.builder().redis(conn).hmacKey(KEY).build().toString().contains(KEY));
  }
}
