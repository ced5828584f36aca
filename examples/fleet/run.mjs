// Fleet mode demo (docs/semantics.md "Fleet mode"): Redis, the mock gateway and several worker processes — in
// TypeScript, Python and Java — scoring a shared stream with repeated inputs: first as independent pods, then in
// fleet mode; then a 503 storm, where the fleet stops calling the sick model after a quorum of pods opened their
// breakers. One command (after the builds: the Python venv and the Java build are used when present):
//   node examples/fleet/run.mjs [--pods 4] [--calls 300] [--quick] [--languages ts,py,java]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startMockServer } from '@modelwire/mock-server';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const PODS = arg('pods', 4);
const CALLS = arg('calls', quick ? 60 : 300);
const DISTINCT = Math.max(10, Math.round(CALLS / 5));
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

// How each language's worker starts; Python and Java take part when their SDK is built in this checkout.
const python = `${root}packages/python/.venv/bin/python`;
const javaBuild = `${root}packages/java/target`;
const workers = {
  ts: { ready: true, start: (args) => [process.execPath, [`${here}worker.mjs`, ...args]] },
  py: { ready: existsSync(python), start: (args) => [python, [`${here}worker.py`, ...args]] },
  java: {
    ready: existsSync(`${javaBuild}/test-classpath.txt`),
    start: (args) => {
      const classpath = `${javaBuild}/classes:${readFileSync(`${javaBuild}/test-classpath.txt`, 'utf8').trim()}`;
      return ['java', ['-XX:TieredStopAtLevel=1', '-cp', classpath, `${here}Worker.java`, ...args]];
    },
  },
};
const wanted = process.argv.includes('--languages')
  ? process.argv[process.argv.indexOf('--languages') + 1].split(',')
  : ['ts', 'py', 'java'];
const LANGUAGES = wanted.filter((l) => workers[l]?.ready);
const missing = wanted.filter((l) => !workers[l]?.ready);
if (missing.length)
  console.error(`(not built here, left out: ${missing.join(', ')} — scripts/test-python.sh / scripts/test-java.sh build them)`);

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let out = '';
  redisServer.stdout.on('data', (c) => {
    out += c;
    if (out.includes('Ready to accept connections')) resolve();
  });
  redisServer.on('error', () => reject(new Error('redis-server is missing: apt-get install redis-server')));
});
const redisUrl = `redis://127.0.0.1:${port}`;
const mock = await startMockServer({ port: 0 });
const admin = (path, body) =>
  fetch(`${mock.url}/__admin/${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
const upstreamCalls = async () =>
  (await (await admin('requests')).json()).requests.filter((r) => r.path === '/v1/models/fraud-score/predict').length;

/** One worker process (pod i runs in LANGUAGES[i % n]); resolves to what it saw. */
function pod(i, mode, name, { delayMs = 0, calls = CALLS, distinct = DISTINCT } = {}) {
  return new Promise((resolve, reject) => {
    const [exe, args] = workers[LANGUAGES[i % LANGUAGES.length]].start([
      mock.apiUrl,
      redisUrl,
      mode,
      name,
      String(calls),
      String(distinct),
      String(delayMs),
    ]);
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`${name} exited ${code}`))));
  });
}

async function round(title, mode) {
  await admin('reset', {});
  const started = performance.now();
  const pods = await Promise.all(Array.from({ length: PODS }, (_, i) => pod(i, mode, `pod-${i + 1}`)));
  const calls = PODS * CALLS;
  const upstream = await upstreamCalls();
  const cached = pods.reduce((n, p) => n + p.cached, 0);
  const circuitOpen = pods.reduce((n, p) => n + p.circuitOpen, 0);
  console.log(
    `| ${title} | ${calls} | ${upstream} | ${((cached / calls) * 100).toFixed(0)} % | ${circuitOpen} | ${((performance.now() - started) / 1000).toFixed(1)} s |`,
  );
  return { upstream, cached };
}

const podLanguages = Array.from({ length: PODS }, (_, i) => LANGUAGES[i % LANGUAGES.length]).join(', ');
console.log(
  `# fleet mode demo — ${PODS} pods (processes: ${podLanguages}), ${CALLS} calls each over ${DISTINCT} distinct inputs, Redis ${redisUrl}\n`,
);
console.log(
  '| round | calls | upstream calls | answered from a cache | failed fast (circuit open) | wall |\n|---|---:|---:|---:|---:|---:|',
);
const alone = await round('independent pods (no fleet mode)', 'local');
const fleet = await round('fleet mode (shared cache + coalescing)', 'fleet');
// The storm: the model answers 503 to everything; pods start 300 ms apart, as a rollout or autoscaling would.
const storm = { routes: [{ method: 'POST', path: '/v1/models/fraud-score/predict', responses: [{ status: 503 }], then: 'repeat_last' }] };
const stormCalls = quick ? 20 : 40;
async function stormRound(title, mode) {
  await admin('reset', {});
  await admin('scenario', storm);
  // Every pod sees new inputs (no cache help): only the breakers can spare the model.
  const pods = await Promise.all(
    Array.from({ length: PODS }, (_, i) => pod(i, mode, `storm-${i + 1}`, { delayMs: i * 300, calls: stormCalls, distinct: 1000 })),
  );
  const upstream = await upstreamCalls();
  console.log(`| ${title} | ${PODS * stormCalls} | ${upstream} | — | ${pods.reduce((n, p) => n + p.circuitOpen, 0)} | |`);
  return upstream;
}
const stormAlone = await stormRound('503 storm, independent pods (5 failures each)', 'local');
const stormFleet = await stormRound('503 storm, fleet mode (quorum 2)', 'storm-fleet');
console.log(
  `\nfleet mode: ${alone.upstream} → ${fleet.upstream} upstream calls for the same stream; storm: ${stormAlone} → ${stormFleet} calls to the sick model`,
);
await mock.close();
redisServer.kill();
const ok = fleet.upstream < alone.upstream && stormFleet < stormAlone;
process.exit(ok ? 0 : 1);
