// Chaos soak (not a test; never run by `pnpm test`): the TS, Python (async + sync) and Java SDKs
// call the mock gateway through Toxiproxy while faults switch every few seconds. One table per run,
// raw numbers in bench/soak/results.json. See bench/soak/README.md.
//   node bench/soak/run.mjs [--calls-ts 100000 --calls-py 20000 --calls-java 20000 --lang ts,py,java]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clearFaults, PHASES, runSchedule } from './faults.mjs';
import { startMockServer } from './mock-server.mjs';
import { printTable } from './report.mjs';
import { startToxiproxy } from './toxiproxy.mjs';

// The SDK needs Node >= 22.19 (undici 8); the mock server and the TS driver run on this same node.
if (Number(process.versions.node.split('.')[0]) < 22) throw new Error(`soak: needs Node >= 22.19, this is ${process.version}`);
const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: a } = parseArgs({
  options: {
    'calls-ts': { type: 'string', default: '100000' },
    'calls-py': { type: 'string', default: '20000' },
    'calls-java': { type: 'string', default: '20000' },
    lang: { type: 'string', default: 'ts,py,java' },
    'phase-ms': { type: 'string', default: '3000' },
    // Per driver run: stop starting calls after this long (the default counts fit well within it).
    'max-seconds': { type: 'string', default: '150' },
    'breaker-reset-ms': { type: 'string', default: '2000' },
    // Calls started per second at most, per driver run (fast fails would otherwise end a run in seconds).
    'rate-ts': { type: 'string', default: '800' },
    'rate-py': { type: 'string', default: '300' },
    'rate-java': { type: 'string', default: '300' },
    'java-homes': { type: 'string', default: '' },
    out: { type: 'string', default: 'bench/soak/results.json' },
  },
});
const langs = a.lang.split(',');

/** The Java SDK jar (built if missing) and its runtime classpath, snapshotted into .bin. */
function javaClasspath() {
  const javaDir = `${root}packages/java`;
  const jar = `${javaDir}/target/modelwire-client-0.1.0.jar`;
  // Rebuilt each run (a few seconds): a jar older than the sources would soak yesterday's SDK.
  const built = spawnSync('mvn', ['-B', '-q', '-o', 'package', '-DskipTests'], { cwd: javaDir, stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(jar)) throw new Error('soak: mvn package of packages/java failed');
  mkdirSync(`${here}.bin`, { recursive: true });
  // A copy, so a rebuild of packages/java during the soak cannot swap the jar under the JVM.
  copyFileSync(jar, `${here}.bin/modelwire-client.jar`);
  const cpFile = `${here}.bin/java.cp`;
  if (!existsSync(cpFile)) {
    const done = spawnSync(
      'mvn',
      ['-B', '-q', '-Dstyle.color=never', 'dependency:build-classpath', '-DincludeScope=runtime', `-Dmdep.outputFile=${cpFile}`],
      { cwd: javaDir, stdio: 'inherit' },
    );
    if (done.status !== 0) throw new Error('soak: mvn dependency:build-classpath failed');
  }
  return `${here}.bin/modelwire-client.jar:${readFileSync(cpFile, 'utf8').trim()}`;
}

/** The command line of each driver run. */
function driverRuns(base, proxyPort) {
  const common = [
    '--base',
    base,
    '--proxy-port',
    String(proxyPort),
    '--max-seconds',
    a['max-seconds'],
    '--breaker-reset-ms',
    a['breaker-reset-ms'],
  ];
  const py = `${root}packages/python/.venv/bin/python`;
  const runs = [];
  if (langs.includes('ts'))
    runs.push({
      name: 'ts',
      cmd: process.execPath,
      args: [`${here}soak.mjs`, ...common, '--calls', a['calls-ts'], '--rate', a['rate-ts'], '--concurrency', '64'],
    });
  if (langs.includes('py')) {
    runs.push({
      name: 'py async',
      cmd: py,
      args: [`${here}soak.py`, ...common, '--mode', 'async', '--calls', a['calls-py'], '--rate', a['rate-py'], '--concurrency', '32'],
    });
    runs.push({
      name: 'py sync',
      cmd: py,
      args: [`${here}soak.py`, ...common, '--mode', 'sync', '--calls', a['calls-py'], '--rate', a['rate-py'], '--concurrency', '16'],
    });
  }
  if (langs.includes('java')) {
    const cp = javaClasspath();
    // One run per JDK: Java 17 releases pooled sockets only when the HttpClient is collected, 21+ at close().
    for (const home of a['java-homes'] ? a['java-homes'].split(',') : ['']) {
      const java = home ? `${home}/bin/java` : 'java';
      const version = spawnSync(java, ['-version'], { encoding: 'utf8' }).stderr.match(/version "(\d+)/)?.[1] ?? '?';
      runs.push({
        name: `java ${version}`,
        cmd: java,
        args: ['-cp', cp, `${here}java/Soak.java`, ...common, '--calls', a['calls-java'], '--rate', a['rate-java'], '--concurrency', '32'],
      });
    }
  }
  return runs;
}

/** Runs one driver under the fault schedule; resolves with its JSON line. */
async function runDriver(run, env) {
  await clearFaults(env);
  console.error(`soak: ${run.name} …`);
  const child = spawn(run.cmd, run.args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const schedule = runSchedule(env, Number(a['phase-ms']));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const phases = await schedule.stop();
  const line = out.trim().split('\n').pop();
  if (code !== 0 || !line?.startsWith('{')) throw new Error(`soak: ${run.name} driver exited ${code}\n${out}`);
  // The run's name wins over the driver's (it tells two JDKs apart).
  return { ...JSON.parse(line), lang: run.name, phases_entered: phases };
}

const toxi = await startToxiproxy();
// Toxiproxy must not outlive a mock server that failed to start.
const mock = await startMockServer().catch((error) => {
  toxi.stop();
  throw error;
});
const results = [];
try {
  const proxy = await toxi.createProxy('mock', `127.0.0.1:${mock.port}`);
  const proxyPort = Number(proxy.listen.split(':').pop());
  const env = { toxi, mock, proxy: 'mock' };
  console.error(
    `soak: mock ${mock.url}, toxiproxy ${toxi.api}, proxy 127.0.0.1:${proxyPort}; ${PHASES.length} phases × ${a['phase-ms']} ms`,
  );
  for (const run of driverRuns(`http://127.0.0.1:${proxyPort}/v1`, proxyPort)) results.push(await runDriver(run, env));
} finally {
  toxi.stop();
  mock.stop();
}
printTable(results);
const out = { date: new Date().toISOString(), args: a, phases: PHASES.map((p) => p.name), results };
writeFileSync(resolve(root, a.out), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwritten: ${a.out}`);
