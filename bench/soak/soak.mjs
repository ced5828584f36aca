// TS soak driver: @modelwire/client against the proxied mock while the orchestrator switches faults.
// Prints ONE JSON line (see tally.mjs). Usage (run.mjs does this):
//   node bench/soak/soak.mjs --base http://127.0.0.1:P/v1 --proxy-port P --calls 100000 --concurrency 64
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { proxySockets } from './proxy-sockets.mjs';
import { HANG_MS, Tally } from './tally.mjs';

// @modelwire/client is a dependency of bench/, not of bench/soak: resolve it from there.
const require = createRequire(new URL('../package.json', import.meta.url));
const { createClient, ModelwireError } = await import(require.resolve('@modelwire/client'));

const { values: a } = parseArgs({
  options: {
    base: { type: 'string' },
    'proxy-port': { type: 'string' },
    calls: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '64' },
    'max-seconds': { type: 'string', default: '150' },
    'abort-share': { type: 'string', default: '0.15' },
    // Calls started per second at most, so that a run spans several fault cycles (fast fails are µs).
    rate: { type: 'string', default: '800' },
    'breaker-reset-ms': { type: 'string', default: '30000' },
  },
});
const CALLS = Number(a.calls);
const MAX_RETRIES = 2;
const proxyPort = Number(a['proxy-port']);
const stopAt = performance.now() + Number(a['max-seconds']) * 1000;

const tally = new Tally(MAX_RETRIES);
const requestsPerCall = new Map();
const settledIds = new Set();
const mem = () => {
  const m = process.memoryUsage();
  return { rss_mb: +(m.rss / 2 ** 20).toFixed(1), heap_mb: +(m.heapUsed / 2 ** 20).toFixed(1) };
};

const client = createClient({
  baseUrl: a.base,
  timeoutMs: 1000,
  deadlineMs: 2500,
  retry: { maxRetries: MAX_RETRIES },
  breaker: { resetTimeoutMs: Number(a['breaker-reset-ms']) },
  cache: false,
  onEvent: (e) => {
    tally.event(e.type);
    if (e.type === 'request') requestsPerCall.set(e.requestId, (requestsPerCall.get(e.requestId) ?? 0) + 1);
    if (e.requestId && settledIds.has(e.requestId)) tally.eventsAfterSettle++;
  },
});

// Event-loop lag of this process: tells SDK overshoot apart from a starved process (2 shared cores).
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const memBefore = mem();
const t0 = performance.now();
let next = 0;

/** One call; resolves when it settled or was declared hung (deadline + 5 s), whichever is first. */
function oneCall(i) {
  const requestId = `soak-ts-${i}`;
  const deadlineMs = 500 + Math.floor(Math.random() * 2501);
  let controller;
  let abortTimer;
  if (Math.random() < Number(a['abort-share'])) {
    controller = new AbortController();
    tally.abortsScheduled++;
    abortTimer = setTimeout(() => {
      tally.abortsFired++;
      controller.abort();
    }, Math.random() * deadlineMs);
  }
  tally.started++;
  const start = performance.now();
  let hung = false;
  const settle = (value, error) => {
    const elapsedMs = performance.now() - start;
    clearTimeout(abortTimer);
    settledIds.add(requestId);
    const counted = requestsPerCall.get(requestId) ?? 0;
    requestsPerCall.delete(requestId);
    const typed = error instanceof ModelwireError;
    const reported = error ? (typed ? error.attempts : 0) : value.attempts;
    tally.settled({
      deadlineMs,
      elapsedMs,
      error,
      typed,
      code: typed ? error.code : undefined,
      attempts: Math.max(reported ?? 0, counted),
      late: hung,
      startS: (start - t0) / 1000,
      rawSample:
        error && !typed
          ? {
              type: error?.constructor?.name ?? typeof error,
              message: String(error?.message ?? error),
              stack: String(error?.stack ?? '')
                .split('\n')
                .slice(0, 8)
                .join('\n'),
            }
          : undefined,
    });
  };
  const call = client
    .predict(
      'fraud-score',
      { amount: Math.round(Math.random() * 5000), country: 'FR' },
      { requestId, deadlineMs, signal: controller?.signal },
    )
    .then(
      (v) => settle(v, undefined),
      (e) => settle(undefined, e ?? new Error('rejected with nothing')),
    );
  return new Promise((resolve) => {
    const hangTimer = setTimeout(() => {
      hung = true;
      tally.hung++;
      resolve();
    }, deadlineMs + HANG_MS);
    call.then(() => {
      clearTimeout(hangTimer);
      resolve();
    });
  });
}

const RATE = Number(a.rate);

async function worker() {
  while (next < CALLS && performance.now() < stopAt) {
    const i = next++;
    // Pacing; and a macrotask turn between calls even when they fail fast (a microtask-only loop
    // of circuit-open rejections would starve the SDK's timers and show up as overshoot).
    const wait = t0 + (i * 1000) / RATE - performance.now();
    await new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
    await oneCall(i);
  }
}

await Promise.all(Array.from({ length: Number(a.concurrency) }, worker));
const elapsedS = (performance.now() - t0) / 1000;
const inFlightAtClose = tally.started - tally.settledCount;
await client.close();
const socketsAfterClose = proxySockets(proxyPort);
const memAfter = mem();
await new Promise((r) => setTimeout(r, 3000));
const socketsAfter3s = proxySockets(proxyPort);

process.stdout.write(
  `${JSON.stringify(
    tally.summary({
      head: { lang: 'ts', mode: `undici, ${a.concurrency} in flight`, abort: 'AbortController.abort() at a random time in [0, deadline)' },
      tail: {
        elapsed_s: +elapsedS.toFixed(1),
        calls_per_s: Math.round(tally.started / elapsedS),
        in_flight_at_close: inFlightAtClose,
        loop_lag_ms: { p99: +(lag.percentile(99) / 1e6).toFixed(1), max: +(lag.max / 1e6).toFixed(1) },
        memory: { before: memBefore, after: memAfter },
        sockets: { after_close: socketsAfterClose, after_3s: socketsAfter3s },
      },
    }),
  )}\n`,
);
process.exit(0);
