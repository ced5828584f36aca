import type { Clock } from '../clock.js';
import type { BreakerState } from '../events.js';
import type { BreakerVerdict } from './failure.js';

/**
 * A circuit breaker that opens after N *consecutive* failures (not a failure rate), lets exactly one
 * half-open trial through after `resetTimeoutMs`, and ignores outcomes the failure predicate calls
 * "ignored" — they neither count nor reset the streak, and an ignored trial leaves it half-open.
 *
 * Why not opossum: its model is a rolling failure *percentage*, an error excluded by `errorFilter`
 * counts as a success (a 4xx probe would close a half-open breaker), and its timers are real
 * `setTimeout`s that tests cannot drive. This is the exact state machine the contract specifies,
 * with an injected clock (time is read lazily; no timers).
 *
 * Transitions are reported when they happen: open → half-open when the trial is admitted (reading
 * `state` reports nothing), half-open/closed → open and half-open → closed when an outcome is recorded.
 *
 * @example
 * const breaker = new ConsecutiveBreaker({ consecutiveFailures: 5, resetTimeoutMs: 30_000 }, clock);
 * if (!breaker.tryAcquire()) throw circuitOpen();
 * try { const answer = await attempt(); breaker.record(breakerVerdict({ answer })); return answer; }
 * catch (error) { breaker.record(breakerVerdict({ error })); throw error; }
 */
export class ConsecutiveBreaker {
  private streak = 0;
  private openedAt = 0;
  private stateValue: BreakerState = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly options: { consecutiveFailures: number; resetTimeoutMs: number },
    private readonly clock: Clock,
    private readonly onTransition: (state: BreakerState, fromFleet: boolean) => void = () => {},
  ) {}

  /** The current state (an open breaker whose reset time passed reads as half-open). */
  get state(): BreakerState {
    return this.resetDue() ? 'half-open' : this.stateValue;
  }

  /** Failures in a row so far. */
  get consecutiveFailures(): number {
    return this.streak;
  }

  /** Asks to make an attempt: true when closed, or when this is the one half-open trial. */
  tryAcquire(): boolean {
    if (this.stateValue === 'closed') return true;
    if (this.resetDue()) this.transition('half-open');
    if (this.stateValue === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  /** Records an attempt's outcome (see `breakerVerdict`). */
  record(verdict: BreakerVerdict): void {
    const half = this.stateValue === 'half-open';
    // An ignored trial proves nothing: stay half-open and let the next call try.
    if (half) this.trialInFlight = false;
    if (verdict === 'ignored') return;
    if (verdict === 'success') {
      this.streak = 0;
      if (half) this.transition('closed');
      return;
    }
    this.streak++;
    if (half || (this.stateValue === 'closed' && this.streak >= this.options.consecutiveFailures)) this.open();
  }

  /**
   * Opens a closed breaker on the fleet's word (a quorum of other instances opened theirs); it then goes
   * half-open after its own reset timeout like any other. An open or half-open breaker is left alone.
   */
  trip(): void {
    if (this.stateValue !== 'closed') return;
    this.streak = 0;
    this.openedAt = this.clock.now();
    this.stateValue = 'open';
    this.onTransition('open', true);
  }

  private resetDue(): boolean {
    return this.stateValue === 'open' && this.clock.now() - this.openedAt >= this.options.resetTimeoutMs;
  }

  private open(): void {
    this.openedAt = this.clock.now();
    this.transition('open');
  }

  private transition(state: BreakerState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.onTransition(state, false);
  }
}
