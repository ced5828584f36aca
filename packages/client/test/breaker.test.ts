import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../src/errors/error-classes.js';
import type { CallContext } from '../src/internal/call-context.js';
import { BreakerRegistry, breakerStage } from '../src/policies/breaker-stage.js';
import { ConsecutiveBreaker } from '../src/policies/consecutive-breaker.js';
import { ManualClock } from '../src/testing-clock.js';

function setup() {
  const clock = new ManualClock();
  const transitions: string[] = [];
  const breaker = new ConsecutiveBreaker({ consecutiveFailures: 5, resetTimeoutMs: 30_000 }, clock, (s) => transitions.push(s));
  return { clock, breaker, transitions };
}

describe('ConsecutiveBreaker', () => {
  it('opens at exactly 5 consecutive failures', () => {
    const { breaker } = setup();
    for (let i = 0; i < 4; i++) breaker.record('failure');
    expect(breaker.state).toBe('closed');
    breaker.record('failure');
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('4 failures then a success reset the streak', () => {
    const { breaker } = setup();
    for (let i = 0; i < 4; i++) breaker.record('failure');
    breaker.record('success');
    for (let i = 0; i < 4; i++) breaker.record('failure');
    expect(breaker.state).toBe('closed');
  });

  it('ignored outcomes neither count nor reset', () => {
    const { breaker } = setup();
    for (let i = 0; i < 4; i++) {
      breaker.record('failure');
      breaker.record('ignored');
    }
    expect(breaker.consecutiveFailures).toBe(4);
    breaker.record('failure');
    expect(breaker.state).toBe('open');
  });

  it('half-opens after the reset timeout, lets one trial through, closes on success', () => {
    const { breaker, clock, transitions } = setup();
    for (let i = 0; i < 5; i++) breaker.record('failure');
    clock.advance(29_999);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    expect(breaker.state).toBe('half-open');
    // Reading the state reports nothing: the transition is reported when the trial is admitted.
    expect(transitions).toEqual(['open']);
    expect(breaker.tryAcquire()).toBe(true);
    expect(transitions).toEqual(['open', 'half-open']);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.record('success');
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed trial reopens for another full reset timeout', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 5; i++) breaker.record('failure');
    clock.advance(30_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record('failure');
    expect(breaker.state).toBe('open');
    clock.advance(29_000);
    expect(breaker.state).toBe('open');
  });

  it('an ignored trial (e.g. a 422) keeps it half-open for the next caller', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 5; i++) breaker.record('failure');
    clock.advance(30_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record('ignored');
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
  });
});

describe('breakerStage', () => {
  // The half-open trial slot is released on every exit path (docs/semantics.md "Attempt boundaries").
  it('a trial that throws anything (here a raw RangeError) frees the slot: still half-open, the next call may trial', async () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry({ consecutiveFailures: 1, resetTimeoutMs: 100 }, clock, () => {});
    const stage = breakerStage(registry);
    const ctx = { model: 'fraud-score', version: undefined, requestId: 'r', traceId: 't' } as CallContext;
    const breaker = registry.get('fraud-score', undefined);
    breaker.record('failure');
    clock.advance(100);
    await expect(stage(ctx, async () => Promise.reject(new RangeError('Maximum call stack size exceeded')))).rejects.toThrow(RangeError);
    expect(breaker.state).toBe('half-open');
    await expect(stage(ctx, async () => Promise.reject(new TimeoutError('slow', { code: 'TIMEOUT' })))).rejects.toThrow(TimeoutError);
    expect(breaker.state).toBe('open');
    clock.advance(100);
    const answer = { envelope: {}, bytes: 2, servedVersion: undefined, cached: false, stale: false, fallback: undefined, attempts: 1 };
    await expect(stage(ctx, async () => answer)).resolves.toBe(answer);
    expect(breaker.state).toBe('closed');
  });
});
