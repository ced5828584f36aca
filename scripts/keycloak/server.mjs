// One Keycloak process in dev mode on 127.0.0.1: launched from a per-run home, polled until ready, stopped as a process group.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const READY_TIMEOUT_MS = 300_000;
const STOP_GRACE_MS = 20_000;
const HEAP = '-Xms64m -Xmx256m';
// Build-time options: they decide which cached Quarkus build can be reused.
export const BUILD_OPTIONS = ['--db=dev-mem'];
export const BUILD_KEY = 'dev-mem';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Inherited KC_* / JAVA_OPTS* settings would silently change the server under test.
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('KC_') && !name.startsWith('JAVA_OPTS')));
}

function logTail(logFile, lines = 30) {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function waitUntilReady(url, child, logFile) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Keycloak exited during startup (${child.exitCode ?? child.signalCode}). Last log lines:\n${logTail(logFile)}`);
    }
    try {
      const response = await fetch(`${url}/realms/master`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  throw new Error(`Keycloak did not become ready within ${READY_TIMEOUT_MS / 1000} s. Last log lines:\n${logTail(logFile)}`);
}

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts `kc.sh start-dev` in runHome and resolves once /realms/master answers.
 *
 * @example const server = await launchServer({ javaHome, runHome, admin: { username, password } });
 *          // server.url === 'http://127.0.0.1:41234'; await server.stop();
 */
export async function launchServer({ javaHome, runHome, admin }) {
  const [httpPort, managementPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${httpPort}`;
  const logFile = join(runHome, 'keycloak.log');
  const logFd = openSync(logFile, 'a');
  const args = [
    'start-dev',
    '--http-host=127.0.0.1',
    `--http-port=${httpPort}`,
    `--http-management-port=${managementPort}`,
    // A fixed issuer, as in production: a token fetched through a forwarder (the suites cut one to take
    // the IdP away) names the same issuer the gateway trusts, not the Host it was asked under.
    `--hostname=${url}`,
    ...BUILD_OPTIONS,
  ];
  const child = spawn(join(runHome, 'bin', 'kc.sh'), args, {
    cwd: runHome,
    // Own process group: kc.sh forks java, and stop() must reach both.
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...cleanEnv(),
      JAVA_HOME: javaHome,
      JAVA_OPTS_KC_HEAP: HEAP,
      KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
      KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    },
  });
  const stop = async () => {
    signalGroup(child, 'SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      signalGroup(child, 'SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
    }
  };
  // Last resort when node exits without stop() (Ctrl-C during startup, uncaught error): never leave a Keycloak behind.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  try {
    await waitUntilReady(url, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  const augmented = readFileSync(logFile, 'utf8').includes('Updating the configuration');
  return { url, logFile, augmented, pid: child.pid, stop };
}
