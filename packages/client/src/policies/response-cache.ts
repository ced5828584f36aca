import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Answer } from '../internal/call-context.js';

interface Entry {
  answer: Answer;
  storedAt: number;
}

/**
 * A bounded LRU of successful answers (by entries and bytes). Expired entries are kept until evicted
 * so stale-if-error can use them; `getFresh` never returns them.
 *
 * @example
 * const cache = new ResponseCache({ ttlMs: 30_000, maxEntries: 1000, maxBytes: 50e6, staleIfError: false }, clock);
 */
export class ResponseCache {
  private readonly lru: LRUCache<string, Entry>;

  constructor(
    private readonly policy: { ttlMs: number; maxEntries: number; maxBytes: number; staleIfError: boolean },
    private readonly clock: Clock,
  ) {
    this.lru = new LRUCache<string, Entry>({
      max: policy.maxEntries,
      maxSize: policy.maxBytes,
      // Size ≈ the raw JSON body; +64 for the entry itself so empty bodies still count.
      sizeCalculation: (entry) => entry.answer.bytes + 64,
    });
  }

  /** A fresh entry, or undefined (an expired one is dropped unless stale-if-error may need it). */
  getFresh(key: string): Answer | undefined {
    const entry = this.lru.get(key);
    if (!entry) return undefined;
    if (this.clock.now() - entry.storedAt < this.policy.ttlMs) return entry.answer;
    if (!this.policy.staleIfError) this.lru.delete(key);
    return undefined;
  }

  /** Any entry, fresh or expired. */
  getAny(key: string): Answer | undefined {
    return this.lru.get(key)?.answer;
  }

  /** Stores an answer; `ageMs` backdates it (an entry from the shared cache keeps its original expiry). */
  set(key: string, answer: Answer, ageMs = 0): void {
    if (answer.bytes + 64 > this.policy.maxBytes) return;
    this.lru.set(key, { answer, storedAt: this.clock.now() - ageMs });
  }
}
