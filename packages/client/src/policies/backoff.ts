/**
 * The wait before retry `n` (1-based): exponential, capped, with full jitter or none.
 *
 * @example
 * backoffDelay(2, { backoffInitialMs: 100, backoffMultiplier: 2, backoffMaxMs: 2000, jitter: 'none' }, Math.random); // 200
 */
export function backoffDelay(
  retryNumber: number,
  policy: { backoffInitialMs: number; backoffMultiplier: number; backoffMaxMs: number; jitter: 'full' | 'none' },
  random: () => number,
): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffInitialMs * policy.backoffMultiplier ** (retryNumber - 1));
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling;
}
