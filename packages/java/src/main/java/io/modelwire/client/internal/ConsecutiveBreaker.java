package io.modelwire.client.internal;

import io.modelwire.client.BreakerState;
import io.modelwire.client.Scheduler;

/**
 * A circuit breaker that opens after N <em>consecutive</em> failures (not a failure rate), lets exactly
 * one half-open trial through once the reset timeout has passed ({@code now - openedAt >=
 * resetTimeoutMs}), and ignores the outcomes {@code Failures.isBreakerFailure} does not call failures
 * (4xx, 429, abort, malformed 2xx): they neither count nor reset the streak, and an ignored trial
 * leaves it half-open so the next call tries. The state machine of docs/semantics.md, the same as the
 * TypeScript {@code ConsecutiveBreaker} and the Python one, on the injected {@link Scheduler} (time is
 * read lazily; no timer thread).
 *
 * <p>Hand-written rather than resilience4j's {@code CircuitBreaker}: that one is configured into the
 * same rule (a count window of N at 100%), but it logs through slf4j, and slf4j without a binding in
 * the application prints a warning on stderr on the first call.
 *
 * <p>Thread-safe: the state changes under this object's lock; transitions are reported after the lock
 * is released, in the thread (and inside the call) that caused them — open → half-open when the trial
 * is admitted, half-open/closed → open and half-open → closed when an outcome is recorded.
 *
 * <pre>{@code
 * ConsecutiveBreaker b = new ConsecutiveBreaker(5, 30_000, scheduler, (to, fleet) -> {});
 * if (!b.tryAcquirePermission()) throw circuitOpen();
 * … b.onSuccess() / b.onError() / b.releasePermission()
 * }</pre>
 */
public final class ConsecutiveBreaker {
  /** Receives each state change. */
  @FunctionalInterface
  public interface Transitions {
    /**
     * The breaker moved to {@code to}.
     *
     * @param to the new state
     * @param fromFleet opened on the fleet's word ({@link #trip()}), not on this instance's failures
     */
    void changed(BreakerState to, boolean fromFleet);
  }

  private final int threshold;
  private final long resetTimeoutMs;
  private final Scheduler scheduler;
  private final Transitions transitions;
  private BreakerState state = BreakerState.CLOSED; // OPEN stays OPEN until a trial is admitted
  private int streak;
  private long openedAt;
  private boolean trialInFlight;

  /**
   * Creates a closed breaker.
   *
   * @param consecutiveFailures failures in a row that open it (at least 1)
   * @param resetTimeoutMs open time before the one half-open trial
   * @param scheduler clock source
   * @param transitions receives each state change
   */
  public ConsecutiveBreaker(int consecutiveFailures, long resetTimeoutMs, Scheduler scheduler,
      Transitions transitions) {
    this.threshold = Math.max(1, consecutiveFailures);
    this.resetTimeoutMs = resetTimeoutMs;
    this.scheduler = scheduler;
    this.transitions = transitions;
  }

  /**
   * The state as the caller would experience it now (changes nothing, reports nothing): an open
   * breaker whose reset timeout has passed reads as half-open (its next attempt is the trial).
   *
   * @return the state
   */
  public synchronized BreakerState state() {
    return resetDue() ? BreakerState.HALF_OPEN : state;
  }

  /**
   * True while closed (calls flow and are counted).
   *
   * @return whether closed
   */
  public synchronized boolean isClosed() {
    return state == BreakerState.CLOSED;
  }

  /**
   * Asks to make an attempt: true when closed, or when this is the one half-open trial (an open
   * breaker whose reset timeout has passed goes half-open here). Every admitted attempt must be
   * followed by exactly one of {@link #onSuccess}, {@link #onError} or {@link #releasePermission}.
   *
   * @return whether the attempt may go ahead
   */
  public boolean tryAcquirePermission() {
    boolean halfOpened = false;
    boolean admitted;
    synchronized (this) {
      if (state == BreakerState.CLOSED) return true;
      if (resetDue()) {
        state = BreakerState.HALF_OPEN;
        halfOpened = true;
      }
      admitted = state == BreakerState.HALF_OPEN && !trialInFlight;
      if (admitted) trialInFlight = true;
    }
    if (halfOpened) transitions.changed(BreakerState.HALF_OPEN, false);
    return admitted;
  }

  /** An admitted attempt succeeded (2xx): the streak resets; a half-open breaker closes. */
  public void onSuccess() {
    boolean closed;
    synchronized (this) {
      boolean half = state == BreakerState.HALF_OPEN;
      if (half) trialInFlight = false;
      streak = 0;
      closed = half;
      if (closed) state = BreakerState.CLOSED;
    }
    if (closed) transitions.changed(BreakerState.CLOSED, false);
  }

  /**
   * An admitted attempt failed (5xx, timeout, connection): the streak grows; the N-th failure in a
   * row opens a closed breaker, and a failed trial reopens a half-open one.
   */
  public void onError() {
    boolean opened;
    synchronized (this) {
      boolean half = state == BreakerState.HALF_OPEN;
      if (half) trialInFlight = false;
      streak++;
      opened = half || (state == BreakerState.CLOSED && streak >= threshold);
      if (opened) {
        state = BreakerState.OPEN;
        openedAt = scheduler.nowMillis();
      }
    }
    if (opened) transitions.changed(BreakerState.OPEN, false);
  }

  /**
   * An admitted attempt ended in an outcome that proves nothing (4xx, 429, abort, malformed 2xx): the
   * streak is unchanged, and a half-open breaker stays half-open with its trial slot free again.
   */
  public synchronized void releasePermission() {
    if (state == BreakerState.HALF_OPEN) trialInFlight = false;
  }

  /**
   * Opens the breaker now, from closed or half-open, as if on this instance's own failures (an open
   * one is left alone); it goes half-open after the reset timeout like any other.
   */
  public void transitionToOpenState() {
    open(false);
  }

  /**
   * Opens a closed breaker on the fleet's word (a quorum of other instances opened theirs); it then
   * goes half-open after its own reset timeout like any other. An open or half-open one is left alone.
   */
  public void trip() {
    open(true);
  }

  private void open(boolean fromFleet) {
    synchronized (this) {
      if (state == BreakerState.OPEN) return;
      if (fromFleet && state != BreakerState.CLOSED) return;
      state = BreakerState.OPEN;
      streak = 0;
      trialInFlight = false;
      openedAt = scheduler.nowMillis();
    }
    transitions.changed(BreakerState.OPEN, fromFleet);
  }

  private boolean resetDue() {
    return state == BreakerState.OPEN && scheduler.nowMillis() - openedAt >= resetTimeoutMs;
  }
}
