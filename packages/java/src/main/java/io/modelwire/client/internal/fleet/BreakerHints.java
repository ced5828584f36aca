package io.modelwire.client.internal.fleet;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Breaker hints with a quorum (docs/semantics.md, "Fleet coalescing and breaker hints"): each
 * instance reports the breakers IT opened (never one a hint opened, so reports cannot cascade) in
 * {@code <prefix>:breaker:<model>:<version or ->}, a sorted set of instance ids scored by the wall time
 * of opening; a closed breaker opens when at least {@code quorum} OTHER instances opened theirs within
 * the reset window and since its own last close. Reads use Lettuce's async API (no thread of ours, no
 * call waits for them), at most once a second per breaker; both {@code predict} and
 * {@code predictAsync} share them.
 *
 * <pre>{@code hints.reported("fraud-score", null, true) }</pre>
 */
public final class BreakerHints {
  static final long REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
  private final FleetTier tier;
  private final long resetMs;
  private final ConcurrentHashMap<String, Long> lastRead = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> lastClosed = new ConcurrentHashMap<>();

  /**
   * Creates the hints.
   *
   * @param tier the fleet's Redis side
   * @param resetTimeoutMs the breakers' reset timeout
   */
  public BreakerHints(FleetTier tier, long resetTimeoutMs) {
    this.tier = tier;
    this.resetMs = resetTimeoutMs;
  }

  String key(String model, String version) {
    return tier.prefix() + ":breaker:" + model + ":" + (version != null ? version : "-");
  }

  /**
   * A transition this instance made on its own: an open is reported, a close withdrawn.
   *
   * @param model model
   * @param version pinned version or null
   * @param open true: opened; false: closed
   */
  public void reported(String model, String version, boolean open) {
    String key = key(model, version);
    String me = tier.instanceId();
    if (open) {
      long score = System.currentTimeMillis();
      tier.run(() -> tier.ops().zaddExpire(key, score, me, Math.max(1, resetMs * 2)));
    } else {
      lastClosed.put(key, System.currentTimeMillis());
      tier.run(() -> tier.ops().zrem(key, me));
    }
  }

  /**
   * A closed breaker admits a call: refresh the fleet's view in the background (at most once a
   * second) and {@code trip} on a quorum. The call itself never waits.
   *
   * @param model model
   * @param version pinned version or null
   * @param trip opens the breaker on the fleet's word
   */
  public void check(String model, String version, Runnable trip) {
    String key = key(model, version);
    long now = System.nanoTime();
    Long last = lastRead.get(key);
    if (last != null && now - last < REFRESH_NS) return;
    if (last == null ? lastRead.putIfAbsent(key, now) != null : !lastRead.replace(key, last, now)) return;
    double since = Math.max(System.currentTimeMillis() - resetMs, lastClosed.getOrDefault(key, 0L));
    String me = tier.instanceId();
    int quorum = tier.quorum();
    tier.run(() -> tier.ops().zrangeAfter(key, since)).thenAccept((List<String> members) -> {
      if (members == null) return;
      Set<String> others = new HashSet<>(members);
      others.remove(me);
      if (others.size() >= quorum) trip.run();
    });
  }
}
