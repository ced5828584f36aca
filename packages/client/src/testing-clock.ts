import type { Clock } from './clock.js';

interface Pending {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * A virtual clock for tests. Timers and sleeps fire only when virtual time reaches them. With
 * `autoAdvance` (default) a `sleep` jumps time to its end at once (firing any timer due on the way)
 * and is recorded in `sleeps`; without it, everything waits for `advance()`.
 *
 * @example
 * const clock = new ManualClock();
 * const client = createClient({ baseUrl, clock, transport });
 * await client.predict('m', {});
 * expect(clock.sleeps).toEqual([100, 200]);
 */
export class ManualClock implements Clock {
  /** Every sleep requested, in order, in ms. */
  readonly sleeps: number[] = [];
  private time: number;
  private readonly autoAdvance: boolean;
  private pending: Pending[] = [];
  private seq = 0;

  constructor(options: { start?: number; autoAdvance?: boolean } = {}) {
    this.time = options.start ?? 1_700_000_000_000;
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.time;
  }

  wallMs(): number {
    return this.time;
  }

  timer(ms: number, callback: () => void): () => void {
    const entry: Pending = { at: this.time + Math.max(0, ms), seq: this.seq++, fire: callback };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    if (this.autoAdvance) {
      this.advance(Math.max(0, ms));
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = this.timer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = Math.max(this.time, due.at);
      due.fire();
    }
    this.time = target;
  }

  /** Timers and sleeps waiting for time to pass. */
  get waiting(): number {
    return this.pending.length;
  }
}
