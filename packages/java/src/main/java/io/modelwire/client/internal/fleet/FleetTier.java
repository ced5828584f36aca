package io.modelwire.client.internal.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.CacheOptions;
import io.modelwire.client.Fleet;
import io.modelwire.client.ModelwireEvent.Type;
import io.modelwire.client.TransportResponse;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.ResponseLimits;
import io.modelwire.client.internal.stages.Answer;
import io.modelwire.client.internal.stages.Call;
import io.modelwire.client.internal.stages.Events;
import io.modelwire.client.internal.stages.Responses;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Fleet mode's shared cache on Redis, the second level of the cache stage (docs/semantics.md,
 * "Fleet mode (Redis)"): reads {@code <prefix>:cache:<cache key>} on a first-level miss, writes every
 * answer the first level stores (in the background: no call waits), bounds every operation by
 * {@code opTimeout}, and runs its own small breaker: 3 consecutive Redis failures → local-only for
 * 5 s (then one trial), with {@code fleet_unavailable} / {@code fleet_available}. Redis trouble never
 * fails a call. The application's connection is never closed here.
 *
 * <pre>{@code FleetTier tier = new FleetTier(fleet, cacheOptions, limits, events); tier.lookup(key, call) }</pre>
 */
public final class FleetTier {
  /** Consecutive failures before the pause. */
  static final int FAILURES_TO_PAUSE = 3;
  /** The pause (local-only), ns. */
  static final long PAUSE_NS = TimeUnit.SECONDS.toNanos(5);
  private static final Pattern CREDENTIALS = Pattern.compile("//[^/@\\s]*@");

  private final Fleet fleet;
  private final RedisOps ops;
  private final CacheOptions cache;
  private final ResponseLimits limits;
  private final Events events;
  private final String instanceId;
  private final long opTimeoutMs;
  private final byte[] hmacKey;
  private final Object lock = new Object();
  private int failures;
  private long pausedUntil = System.nanoTime() - 1;
  private boolean paused;
  private boolean unavailable;

  /**
   * Creates the tier over the application's connection.
   *
   * @param fleet options
   * @param cache the cache options (TTL, stale-if-error)
   * @param limits response limits (an entry's envelope is read like a response body)
   * @param events event sink
   */
  public FleetTier(Fleet fleet, CacheOptions cache, ResponseLimits limits, Events events) {
    this(fleet, LettuceOps.of(fleet.redis()), cache, limits, events);
  }

  FleetTier(Fleet fleet, RedisOps ops, CacheOptions cache, ResponseLimits limits, Events events) {
    this.fleet = fleet;
    this.ops = ops;
    this.cache = cache;
    this.limits = limits;
    this.events = events;
    this.instanceId = fleet.instanceId() != null ? fleet.instanceId() : UUID.randomUUID().toString();
    this.opTimeoutMs = Math.max(1, fleet.opTimeout().toMillis());
    this.hmacKey = fleet.hmacKey();
  }

  /** The bound of one Redis operation. @return milliseconds */
  public long opTimeoutMs() {
    return opTimeoutMs;
  }

  /** {@code <prefix>:lock:<key>}. @param key cache key @return the Redis key */
  public String lockKey(String key) {
    return fleet.prefix() + ":lock:" + key;
  }

  /** The key prefix. @return it */
  public String prefix() {
    return fleet.prefix();
  }

  /** Other instances needed to open a breaker early. @return it */
  public int quorum() {
    return fleet.quorum();
  }

  RedisOps ops() {
    return ops;
  }

  /** This client's id in the fleet. {@code tier.instanceId()} @return it */
  public String instanceId() {
    return instanceId;
  }

  /** {@code <prefix>:cache:<key>}. @param key cache key @return the Redis key */
  public String cacheKey(String key) {
    return fleet.prefix() + ":cache:" + key;
  }

  /**
   * A shared entry turned back into an answer.
   *
   * @param fresh fresh (else expired: stale-if-error only)
   * @param answer the answer (the original call's request id)
   * @param ageMs its age
   * @param bytes the size of its result (first-level weight)
   */
  public record Found(boolean fresh, Answer answer, long ageMs, int bytes) {}

  /**
   * The shared entry of {@code key} judged for this call, or null (miss, Redis trouble, an ignored
   * entry: {@code fleet_entry_rejected}, an envelope the reader refuses). Never fails.
   *
   * @param key the cache key
   * @param call the call
   * @return the entry or null
   */
  public CompletableFuture<Found> lookup(String key, Call call) {
    return run(() -> ops.get(cacheKey(key))).thenApply(text -> text == null ? null : judge(text, call));
  }

