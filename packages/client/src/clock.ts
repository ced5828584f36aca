/**
 * The source of time for every policy. Injected so tests control time instead of sleeping.
 *
 * @example
 * const clock: Clock = systemClock;
 * await clock.sleep(100); // waits 100 ms, or rejects when the signal aborts
 */
export interface Clock {
  /** Milliseconds on a monotonic-enough scale (only differences matter, except `wallMs`). */
  now(): number;
  /** Wall-clock milliseconds since the epoch (for HTTP dates and webhook timestamps). */
  wallMs(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `callback` after `ms` unless the returned cancel function runs first. */
  timer(ms: number, callback: () => void): () => void;
}

/**
 * The real clock: `performance.now()` and `setTimeout`.
 *
 * @example
 * createClient({ baseUrl, clock: systemClock });
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallMs: () => Date.now(),
  timer(ms, callback) {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
