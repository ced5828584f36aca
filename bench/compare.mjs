// THE one benchmark for three languages (issue 14): one server process (bench/server.mjs), then each language's
// driver in turn against it, one table. Not a test: numbers move ±15 % between runs on a shared 2-core machine.
//
//   node bench/compare.mjs [--seconds 10] [--rounds 5] [--concurrency 32] [--threads 8] [--only typescript,python,java]
//
// Driver protocol: `<driver> --url <base>/v1 --seconds S --rounds R --concurrency C --threads T` prints, as its last
// stdout line, {"lang", "runtime"?, "results": [{"name", "kind": "raw"|"sdk", "mode": "async"|"sync", "rps", "p50_ms",
// "p99_ms", "cpu_us_per_req"}]}. Each driver interleaves its own contenders round by round.
import { fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const root = fileURLToPath(new URL('..', import.meta.url));
const opts = [
  '--seconds',
  arg('seconds', '10'),
  '--rounds',
  arg('rounds', '5'),
  '--concurrency',
  arg('concurrency', '32'),
  '--threads',
  arg('threads', '8'),
];
const only = arg('only')?.split(',');
const python = `${root}packages/python/.venv/bin/python`;
const drivers = [
  { lang: 'typescript', command: process.execPath, args: [`${root}bench/ts-driver.mjs`], present: true },
  {
    lang: 'python',
    command: python,
    args: [`${root}bench/python/compare.py`],
    present: existsSync(python) && existsSync(`${root}bench/python/compare.py`),
  },
  { lang: 'java', command: 'bash', args: [`${root}bench/java/compare.sh`], present: existsSync(`${root}bench/java/compare.sh`) },
].filter((d) => !only || only.includes(d.lang));

const server = fork(`${root}bench/server.mjs`, { stdio: 'inherit' });
const { port } = await new Promise((resolve) => server.once('message', resolve));
const url = `http://127.0.0.1:${port}/v1`;

function run(driver) {
  return new Promise((resolve) => {
    const child = spawn(driver.command, [...driver.args, '--url', url, ...opts], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', (error) => resolve({ lang: driver.lang, error: error.message }));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        resolve({ lang: driver.lang, error: `exit ${code}, no JSON line` });
      }
    });
  });
}

const runs = [];
for (const driver of drivers) {
  if (!driver.present) {
    runs.push({ lang: driver.lang, error: 'driver not set up (run the test command once)' });
    continue;
  }
  process.stderr.write(`compare: ${driver.lang} …\n`);
  runs.push(await run(driver));
}
server.kill();

const rows = runs.flatMap((r) => (r.results ?? []).map((x) => ({ ...x, lang: r.lang })));
const undici = rows.find((r) => r.lang === 'typescript' && r.kind === 'raw');
/** The fastest raw client of the same language and mode: each SDK's own baseline. */
const ownRaw = (r) =>
  rows
    .filter((x) => x.lang === r.lang && x.mode === r.mode && x.kind === 'raw')
    .reduce((best, x) => (best && best.rps >= x.rps ? best : x), undefined);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');

console.log(
  `# one benchmark, three languages — loopback, one Node server process, ~1 KB input, full pipeline on cache misses; ` +
    `async: ${arg('concurrency', '32')} in flight, sync: ${arg('threads', '8')} threads; ${arg('seconds', '10')} s per contender in ${arg('rounds', '5')} interleaved rounds\n`,
);
for (const r of runs) if (r.runtime) console.log(`- ${r.lang}: ${r.runtime}`);
for (const r of runs) if (r.error) console.log(`- ${r.lang}: not measured (${r.error})`);
console.log('\n| language | client | mode | req/s | p50 ms | p99 ms | client CPU µs/req | × own fastest raw | × raw undici |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const own = r.kind === 'sdk' ? ratio(r.rps, ownRaw(r)?.rps) : r === ownRaw(r) ? '1.00× (fastest raw)' : ratio(r.rps, ownRaw(r)?.rps);
  console.log(
    `| ${r.lang} | ${r.name} | ${r.mode} | ${r.rps.toFixed(0)} | ${r.p50_ms.toFixed(2)} | ${r.p99_ms.toFixed(2)} | ${r.cpu_us_per_req.toFixed(1)} | ${own} | ${ratio(r.rps, undici?.rps)} |`,
  );
}
process.exit(runs.some((r) => r.error) ? 1 : 0);
