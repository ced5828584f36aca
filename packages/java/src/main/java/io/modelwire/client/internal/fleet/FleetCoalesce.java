package io.modelwire.client.internal.fleet;

import io.modelwire.client.Scheduler;
import io.modelwire.client.internal.stages.Answer;
import io.modelwire.client.internal.stages.Call;
import io.modelwire.client.internal.stages.Stage;
import java.util.concurrent.CompletableFuture;

/**
 * Fleet coalescing (docs/semantics.md, "Fleet coalescing and breaker hints"): the instance that takes
 * {@code SET <prefix>:lock:<key> <instance> NX PX <min(deadline left, timeout)>} calls upstream, writes
 * the entry, then releases the lock; the others poll every 10 ms for the entry, look once more when
 * the lock goes, and call upstream themselves when the lock goes without an entry or less than their
 * reserve is left (one per-attempt timeout, or half the time they had when they started waiting if that
 * is less, but never less than one poll and its two Redis operations). Redis trouble:
 * everyone calls upstream. All waits are timers (no thread blocks), so predict and predictAsync share it.
 *
 * <pre>{@code new FleetCoalesce(tier, scheduler, joined).flight(call, key, next) }</pre>
 */
public final class FleetCoalesce {
  /** How often a waiter looks for the holder's entry. */
  static final long POLL_MS = 10;
  private final FleetTier tier;
  private final Scheduler scheduler;
  private final java.util.function.Consumer<Call> joined;

  /**
   * Creates it.
   *
   * @param tier the fleet's Redis side
   * @param scheduler timers and the clock of deadlines
   * @param joined called when a waiter is served by the holder's entry (the coalesced event)
   */
  public FleetCoalesce(FleetTier tier, Scheduler scheduler, java.util.function.Consumer<Call> joined) {
    this.tier = tier;
    this.scheduler = scheduler;
    this.joined = joined;
  }

  /**
   * Runs the call's upstream flight through the fleet's lock.
   *
   * @param call the call
   * @param key the cache key
   * @param next upstream
   * @return the answer
   */
  public CompletableFuture<Answer> flight(Call call, String key, Stage.Chain next) {
    long lockMs = Math.min(call.deadlineAt() - scheduler.nowMillis(), call.timeoutMs());
    if (lockMs <= 0) return lead(call, key, next, false);
    String lockKey = tier.lockKey(key);
    return tier.run(() -> tier.ops().setNxPx(lockKey, tier.instanceId(), lockMs)).thenCompose(locked -> {
      if (locked == null) return lead(call, key, next, false); // Redis cannot say: everyone calls
      if (locked) return lead(call, key, next, true);
      // a deadline shorter than the attempt timeout still waits, for half of what it has; one more round
      // (a poll, a lookup, a lock check) must never eat the rest of the deadline
      long reserveMs = Math.max(Math.min(call.timeoutMs(), (call.deadlineAt() - scheduler.nowMillis()) / 2),
          POLL_MS + 2 * tier.opTimeoutMs());
      return await(call, key, next, reserveMs);
    });
  }

  private CompletableFuture<Answer> await(Call call, String key, Stage.Chain next, long reserveMs) {
    // too little time left to keep waiting: call upstream with what remains
    if (call.deadlineAt() - scheduler.nowMillis() <= reserveMs) return lead(call, key, next, false);
    return scheduler.delay(POLL_MS).thenCompose(v -> look(call, key)).thenCompose(found -> {
      if (found != null) return CompletableFuture.completedFuture(found);
      return tier.run(() -> tier.ops().get(tier.lockKey(key))).thenCompose(holder -> {
        if (holder != null) return await(call, key, next, reserveMs);
        // the holder writes the entry before releasing the lock: look once more
        return look(call, key).thenCompose(again -> again != null
            ? CompletableFuture.completedFuture(again) : lead(call, key, next, false));
      });
    });
  }

  private CompletableFuture<Answer> look(Call call, String key) {
    return tier.lookup(key, call).thenApply(found -> {
      if (found == null || !found.fresh()) return null;
      joined.accept(call);
      return found.answer().fromCache(false, 0);
    });
  }

  private CompletableFuture<Answer> lead(Call call, String key, Stage.Chain next, boolean holdsLock) {
    CompletableFuture<Answer> upstream;
    try {
      upstream = next.proceed(call);
    } catch (RuntimeException e) {
      upstream = CompletableFuture.failedFuture(e);
    }
    return upstream.whenComplete((answer, err) -> {
      String lockKey = tier.lockKey(key);
      CompletableFuture<?> written = err == null ? tier.store(key, call, answer) : CompletableFuture.completedFuture(null);
      // waiters stop waiting once the lock goes: the entry (if any) is written first
      if (holdsLock) written.thenRun(() -> tier.run(() -> tier.ops().del(lockKey)));
    });
  }
}
