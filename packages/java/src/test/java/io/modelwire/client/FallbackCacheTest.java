package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.errors.PayloadTooLargeException;
import io.modelwire.client.errors.RateLimitException;
import io.modelwire.client.errors.UnavailableException;
import io.modelwire.client.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cache → coalesce → fallback stages on virtual time. */
class FallbackCacheTest {
  static final Map<String, Object> DATA = Map.of("amount", 129.5);

  static ModelwireClientBuilder client(FakeTransport t, VirtualScheduler s) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1").transport(t).scheduler(s)
        .retry(RetryOptions.defaults().withBackoff(1, 1, 1, false));
  }

  @Test
  void fallsBackAfterRetriesWithSameRequestIdAndNewIdempotencyKey() {
    FakeTransport t = new FakeTransport().then(503, "{}").then(503, "{}").then(503, "{}").ok("{\"score\":0.2}");
    ModelwireClient c = client(t, new VirtualScheduler(true)).fallback("fraud-score", "fraud-score-backup").build();
    Prediction p = c.predict("fraud-score", DATA);
    assertEquals(new Fallback("fraud-score", "fraud-score-backup", "retries_exhausted"), p.fallback());
    assertEquals("fraud-score-backup", p.model().name());
    assertEquals(4, p.attempts());
    assertEquals(1, t.header("X-Request-Id").stream().distinct().count());
    List<String> keys = t.header("Idempotency-Key");
    assertEquals(keys.get(0), keys.get(2));
    assertNotEquals(keys.get(0), keys.get(3));
    assertEquals("/v1/models/fraud-score-backup/predict", t.paths().get(3));
    // not cached under the primary's key: the next call goes upstream again
    c.predict("fraud-score", DATA);
    assertEquals(5, t.count());
  }

  @Test
  void fallsBackWhenTheCircuitIsOpenButNeverOn4xxOr429() {
    FakeTransport t = new FakeTransport();
    ModelwireClient c = client(t, new VirtualScheduler(true)).retry(RetryOptions.defaults().withMaxRetries(0))
        .cache(CacheOptions.disabled()).fallbacks(Map.of("fraud-score", "fraud-score-backup")).build();
    t.then(req -> req.uri().getPath().contains("backup")
        ? FakeTransport.response(200, FakeTransport.envelope("fraud-score-backup", "1", "{}"), Map.of())
        : FakeTransport.response(500, "{}", Map.of()));
    for (int i = 0; i < 5; i++) assertEquals("retries_exhausted", c.predict("fraud-score", DATA).fallback().reason());
    assertEquals("circuit_open", c.predict("fraud-score", DATA).fallback().reason());

    FakeTransport t2 = new FakeTransport().then(429, "{}");
    ModelwireClient c2 = client(t2, new VirtualScheduler(true)).retry(RetryOptions.defaults().withMaxRetries(0))
        .fallback("fraud-score", "fraud-score-backup").build();
    assertThrows(RateLimitException.class, () -> c2.predict("fraud-score", DATA));
    assertEquals(1, t2.count());
  }

  @Test
  void cachesSuccessesPerKeyWithTtlOnTheInjectedClock() {
    VirtualScheduler s = new VirtualScheduler(true);
    FakeTransport t = new FakeTransport().ok("{\"score\":0.3}");
    List<ModelwireEvent> events = new ArrayList<>();
    ModelwireClient c = client(t, s).onEvent(events::add).build();
    assertFalse(c.predict("fraud-score", DATA).cached());
    Prediction hit = c.predict("fraud-score", Map.of("amount", 129.50));
    assertTrue(hit.cached());
    assertEquals(0, hit.attempts());
    assertEquals(1, t.count());
    c.predict("fraud-score", DATA, CallOptions.builder().version("1").build());
    assertEquals(2, t.count(), "a pinned version is another key");
    c.predict("fraud-score", DATA, CallOptions.builder().cache(false).build());
    assertEquals(3, t.count(), "cache:false skips the cache");
    s.advance(30_000);
    assertFalse(c.predict("fraud-score", DATA).cached(), "expired after the TTL");
    assertTrue(events.stream().anyMatch(e -> e.type() == ModelwireEvent.Type.CACHE_HIT));
    // meta.input_digest is the cache key, sent in the body
    JsonNode body = readBody(t.requests.get(0));
    assertEquals(64, body.path("meta").path("input_digest").asText().length());
  }

  @Test
  void errorsAreNotCachedAndStaleIfErrorServesAnExpiredAnswer() {
    VirtualScheduler s = new VirtualScheduler(true);
    FakeTransport t = new FakeTransport().ok("{\"score\":0.3}").then(503, "{}");
    ModelwireClient c = client(t, s).cache(CacheOptions.defaults().withStaleIfError(true)).build();
    c.predict("fraud-score", DATA);
    s.advance(60_000);
    Prediction stale = c.predict("fraud-score", DATA);
    assertTrue(stale.stale());
    assertTrue(stale.cached());
    assertNull(stale.fallback());
    assertEquals(4, t.count());

    FakeTransport t2 = new FakeTransport().then(503, "{}");
    ModelwireClient c2 = client(t2, s).breaker(new BreakerOptions(false, 5, 30_000)).build();
    assertThrows(UnavailableException.class, () -> c2.predict("fraud-score", DATA));
    assertThrows(UnavailableException.class, () -> c2.predict("fraud-score", DATA));
    assertEquals(6, t2.count(), "failures are never cached");
  }

  @Test
  void cacheIsBoundedByEntriesAndBytes() {
    FakeTransport t = new FakeTransport().ok("{\"score\":0.3,\"pad\":\"" + "x".repeat(100) + "\"}");
    ModelwireClient c = client(t, new VirtualScheduler(true)).cache(CacheOptions.defaults().withBounds(30_000, 3, 1_000_000)).build();
    for (int i = 0; i < 10; i++) c.predict("fraud-score", Map.of("amount", i));
    assertTrue(t.count() == 10);
    ModelwireClient c2 = client(t, new VirtualScheduler(true)).cache(CacheOptions.defaults().withBounds(30_000, 1000, 300)).build();
    for (int i = 0; i < 10; i++) c2.predict("fraud-score", Map.of("amount", i));
    // re-ask everything: with ≤ 3 entries / ≤ 300 bytes most must be misses
    int before = t.count();
    for (int i = 0; i < 10; i++) c.predict("fraud-score", Map.of("amount", i));
    assertTrue(t.count() - before >= 7, "entry bound evicts");
    before = t.count();
    for (int i = 0; i < 10; i++) c2.predict("fraud-score", Map.of("amount", i));
    assertTrue(t.count() - before >= 7, "byte bound evicts");
  }

  @Test
  void rejectsNaNAndOversizedInputBeforeSending() {
    FakeTransport t = new FakeTransport().ok("{}");
    ModelwireClient c = client(t, new VirtualScheduler(true)).maxInputBytes(100).build();
    Map<String, Object> nan = new HashMap<>();
    nan.put("amount", Double.NaN);
    assertEquals("INVALID_INPUT", assertThrows(InvalidInputException.class, () -> c.predict("fraud-score", nan)).code());
    assertThrows(PayloadTooLargeException.class, () -> c.predict("fraud-score", Map.of("s", "x".repeat(200))));
    assertEquals(0, t.count());
  }

  @Test
  void lowConfidenceUsesTheOptionElseTheModelThreshold() {
    FakeTransport t = new FakeTransport().ok("{\"confidence\":0.5}");
    assertTrue(client(t, new VirtualScheduler(true)).minConfidence(0.6).build().predict("m", DATA).lowConfidence());
    assertFalse(client(t, new VirtualScheduler(true)).build().predict("m", DATA).lowConfidence(), "no threshold known");
  }

  static JsonNode readBody(TransportRequest r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
