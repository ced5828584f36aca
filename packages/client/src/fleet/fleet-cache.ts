import type { Clock } from '../clock.js';
import type { ModelwireEvent } from '../events.js';
import { type EntryVerdict, encodeEntry, type FleetEntryFields, readEntry } from './fleet-entry.js';
import type { RedisCommands } from './redis-commands.js';

/** The resolved `fleet` options (docs/semantics.md "Fleet mode"). */
export interface FleetPolicy {
  prefix: string;
  /** Other instances that must report a breaker open before this one opens it too (≥ 2). */
  quorum: number;
  instanceId: string;
  opTimeoutMs: number;
  staleWindowMs: number;
  hmacKey: string | undefined;
}

/** After this many consecutive Redis failures the client runs local-only for `PAUSE_MS`, then tries once. */
const FAILURES_TO_PAUSE = 3;
const PAUSE_MS = 5_000;

class RedisTimeout extends Error {}

/**
 * The shared (second-level) cache on Redis. Every operation is bounded by `opTimeoutMs`; a failure is a
 * miss or a skipped write, never a failed call, and repeated failures pause Redis use (its own small breaker).
 *
 * @example const fleet = new FleetCache(redisCommands(redis), policy, systemClock, emit); await fleet.lookup(key, 'fraud-score', null);
 */
export class FleetCache {
  private failures = 0;
  private pausedUntil = 0;
  private unavailable = false;

  /** The bound of one Redis operation: a waiter keeps at least a poll and two of them in reserve. */
  get opTimeoutMs(): number {
    return this.policy.opTimeoutMs;
  }

  constructor(
    private readonly redis: RedisCommands,
    private readonly policy: FleetPolicy,
    private readonly clock: Clock,
    private readonly emit: (event: ModelwireEvent) => void,
    private readonly instanceId: string,
  ) {}

  /** The entry for a cache key, judged for this call; undefined on a miss, a Redis failure or a pause. */
  async lookup(cacheKey: string, model: string, version: string | null): Promise<EntryVerdict | undefined> {
    const text = await this.run((redis) => redis.get(this.key(cacheKey)));
    if (text === undefined || text === null) return undefined;
    const verdict = readEntry(text, { nowMs: this.clock.wallMs(), model, version, hmacKey: this.policy.hmacKey });
    if (verdict.verdict === 'ignored') this.emit({ type: 'fleet_entry_rejected', model, version, reason: verdict.reason });
    return verdict;
  }

  /** Writes an answer for the fleet without making anyone wait for it. */
  /** Writes an answer for the fleet without making anyone wait for it; then releases the key's lock when `unlock`. */
  store(cacheKey: string, fields: Omit<FleetEntryFields, 'v' | 'stored_at_ms'>, staleIfError: boolean, unlock: boolean): void {
    const entry = encodeEntry({ v: 1, ...fields, stored_at_ms: this.clock.wallMs() }, this.policy.hmacKey);
    const ttl = fields.ttl_ms + (staleIfError ? this.policy.staleWindowMs : 0);
    void this.run((redis) => redis.setPx(this.key(cacheKey), entry, ttl)).then(() => {
      if (unlock) this.unlock(cacheKey);
    });
  }

  /**
   * Takes the fleet-wide lock of a cache key for `ttlMs` (docs/semantics.md "Fleet coalescing"): true when
   * this instance will call upstream for everyone, false when another instance holds it, undefined when
   * Redis cannot say (then every instance calls upstream itself, as without fleet mode).
   */
  tryLock(cacheKey: string, ttlMs: number): Promise<boolean | undefined> {
    return this.run((redis) => redis.setNxPx(this.lockKey(cacheKey), this.instanceId, ttlMs));
  }

  /** Releases a lock this instance took (after a failure, so waiters stop waiting for an entry that will not come). */
  unlock(cacheKey: string): void {
    void this.run((redis) => redis.del(this.lockKey(cacheKey)));
  }

  /** Whether some instance still holds the lock (undefined when Redis cannot say). */
  async locked(cacheKey: string): Promise<boolean | undefined> {
    const holder = await this.run((redis) => redis.get(this.lockKey(cacheKey)));
    return holder === undefined ? undefined : holder !== null;
  }

  /** The key of a breaker's open reports. */
  breakerKey(model: string, version: string | null): string {
    return `${this.policy.prefix}:breaker:${model}:${version ?? '-'}`;
  }

  /** Reports that this instance opened the breaker at `wallMs` (the set expires on its own). */
  reportOpen(key: string, wallMs: number, ttlMs: number): void {
    void this.run((redis) => redis.zAddExpiring(key, wallMs, this.instanceId, ttlMs));
  }

  /** Withdraws this instance's open report. */
  withdraw(key: string): void {
    void this.run((redis) => redis.zRem(key, this.instanceId));
  }

  /** How many OTHER instances reported the breaker open after `sinceWallMs` (undefined when Redis cannot say). */
  async openReports(key: string, sinceWallMs: number): Promise<number | undefined> {
    const members = await this.run((redis) => redis.zMembersAbove(key, sinceWallMs));
    return members?.filter((id) => id !== this.instanceId).length;
  }

  private lockKey(cacheKey: string): string {
    return `${this.policy.prefix}:lock:${cacheKey}`;
  }

  private key(cacheKey: string): string {
    return `${this.policy.prefix}:cache:${cacheKey}`;
  }

  /** Runs one Redis operation within the op timeout; undefined when Redis failed, timed out or is paused. */
  private async run<T>(operation: (redis: RedisCommands) => Promise<T>): Promise<T | undefined> {
    if (this.clock.now() < this.pausedUntil) return undefined;
    let cancel = () => {};
    try {
      const timeout = new Promise<never>((_, reject) => {
        cancel = this.clock.timer(this.policy.opTimeoutMs, () =>
          reject(new RedisTimeout(`no Redis answer within ${this.policy.opTimeoutMs} ms`)),
        );
      });
      const result = await Promise.race([operation(this.redis), timeout]);
      this.succeeded();
      return result;
    } catch (error) {
      this.failed(error);
      return undefined;
    } finally {
      cancel();
    }
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.unavailable) {
      this.unavailable = false;
      this.emit({ type: 'fleet_available' });
    }
  }

  private failed(error: unknown): void {
    this.failures++;
    if (this.failures < FAILURES_TO_PAUSE && !this.unavailable) return;
    this.pausedUntil = this.clock.now() + PAUSE_MS;
    if (!this.unavailable) {
      this.unavailable = true;
      this.emit({ type: 'fleet_unavailable', reason: oneLine(error) });
    }
  }
}

/** A Redis error's message on one line, without a `redis://user:pass@` credential. */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/\s+/g, ' ')
    .replace(/\/\/[^/@\s]*@/g, '//')
    .slice(0, 200);
}
