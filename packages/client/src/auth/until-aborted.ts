import { AbortedError } from '../errors/error-classes.js';

/**
 * `work`, or the signal's abort as `AbortedError` when it comes first (`work` goes on for others).
 *
 * @example const token = await untilAborted(sharedRefresh, callerSignal);
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  const aborted = () => new AbortedError('the call was aborted while waiting for a token', { code: 'ABORTED', cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