  private Found judge(String text, Call call) {
    long now = System.currentTimeMillis();
    FleetEntry.Verdict v = FleetEntry.read(text, now, call.model(), call.version(), hmacKey);
    ObjectNode entry = v.entry();
    if (entry == null) {
      events.fleet(Type.FLEET_ENTRY_REJECTED, call.model(), call.version(), call.requestId(), v.reason());
      return null;
    }
    try {
      JsonNode served = entry.get("served_version");
      Map<String, List<String>> headers = served.isNull() ? Map.of() : Map.of("X-Model-Version", List.of(served.asText()));
      byte[] body = Json.MAPPER.writeValueAsBytes(entry.get("envelope"));
      Call.Ids ids = new Call.Ids(entry.get("request_id").asText(), call.traceId(), call.ids().traceFlags());
      Object outcome = Responses.classify(new TransportResponse(200, headers, body), ids, call.model(), now, limits);
      if (!(outcome instanceof Answer a)) return null;
      long age = Math.max(0, now - entry.get("stored_at_ms").asLong());
      int bytes = Json.MAPPER.writeValueAsBytes(a.envelope().path("result")).length;
      return new Found("fresh".equals(v.verdict()), a, age, bytes);
    } catch (Exception e) {
      return null; // an entry planted by anyone with write access can at worst be ignored
    }
  }

  /**
   * Writes the answer the first level stored ({@code SET key entry PX ttl + stale window}), in the
   * background. Fallback and stale answers are never written (the caller checks).
   *
   * @param key the cache key
   * @param call the call
   * @param answer the answer
   * @return done (never fails; nobody but the lock's release waits for it)
   */
  public CompletableFuture<Void> store(String key, Call call, Answer answer) {
    CompletableFuture<Void> none = CompletableFuture.completedFuture(null);
    if (answer.fallback() != null || answer.stale() || answer.cached() || call.model() == null) return none;
    JsonNode envelope = answer.envelope();
    if (envelope == null || !envelope.isObject()) return none;
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.put("v", 1);
    fields.put("model", call.model());
    fields.put("version", call.version());
    fields.put("stored_at_ms", System.currentTimeMillis());
    fields.put("ttl_ms", cache.ttlMs());
    fields.put("served_version", answer.servedVersion());
    JsonNode rid = envelope.get("request_id");
    fields.put("request_id", rid != null && rid.isTextual() ? rid.asText() : call.requestId());
    fields.set("envelope", envelope);
    String text;
    try {
      text = FleetEntry.encode(fields, hmacKey);
    } catch (RuntimeException e) {
      return none; // an envelope canonical JSON refuses is not shared
    }
    long px = Math.max(1, cache.ttlMs() + (cache.staleIfError() ? fleet.staleWindow().toMillis() : 0));
    return run(() -> ops.setPx(cacheKey(key), text, px));
  }

  /**
   * One Redis operation within the op timeout: its reply, or null on failure, timeout or pause
   * (counted by the small breaker). Never fails.
   */
  <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> op) {
    if (pausedNow()) return CompletableFuture.completedFuture(null);
    CompletableFuture<T> f;
    try {
      f = op.get();
    } catch (RuntimeException e) {
      failed(e);
      return CompletableFuture.completedFuture(null);
    }
    return f.orTimeout(opTimeoutMs, TimeUnit.MILLISECONDS).handleAsync((r, err) -> {
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        failed(cause instanceof java.util.concurrent.TimeoutException
            ? new IllegalStateException("no Redis answer within " + opTimeoutMs + " ms") : cause);
        return null;
      }
      succeeded();
      return r;
    });
  }

  private boolean pausedNow() {
    synchronized (lock) {
      return paused && System.nanoTime() - pausedUntil < 0;
    }
  }

  private void succeeded() {
    boolean back;
    synchronized (lock) {
      failures = 0;
      back = unavailable;
      unavailable = false;
      paused = false;
    }
    if (back) events.fleet(Type.FLEET_AVAILABLE, null, null, null, null);
  }

  private void failed(Throwable error) {
    boolean first;
    synchronized (lock) {
      failures++;
      if (failures < FAILURES_TO_PAUSE && !unavailable) return;
      pausedUntil = System.nanoTime() + PAUSE_NS;
      paused = true;
      first = !unavailable;
      unavailable = true;
    }
    if (first) events.fleet(Type.FLEET_UNAVAILABLE, null, null, null, oneLine(error));
  }

  static String oneLine(Throwable error) {
    String text = error.getMessage();
    if (text == null || text.isBlank()) text = error.getClass().getSimpleName();
    text = CREDENTIALS.matcher(String.join(" ", text.trim().split("\\s+"))).replaceAll("//");
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
