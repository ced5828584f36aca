package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.ResponseCache;
import io.modelwire.client.internal.stages.Answer;
import io.modelwire.client.internal.stages.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Both bounds hold, also under concurrent writers. */
class ResponseCacheTest {
  static Answer p() {
    return new Answer(Json.MAPPER.createObjectNode(), "1", "m", new Call.Ids("r", "t", "01"), false, false, null, 1);
  }

  @Test
  void entryAndByteBoundsHoldUnderConcurrentWriters() throws Exception {
    ResponseCache cache = new ResponseCache(CacheOptions.defaults().withBounds(30_000, 50, 10_000), new VirtualScheduler(true));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 2000; i++) cache.put(id + ":" + i, p(), 100);
      }));
    }
    for (Future<?> f : fs) f.get(); // no exception from any writer
    pool.shutdown();
    assertTrue(cache.size() <= 50, "entries " + cache.size());
    assertTrue(cache.weight() <= 10_000, "bytes " + cache.weight());
  }

  @Test
  void freshnessFollowsTheInjectedClockAndOversizedEntriesAreNotStored() {
    VirtualScheduler s = new VirtualScheduler(false);
    ResponseCache cache = new ResponseCache(CacheOptions.defaults().withBounds(1000, 10, 500), s);
    cache.put("k", p(), 10);
    s.advance(999);
    assertEquals("r", cache.getFresh("k").answer().ids().requestId());
    s.advance(1);
    assertNull(cache.getFresh("k"));
    cache.put("big", p(), 501);
    assertNull(cache.getAny("big"));
  }
}
