#!/usr/bin/env node
// A real Keycloak for the SDK auth suites: start, configure realm `modelwire`, describe it in a JSON file, stop.
//
//   node scripts/keycloak/keycloak.mjs run -- <cmd...>   start, run <cmd> with MODELWIRE_KEYCLOAK=<json path>, stop; exits with <cmd>'s status
//   node scripts/keycloak/keycloak.mjs start             start, print the JSON path, keep running until killed
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDistribution, KEYCLOAK_VERSION, prepareRunHome, saveDevBuild } from './distribution.mjs';
import { findJavaHome } from './java-home.mjs';
import { AUDIENCE, CONTRACT_SCOPES, configureRealm, MODEL_ROLES, REALM } from './realm-setup.mjs';
import { BUILD_KEY, launchServer } from './server.mjs';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const logToStderr = (line) => process.stderr.write(`${line}\n`);

function describe({ url, admin, clients }) {
  const issuer = `${url}/realms/${REALM}`;
  return {
    keycloak_version: KEYCLOAK_VERSION,
    url,
    issuer,
    token_url: `${issuer}/protocol/openid-connect/token`,
    jwks_url: `${issuer}/protocol/openid-connect/certs`,
    realm: REALM,
    admin,
    audience: AUDIENCE,
    scopes: CONTRACT_SCOPES,
    roles: { [AUDIENCE]: MODEL_ROLES },
    clients,
  };
}

/**
 * Starts a fresh Keycloak (own temp home, in-memory H2), configures realm `modelwire` and writes its description
 * JSON (mode 0600: it holds secrets). `env` is what a child process needs to find it.
 *
 * @example
 * const keycloak = await startKeycloak({ log: console.error });
 * try { await runTests({ env: { ...process.env, ...keycloak.env } }); } finally { await keycloak.stop(); }
 */
export async function startKeycloak({ log = logToStderr } = {}) {
  const startedAt = Date.now();
  const javaHome = findJavaHome({ log });
  const distDir = ensureDistribution({ log });
  const runDir = mkdtempSync(join(tmpdir(), 'modelwire-keycloak-'));
  const runHome = join(runDir, 'home');
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  process.once('exit', removeRunDir);
  let server;
  try {
    const { hasCachedBuild } = prepareRunHome(distDir, runHome, BUILD_KEY);
    if (!hasCachedBuild) log('keycloak: first start builds the dev-mode server (~40 s extra), later starts reuse it');
    const admin = { username: 'admin', password: randomBytes(18).toString('base64url') };
    server = await launchServer({ javaHome, runHome, admin });
    if (!hasCachedBuild) saveDevBuild(runHome, BUILD_KEY);
    const readyAt = Date.now();
    const { clients } = await configureRealm({ url: server.url, admin });
    const configuredAt = Date.now();
    const description = describe({ url: server.url, admin, clients });
    const descriptionPath = join(runDir, 'keycloak.json');
    writeFileSync(descriptionPath, `${JSON.stringify(description, null, 2)}\n`, { mode: 0o600 });
    const timings = { startMs: readyAt - startedAt, configureMs: configuredAt - readyAt, totalMs: configuredAt - startedAt };
    log(
      `keycloak: ${KEYCLOAK_VERSION} ready at ${server.url} in ${seconds(timings.totalMs)} ` +
        `(start ${seconds(timings.startMs)}, configure ${seconds(timings.configureMs)}${server.augmented ? ', with dev build' : ''})`,
    );
    let stopped;
    const stop = () => {
      stopped ??= server.stop().finally(() => {
        removeRunDir();
        process.removeListener('exit', removeRunDir);
      });
      return stopped;
    };
    return {
      url: server.url,
      issuer: description.issuer,
      realm: REALM,
      description,
      descriptionPath,
      env: { MODELWIRE_KEYCLOAK: descriptionPath },
      timings,
      stop,
    };
  } catch (error) {
    await server?.stop();
    removeRunDir();
    process.removeListener('exit', removeRunDir);
    throw error;
  }
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 };

/** Calls handler(signal) on SIGINT/SIGTERM. Installed before startup, so Ctrl-C while Keycloak boots still stops it (exit hooks). */
function onTerminationSignal(handler) {
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.once(signal, () => handler(signal));
}

async function runCommand(command) {
  if (command.length === 0) throw new Error('usage: keycloak.mjs run -- <cmd...>');
  let keycloak;
  let child;
  onTerminationSignal(async (signal) => {
    child?.kill(signal);
    await keycloak?.stop();
    process.exit(SIGNAL_EXIT_CODES[signal]);
  });
  keycloak = await startKeycloak();
  child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...keycloak.env } });
  const status = await new Promise((resolve) => {
    child.on('error', (error) => {
      logToStderr(`keycloak: could not run ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? SIGNAL_EXIT_CODES[signal] ?? 1));
  });
  await keycloak.stop();
  return status;
}

async function startAndWait() {
  let keycloak;
  const stopped = new Promise((resolve) =>
    onTerminationSignal(async (signal) => {
      await keycloak?.stop();
      resolve(SIGNAL_EXIT_CODES[signal]);
      // Startup still running: exit now; the exit hooks kill Keycloak and remove its temp dir.
      if (!keycloak) process.exit(SIGNAL_EXIT_CODES[signal]);
    }),
  );
  keycloak = await startKeycloak();
  process.stdout.write(`${keycloak.descriptionPath}\n`);
  logToStderr('keycloak: running; stop with Ctrl-C');
  return stopped;
}

async function main(argv) {
  const [mode, ...rest] = argv;
  if (mode === 'run') return runCommand(rest[0] === '--' ? rest.slice(1) : rest);
  if (mode === 'start') return startAndWait();
  logToStderr('usage: node scripts/keycloak/keycloak.mjs run -- <cmd...> | start');
  return 2;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error) => {
      logToStderr(`keycloak: ${error.message}`);
      process.exit(1);
    },
  );
}
