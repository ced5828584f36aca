// What the cross-language fleet suite starts: real redis-servers (single node, a 3-master cluster), the mock gateway
// and pods — one OS process per client, in TypeScript, Python or Java, speaking JSON lines (pods/).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** redis-server on 127.0.0.1 (a free port unless given), no persistence; resolves when it accepts connections. */
export async function startRedis({ port, args = [] } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchRedis(port ?? (await freePort()), args);
    } catch (error) {
      // A free port can be taken between choosing and binding it: a few tries (a given port gets one).
      if (port !== undefined || attempt >= 5) throw error;
    }
  }
}

function launchRedis(port, args) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server not ready within 10 s: ${out.slice(-300)}`));
    }, 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve({
          port,
          url: `redis://127.0.0.1:${port}`,
          /** SIGKILL: the server vanishes mid-conversation, as a crashed node does. */
          kill: () => stopProcess(child, 'SIGKILL'),
          stop: () => stopProcess(child, 'SIGTERM'),
        });
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not start (apt-get install redis-server): ${error.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited ${code}: ${out.slice(-500)}`));
    });
  });
}

function stopProcess(child, signal) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Three cluster-enabled redis-servers joined by `redis-cli --cluster create` (no replicas). */
export async function startRedisCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'modelwire-fleet-cluster-'));
  const nodes = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--dir', dir] }),
      );
    }
    execFileSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      {
        stdio: 'pipe',
        timeout: 30_000,
      },
    );
    for (let i = 0; ; i++) {
      const info = execFileSync('redis-cli', ['-p', String(nodes[0].port), 'cluster', 'info'], { encoding: 'utf8', timeout: 5000 });
      if (info.includes('cluster_state:ok')) break;
      if (i >= 400) throw new Error(`the Redis Cluster never reached cluster_state:ok: ${info}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: nodes.map((n) => n.url), stop };
}

const javaDir = join(root, 'packages/java/target');
let javaPodClasses;
/** Compiles pods/FleetPod.java once against packages/java's build (classes + its test classpath, which has Lettuce). */
function javaClasspath() {
  const deps = readFileSync(process.env.MODELWIRE_JAVA_CLASSPATH_FILE ?? join(javaDir, 'test-classpath.txt'), 'utf8').trim();
  const classes = process.env.MODELWIRE_JAVA_CLASSES ?? join(javaDir, 'classes');
  const base = `${classes}:${deps}`;
  if (!javaPodClasses) {
    const out = mkdtempSync(join(tmpdir(), 'modelwire-fleet-pod-'));
    execFileSync('javac', ['-d', out, '-cp', base, join(here, 'pods/FleetPod.java')], { stdio: 'inherit', timeout: 120_000 });
    javaPodClasses = out;
  }
  return `${javaPodClasses}:${base}`;
}

export function languagesReady() {
  const missing = [];
  if (!existsSync(join(root, 'packages/python/.venv/bin/python'))) missing.push('Python (run scripts/test-python.sh first)');
  if (!existsSync(process.env.MODELWIRE_JAVA_CLASSPATH_FILE ?? join(javaDir, 'test-classpath.txt')))
    missing.push('Java (run scripts/test-java.sh first)');
  return missing;
}

const commands = {
  ts: () => [process.execPath, [join(here, 'pods/pod.mjs')]],
  py: () => [join(root, 'packages/python/.venv/bin/python'), [join(here, 'pods/pod.py')]],
  'py-async': () => commands.py(),
  java: () => ['java', ['-Xss1m', '-XX:TieredStopAtLevel=1', '-cp', javaClasspath(), 'FleetPod']],
};

/**
 * One pod process (`ts`, `py` = Client, `py-async` = AsyncClient, `java`). `send(command)` resolves to its reply (`{ ok, cached, attempts, result, ms, code, events }`).
 *
 * @example const py = await startPod('py', { base_url, redis, prefix, instance_id: 'py' }); await py.send({ op: 'predict', input });
 */
export async function startPod(language, config) {
  const [exe, args] = commands[language]();
  const settings = language === 'py-async' ? { ...config, async: true } : config;
  const child = spawn(exe, [...args, JSON.stringify(settings)], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const tail = () => output.slice(-2000);
  child.stderr.on('data', (c) => {
    output += c;
  });
  // A pod that died makes its writes fail (EPIPE): the pending answers are rejected by the exit handler.
  child.stdin.on('error', () => {});
  /** Answers awaited, by command id (the ready line is id 0). */
  const pending = new Map();
  let exitedWith;
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      exitedWith = signal ?? code;
      for (const [, w] of pending) w.reject(new Error(`${language} pod exited ${exitedWith}: ${tail()}`));
      pending.clear();
      resolve();
    }),
  );
  createInterface({ input: child.stdout }).on('line', (line) => {
    let reply;
    try {
      reply = JSON.parse(line);
    } catch {
      output += `[stdout] ${line}\n`; // not an answer (a library's stray print): kept for the error message
      return;
    }
    const id = reply.ready ? 0 : reply.id;
    pending.get(id)?.resolve(reply);
  });
  const answer = (id, ms) =>
    new Promise((resolve, reject) => {
      if (exitedWith !== undefined) return reject(new Error(`${language} pod exited ${exitedWith}: ${tail()}`));
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${language} pod: no answer to command ${id} within ${ms} ms: ${tail()}`));
      }, ms);
      const settle = (fn) => (v) => {
        clearTimeout(timer);
        pending.delete(id);
        fn(v);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
    });
  const kill = async () => {
    if (exitedWith === undefined) child.kill('SIGKILL');
    await exited;
  };
  try {
    const ready = await answer(0, 60_000);
    if (!ready.ready) throw new Error(`${language} pod did not start: ${JSON.stringify(ready)}`);
  } catch (error) {
    await kill();
    throw error;
  }
  let id = 0;
  return {
    language,
    send(command, ms = 30_000) {
      const n = ++id;
      const reply = answer(n, ms);
      if (exitedWith === undefined) child.stdin.write(`${JSON.stringify({ ...command, id: n })}\n`);
      return reply;
    },
    async close() {
      if (exitedWith !== undefined) return;
      await this.send({ op: 'close' }, 10_000).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Every pod process still running: a failed test or hook must not leave any behind (they keep the runner alive). */
const running = new Set();
export function killPods() {
  for (const child of running) child.kill('SIGKILL');
}

/** The mock gateway's admin API: scripts, reset, and the requests it saw. */
export function admin(mock) {
  const call = (path, body) =>
    fetch(`${mock.url}/__admin/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
  return {
    reset: () => call('reset', {}),
    script: (routes) => call('scenario', { routes }),
    async upstream(model = 'fraud-score') {
      const { requests } = await (await call('requests')).json();
      return requests.filter((r) => r.path === `/v1/models/${model}/predict`).length;
    },
  };
}

export const cleanup = (dir) => rmSync(dir, { recursive: true, force: true });
