import type { Clock } from '../clock.js';
import type { BreakerState } from '../events.js';
import type { FleetCache } from './fleet-cache.js';

/** How often (at most) an instance reads the fleet's reports for one breaker. */
const REFRESH_MS = 1_000;

/**
 * Breaker hints with a quorum (docs/semantics.md "Fleet coalescing and breaker hints"): each instance
 * reports the breakers IT opened (never one a hint opened, so reports cannot cascade) in a sorted set
 * `<prefix>:breaker:<model>:<version or ->` scored by the wall time of opening; an instance whose breaker is
 * closed opens it when at least `quorum` OTHER instances opened theirs within the reset window and since
 * its own last close. Reads are in the background, at most once a second per breaker: no call waits for them.
 *
 * @example hints.reported('fraud-score', null, 'open', false); hints.check('fraud-score', null, () => breaker.trip());
 */
export class BreakerHints {
  private readonly lastRead = new Map<string, number>();
  private readonly lastClosed = new Map<string, number>();

  constructor(
    private readonly fleet: FleetCache,
    private readonly policy: { quorum: number; resetTimeoutMs: number },
    private readonly clock: Clock,
  ) {}

  /** A local transition: opens this instance saw itself are reported; a close is withdrawn. */
  reported(model: string, version: string | null, state: BreakerState, fromFleet: boolean): void {
    const key = this.fleet.breakerKey(model, version);
    if (state === 'open' && !fromFleet) this.fleet.reportOpen(key, this.clock.wallMs(), this.policy.resetTimeoutMs * 2);
    if (state === 'closed') {
      this.lastClosed.set(key, this.clock.wallMs());
      this.fleet.withdraw(key);
    }
  }

  /** Called when a closed breaker admits a call: refreshes the fleet's view in the background, and trips the breaker on a quorum. */
  check(model: string, version: string | null, trip: () => void): void {
    const key = this.fleet.breakerKey(model, version);
    const now = this.clock.now();
    if (now - (this.lastRead.get(key) ?? Number.NEGATIVE_INFINITY) < REFRESH_MS) return;
    this.lastRead.set(key, now);
    const since = Math.max(this.clock.wallMs() - this.policy.resetTimeoutMs, this.lastClosed.get(key) ?? 0);
    void this.fleet.openReports(key, since).then((others) => {
      if (others !== undefined && others >= this.policy.quorum) trip();
    });
  }
}
