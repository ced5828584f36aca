/**
 * How long token requests pause after consecutive failures (docs/semantics.md, "Token failures
 * back off"): after the n-th failure, `min(maxMs, initialMs × 2^(n−1))`, drawn from its upper half
 * when jittered. One per token source, so every caller shares it.
 *
 * @example
 * const pause = new FailurePause(1_000, 30_000, 'none', Math.random);
 * pause.failed(now); pause.remainingMs(now) // 1000
 */
export class FailurePause {
  private failures = 0;
  private until = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly jitter: 'full' | 'none',
    private readonly random: () => number,
  ) {}

  /** Records a failed token request at `now`; returns the pause it starts. */
  failed(now: number): number {
    this.failures += 1;
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** (this.failures - 1));
    const pauseMs = this.jitter === 'none' ? ceiling : ceiling / 2 + this.random() * (ceiling / 2);
    this.until = now + pauseMs;
    return pauseMs;
  }

  /** A token request succeeded: no pause, and the next failure starts from the initial pause. */
  succeeded(): void {
    this.failures = 0;
    this.until = 0;
  }

  /** Milliseconds until a token request may be sent again (0: now). */
  remainingMs(now: number): number {
    return Math.max(0, this.until - now);
  }

  /** Consecutive failures so far. */
  get count(): number {
    return this.failures;
  }
}
