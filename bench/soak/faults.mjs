// The fault schedule: the same phases, in the same order, for every language, switched by the
// orchestrator every `phaseMs`. Network faults are Toxiproxy toxics on the response direction
// (downstream); status storms are scripted on the mock server's admin API.

/**
 * Phases in order; `apply` sets one up on a clean proxy + mock (see `clearFaults`).
 *
 * @example for (const phase of PHASES) await phase.apply(env);
 */
export const PHASES = [
  { name: 'clean', apply: async () => {} },
  {
    name: 'latency 200±100 ms',
    apply: ({ toxi, proxy }) => toxi.addToxic(proxy, { type: 'latency', attributes: { latency: 200, jitter: 100 } }),
  },
  { name: 'bandwidth 50 KB/s', apply: ({ toxi, proxy }) => toxi.addToxic(proxy, { type: 'bandwidth', attributes: { rate: 50 } }) },
  {
    // ~40 slices of 16±8 bytes 20 ms apart: a ~640-byte answer trickles in over ~0.8 s (timeout 1 s).
    name: 'slicer 16 B / 20 ms',
    apply: ({ toxi, proxy }) =>
      toxi.addToxic(proxy, { type: 'slicer', attributes: { average_size: 16, size_variation: 8, delay: 20_000 } }),
  },
  {
    name: 'reset_peer (50 % of links)',
    apply: ({ toxi, proxy }) => toxi.addToxic(proxy, { type: 'reset_peer', toxicity: 0.5, attributes: { timeout: 0 } }),
  },
  {
    // timeout 0: no byte gets through and the connection is never closed — only the SDK's timers end it.
    name: 'stall (timeout toxic, 0)',
    apply: ({ toxi, proxy }) => toxi.addToxic(proxy, { type: 'timeout', attributes: { timeout: 0 } }),
  },
  {
    // Headers (~330 B) get through, the body is cut: shorter than its Content-Length, then closed.
    name: 'limit_data 400 B',
    apply: ({ toxi, proxy }) => toxi.addToxic(proxy, { type: 'limit_data', attributes: { bytes: 400 } }),
  },
  { name: 'down (refused)', apply: ({ toxi, proxy }) => toxi.setEnabled(proxy, false) },
  { name: '503 storm, Retry-After 0', apply: ({ mock }) => mock.storm(503, '0') },
  { name: '429 storm, Retry-After 1', apply: ({ mock }) => mock.storm(429, '1') },
];

/**
 * Back to clean: proxy enabled, no toxics, no scripted answers (and an empty mock request log).
 *
 * @example await clearFaults({ toxi, mock });
 */
export async function clearFaults({ toxi, mock }) {
  await toxi.reset();
  await mock.clear();
}

/**
 * Runs the schedule until `stop()` is called; returns how often each phase was entered.
 *
 * @example
 * const schedule = runSchedule(env, 3000);
 * …; const entered = await schedule.stop();
 */
export function runSchedule(env, phaseMs) {
  const entered = Object.fromEntries(PHASES.map((p) => [p.name, 0]));
  let stopped = false;
  let wake;
  const loop = (async () => {
    for (let i = 0; !stopped; i = (i + 1) % PHASES.length) {
      await clearFaults(env);
      await PHASES[i].apply(env);
      entered[PHASES[i].name]++;
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, phaseMs);
      });
    }
    await clearFaults(env);
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      return entered;
    },
  };
}
