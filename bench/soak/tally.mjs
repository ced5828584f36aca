// The per-call bookkeeping every driver does, in one place for the TS driver: outcomes, error
// kinds, deadline overshoot, attempts, events — summarised as the one JSON line the orchestrator reads.

export const HANG_MS = 5_000;

/** Nearest-rank percentile of an ascending array. @example percentile([1, 2, 3], 0.5) // 2 */
export const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : null);

/**
 * Collects outcomes of calls and events; `summary()` is the driver's result line.
 *
 * Overshoot = settle time − the call's deadline_ms (both from just before the call started), over
 * calls that ended with DEADLINE_EXCEEDED, or settled (any outcome) at or after their deadline.
 *
 * @example
 * const t = new Tally(2);
 * t.settled({ deadlineMs: 1000, elapsedMs: 1040, error: err, typed: true, code: 'DEADLINE_EXCEEDED', attempts: 2 });
 */
export class Tally {
  constructor(maxRetries) {
    this.budget = maxRetries + 1;
    this.started = 0;
    this.settledCount = 0;
    this.hung = 0;
    this.lateSettled = 0;
    this.ok = 0;
    this.typed = 0;
    this.raw = 0;
    this.cancelled = 0;
    this.rawSamples = [];
    this.kinds = {};
    this.overshoots = [];
    this.timeoutBeforeDeadline = 0;
    this.successAfterDeadline = 0;
    this.maxAttempts = 0;
    this.overBudget = 0;
    this.attemptsHist = {};
    this.events = {};
    this.eventsAfterSettle = 0;
    this.abortsScheduled = 0;
    this.abortsFired = 0;
    this.firstFailures = [];
  }

  event(type) {
    this.events[type] = (this.events[type] ?? 0) + 1;
  }

  /** One call settled. `code` is the typed error's code, `attempts` what the SDK reported or the events counted. */
  settled({ deadlineMs, elapsedMs, error, typed, code, attempts, late, rawSample, startS }) {
    this.settledCount++;
    if (error && code !== 'CIRCUIT_OPEN' && code !== 'ABORTED' && this.firstFailures.length < 10) {
      this.firstFailures.push({
        start_s: Math.round(startS * 1000) / 1000,
        elapsed_ms: Math.round(elapsedMs),
        deadline_ms: deadlineMs,
        code: code ?? rawSample?.type,
      });
    }
    if (late) this.lateSettled++;
    if (!error) this.ok++;
    else if (typed) {
      this.typed++;
      this.kinds[code] = (this.kinds[code] ?? 0) + 1;
    } else {
      this.raw++;
      const key = rawSample.type;
      this.kinds[`raw:${key}`] = (this.kinds[`raw:${key}`] ?? 0) + 1;
      if (this.rawSamples.length < 5) this.rawSamples.push(rawSample);
    }
    if (code === 'DEADLINE_EXCEEDED' || elapsedMs >= deadlineMs) this.overshoots.push(elapsedMs - deadlineMs);
    if (code === 'TIMEOUT' && elapsedMs < deadlineMs) this.timeoutBeforeDeadline++;
    if (!error && elapsedMs >= deadlineMs) this.successAfterDeadline++;
    this.maxAttempts = Math.max(this.maxAttempts, attempts);
    if (attempts > this.budget) this.overBudget++;
    this.attemptsHist[attempts] = (this.attemptsHist[attempts] ?? 0) + 1;
  }

  summary(extra) {
    const sorted = this.overshoots.sort((a, b) => a - b);
    const errors = this.typed + this.raw;
    const round = (x) => (x === null ? null : Math.round(x * 10) / 10);
    return {
      ...extra.head,
      calls: {
        started: this.started,
        settled: this.settledCount,
        hung: this.hung,
        late_settled: this.lateSettled,
        ok: this.ok,
        errors,
        cancelled: this.cancelled,
      },
      typed_error_share: errors ? this.typed / errors : 1,
      raw_errors: this.raw,
      raw_samples: this.rawSamples,
      error_kinds: this.kinds,
      overshoot_ms: {
        n: sorted.length,
        p50: round(percentile(sorted, 0.5)),
        p99: round(percentile(sorted, 0.99)),
        max: round(sorted.length ? sorted[sorted.length - 1] : null),
        over_grace_250: sorted.filter((x) => x > 250).length,
      },
      timeout_before_deadline: this.timeoutBeforeDeadline,
      success_after_deadline: this.successAfterDeadline,
      attempts: { max: this.maxAttempts, over_budget: this.overBudget, budget: this.budget, hist: this.attemptsHist },
      aborts: { scheduled: this.abortsScheduled, fired: this.abortsFired },
      events: this.events,
      breaker: {
        open: this.events.breaker_open ?? 0,
        half_open: this.events.breaker_half_open ?? 0,
        close: this.events.breaker_close ?? 0,
      },
      events_after_settle: this.eventsAfterSettle,
      first_failures: this.firstFailures,
      ...extra.tail,
    };
  }
}
