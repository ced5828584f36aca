import type { Clock } from '../clock.js';
import { DeadlineExceededError } from '../errors/error-classes.js';

/**
 * Waits for `work` until the call's deadline at most: what a call does before its pipeline starts
 * (asking for a token) is bounded by the same deadline as its attempts. `work` itself goes on (a
 * shared token request serves other callers); only this caller stops waiting for it.
 *
 * @example const token = await withinDeadline(tokens.token(false, signal), deadlineAt, clock, 'while fetching a token');
 */
export function withinDeadline<T>(work: Promise<T>, deadlineAt: number, clock: Clock, during: string, requestId?: string): Promise<T> {
  const passed = () => new DeadlineExceededError(`the call's deadline passed ${during}`, { code: 'DEADLINE_EXCEEDED', requestId });
  const remaining = deadlineAt - clock.now();
  if (remaining <= 0) {
    // Settle `work` quietly: it may still reject after this caller gave up.
    work.catch(() => undefined);
    return Promise.reject(passed());
  }
  return new Promise<T>((resolve, reject) => {
    const cancel = clock.timer(remaining, () => reject(passed()));
    work.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}
