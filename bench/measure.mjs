// Shared by the benchmarks: timed, interleaved slices of concurrent calls (req/s, latency percentiles, client CPU).

/** One timed slice of `seconds` for one contender, `concurrency` callers in flight: counts, latencies and client CPU. */
export async function slice(fn, seconds, concurrency, into) {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let count = 0;
  async function worker() {
    while (performance.now() < deadline) {
      const t = performance.now();
      await fn();
      into.latencies.push(performance.now() - t);
      count++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  into.count += count;
  into.elapsed += (performance.now() - started) / 1000;
  into.cpu += cpu.user + cpu.system;
  into.rates.push(count / ((performance.now() - started) / 1000));
}

/**
 * Round-robin: every contender gets `rounds` slices interleaved, so load and JIT drift hit all alike.
 * Returns name → { rps (median round), p50, p99 (ms), cpuUs (per request) }.
 */
export async function measureAll(entries, { seconds, rounds, concurrency, warmup = 300 }) {
  const acc = Object.fromEntries(entries.map(([name]) => [name, { latencies: [], count: 0, elapsed: 0, cpu: 0, rates: [] }]));
  for (const [, fn] of entries) for (let i = 0; i < warmup; i++) await fn();
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of entries) await slice(fn, seconds / rounds, concurrency, acc[name]);
  }
  const out = {};
  for (const [name, a] of Object.entries(acc)) {
    a.latencies.sort((x, y) => x - y);
    const pct = (p) => a.latencies[Math.min(a.latencies.length - 1, Math.floor((p / 100) * a.latencies.length))];
    a.rates.sort((x, y) => x - y);
    out[name] = { rps: a.rates[Math.floor(a.rates.length / 2)], p50: pct(50), p99: pct(99), cpuUs: a.cpu / a.count };
  }
  return out;
}
