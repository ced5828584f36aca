/**
 * Waits until `condition` holds (polled every 10 ms), for work the code under test does in the background
 * (writes to Redis nobody awaits); fails after `timeoutMs`.
 *
 * @example await eventually(async () => (await redis.keys('modelwire:cache:*')).length > 0);
 */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
