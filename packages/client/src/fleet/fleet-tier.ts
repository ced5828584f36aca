import type { Clock } from '../clock.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import { type Answer, type CallContext, callFields } from '../internal/call-context.js';
import { parseResponse } from '../internal/parse-response.js';
import type { FleetCache } from './fleet-cache.js';

/** How often a waiter looks for the entry of the instance that holds the lock. */
const POLL_MS = 10;

/** A shared entry turned back into an answer, with how old it is. */
export interface FleetFound {
  verdict: 'fresh' | 'expired';
  answer: Answer;
  ageMs: number;
}

/**
 * The cache stage's view of the shared cache: answers in, entries out. An entry's envelope is read by the
 * same parser as a response body (tolerant reader, depth limit, read-only result), so an entry planted by
 * anyone with write access can at worst be ignored, never crash a call.
 *
 * @example const tier = new FleetTier(fleet, { ttlMs: 30_000, staleIfError: false, maxJsonDepth: 100 }, clock);
 */
export class FleetTier {
  constructor(
    private readonly fleet: FleetCache,
    private readonly policy: { ttlMs: number; staleIfError: boolean; maxJsonDepth: number },
    private readonly clock: Clock,
  ) {}

  async lookup(key: string, ctx: CallContext): Promise<FleetFound | undefined> {
    if (ctx.model === undefined) return undefined;
    const found = await this.fleet.lookup(key, ctx.model, ctx.version ?? null);
    if (found === undefined || found.verdict === 'ignored') return undefined;
    const { entry } = found;
    const headers: Record<string, string> = entry.served_version === null ? {} : { 'x-model-version': entry.served_version };
    const parsed = parseResponse(
      { status: 200, headers, body: JSON.stringify(entry.envelope) },
      { requestId: entry.request_id, traceId: ctx.traceId, wallMs: this.clock.wallMs(), maxJsonDepth: this.policy.maxJsonDepth },
    );
    if (parsed instanceof ModelwireError) return undefined;
    return { verdict: found.verdict, answer: parsed, ageMs: Math.max(0, this.clock.wallMs() - entry.stored_at_ms) };
  }

  /**
   * Fleet coalescing (docs/semantics.md): the first instance to take the key's lock calls upstream; the
   * others wait for its entry and call upstream themselves when the lock goes away without one or when
   * less than their reserve is left: one attempt's timeout, or half the time they had when they started
   * waiting if that is less (a deadline shorter than the attempt timeout still waits), but never less than
   * one poll and its two Redis operations (one more round must not eat the rest of the deadline).
   */
  async coalesce(key: string, ctx: CallContext, upstream: (ctx: CallContext) => Promise<Answer>, waitUntil: number): Promise<Answer> {
    const lockMs = Math.min(ctx.deadlineAt - this.clock.now(), ctx.timeoutMs);
    const locked = lockMs > 0 ? await this.fleet.tryLock(key, lockMs) : undefined;
    if (locked !== false) return this.lead(key, ctx, upstream, locked === true);
    const reserveMs = Math.max(Math.min(ctx.timeoutMs, (waitUntil - this.clock.now()) / 2), POLL_MS + 2 * this.fleet.opTimeoutMs);
    for (;;) {
      // Too little time left to keep waiting: call upstream with what remains.
      if (waitUntil - this.clock.now() <= reserveMs) return this.lead(key, ctx, upstream, false);
      await this.clock.sleep(POLL_MS, ctx.signal);
      const found = await this.joined(key, ctx);
      if (found) return found;
      if ((await this.fleet.locked(key)) !== true) {
        // The holder writes the entry before releasing the lock: look once more, it may have landed in between.
        return (await this.joined(key, ctx)) ?? this.lead(key, ctx, upstream, false);
      }
    }
  }

  /** The holder's entry as this waiter's answer, when it is there. */
  private async joined(key: string, ctx: CallContext): Promise<Answer | undefined> {
    const found = await this.lookup(key, ctx);
    if (found?.verdict !== 'fresh') return undefined;
    if (ctx.observed) ctx.emit({ type: 'coalesced', ...callFields(ctx), tier: 'redis' });
    ctx.counter.coalesced = true;
    return { ...found.answer, cached: true, stale: false, fallback: undefined, attempts: 0 };
  }

  /** Calls upstream for the fleet: the answer becomes the shared entry, then the lock (if ours) is released. */
  private async lead(key: string, ctx: CallContext, upstream: (ctx: CallContext) => Promise<Answer>, holdsLock: boolean): Promise<Answer> {
    let answer: Answer;
    try {
      answer = await upstream(ctx);
    } catch (error) {
      // Waiters stop waiting for an entry that will not come.
      if (holdsLock) this.fleet.unlock(key);
      throw error;
    }
    // Fallback answers are never shared under the primary's key.
    if (!answer.fallback) this.store(key, answer, ctx, holdsLock);
    else if (holdsLock) this.fleet.unlock(key);
    return answer;
  }

  /** Writes the answer as the shared entry (not awaited by the caller), then releases the lock when `unlock`. */
  private store(key: string, answer: Answer, ctx: CallContext, unlock: boolean): void {
    if (ctx.model === undefined) return;
    const envelope = answer.envelope as Record<string, unknown>;
    this.fleet.store(
      key,
      {
        model: ctx.model,
        version: ctx.version ?? null,
        ttl_ms: this.policy.ttlMs,
        served_version: answer.servedVersion ?? null,
        request_id: typeof envelope.request_id === 'string' ? envelope.request_id : ctx.requestId,
        envelope,
      },
      this.policy.staleIfError,
      unlock,
    );
  }
}
