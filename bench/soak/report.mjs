// The orchestrator's table: one column per driver run, one row per measure.

const fmt = (v) => (v === null || v === undefined ? '–' : typeof v === 'number' ? String(Math.round(v * 10) / 10) : String(v));

/**
 * Prints the results of every driver run side by side.
 *
 * @example printTable([{ lang: 'ts', calls: { started: 10 }, … }]);
 */
export function printTable(results) {
  const rows = [
    ['calls started', (r) => r.calls.started],
    ['settled', (r) => r.calls.settled],
    ['hung (> deadline + 5 s)', (r) => r.calls.hung],
    ['ok', (r) => r.calls.ok],
    ['errors', (r) => r.calls.errors],
    ['cancelled (asyncio)', (r) => r.calls.cancelled],
    ['typed error share', (r) => `${(r.typed_error_share * 100).toFixed(2)} %`],
    ['raw errors', (r) => r.raw_errors],
    ['overshoot n', (r) => r.overshoot_ms.n],
    ['overshoot p50 ms', (r) => r.overshoot_ms.p50],
    ['overshoot p99 ms', (r) => r.overshoot_ms.p99],
    ['overshoot max ms', (r) => r.overshoot_ms.max],
    ['overshoot > 250 ms', (r) => r.overshoot_ms.over_grace_250],
    ['success after deadline', (r) => r.success_after_deadline],
    ['attempts max', (r) => r.attempts.max],
    ['attempts > 3', (r) => r.attempts.over_budget],
    ['aborts fired', (r) => `${r.aborts.fired}/${r.aborts.scheduled}`],
    ['breaker open/half/close', (r) => `${r.breaker.open}/${r.breaker.half_open}/${r.breaker.close}`],
    ['events after settle', (r) => r.events_after_settle],
    ['RSS MB before→after', (r) => `${r.memory.before.rss_mb}→${r.memory.after.rss_mb}`],
    // Python has no cheap heap size: allocated interpreter blocks (thousands) instead.
    [
      'heap MB (py: k blocks) before→after',
      (r) => {
        const h = (m) => m.heap_mb ?? m.heap_blocks_k;
        return `${h(r.memory.before)}→${h(r.memory.after)}`;
      },
    ],
    ['sockets after close()', (r) => r.sockets.after_close.count],
    ['sockets after 3 s (Java: gc)', (r) => r.sockets.after_3s.count],
    ['scheduler lag p99/max ms', (r) => `${r.loop_lag_ms.p99}/${r.loop_lag_ms.max}`],
    ['calls/s', (r) => r.calls_per_s],
    ['wall s', (r) => r.elapsed_s],
  ];
  const heads = results.map((r) => `${r.lang}${r.lang === 'py' ? ` ${r.mode.split(',')[0]}` : ''}`);
  const width = Math.max(...rows.map(([n]) => n.length));
  const cols = results.map((r, i) => Math.max(heads[i].length, ...rows.map(([, f]) => fmt(f(r)).length)));
  const line = (name, cells) => `${name.padEnd(width)} | ${cells.map((c, i) => c.padStart(cols[i])).join(' | ')}`;
  console.log(line('', heads));
  console.log('-'.repeat(width + 3 + cols.reduce((s, c) => s + c + 3, 0)));
  for (const [name, f] of rows)
    console.log(
      line(
        name,
        results.map((r) => fmt(f(r))),
      ),
    );
  for (const r of results) {
    const kinds = Object.entries(r.error_kinds)
      .sort((x, y) => y[1] - x[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(`\n${heads[results.indexOf(r)]} error kinds: ${kinds || 'none'}`);
    console.log(`  socket states after close: ${JSON.stringify(r.sockets.after_close.states)}; abort: ${r.abort}`);
    for (const s of r.raw_samples) console.log(`  RAW ${s.type}: ${s.message}\n    ${s.stack.replaceAll('\n', '\n    ')}`);
  }
}
