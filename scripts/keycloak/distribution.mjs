// The Keycloak server distribution: downloaded once with Maven, unzipped into a cache, and cloned cheaply per run.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const KEYCLOAK_VERSION = '26.7.3';
const ARTIFACT = `org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`;
const ZIP_NAME = `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`;

/** $MODELWIRE_KEYCLOAK_CACHE, else $XDG_CACHE_HOME/modelwire/keycloak, else ~/.cache/modelwire/keycloak (outside the repo). */
export function cacheDir() {
  if (process.env.MODELWIRE_KEYCLOAK_CACHE) return process.env.MODELWIRE_KEYCLOAK_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'modelwire', 'keycloak');
}

function run(command, args, what) {
  // stdout is reserved for the description path (`start` prints it there): tools write to stderr.
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2] });
  if (result.error || result.status !== 0) {
    throw new Error(`${what} failed (${command} ${result.error ? result.error.message : `exited ${result.status}`})`);
  }
}

function uniqueTempPath(parent) {
  return join(parent, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

// Another run may have won the race to create `target`; its copy is equally good.
function publish(tempPath, target) {
  try {
    renameSync(tempPath, target);
  } catch (error) {
    if (!existsSync(target)) throw error;
  } finally {
    rmSync(tempPath, { recursive: true, force: true });
  }
}

function locateZip(cache, log) {
  const m2Zip = join(homedir(), '.m2', 'repository', 'org', 'keycloak', 'keycloak-quarkus-dist', KEYCLOAK_VERSION, ZIP_NAME);
  if (existsSync(m2Zip)) return m2Zip;
  const downloadDir = join(cache, 'download');
  const downloaded = join(downloadDir, ZIP_NAME);
  if (existsSync(downloaded)) return downloaded;
  log(`keycloak: downloading ${ARTIFACT} with Maven (~175 MB, first run only)`);
  run(
    'mvn',
    ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${downloadDir}`],
    'Downloading Keycloak with mvn',
  );
  return downloaded;
}

/**
 * Makes sure the unzipped distribution is in the cache and returns its directory.
 *
 * @example const distDir = ensureDistribution({ log: console.error }); // ~/.cache/modelwire/keycloak/keycloak-26.7.3
 */
export function ensureDistribution({ log = () => {} } = {}) {
  const cache = cacheDir();
  const distDir = join(cache, `keycloak-${KEYCLOAK_VERSION}`);
  if (existsSync(join(distDir, 'bin', 'kc.sh'))) return distDir;
  mkdirSync(cache, { recursive: true });
  const zip = locateZip(cache, log);
  const unpackDir = uniqueTempPath(cache);
  run('unzip', ['-q', zip, '-d', unpackDir], `Unzipping ${zip}`);
  publish(join(unpackDir, `keycloak-${KEYCLOAK_VERSION}`), distDir);
  rmSync(unpackDir, { recursive: true, force: true });
  // mvn also put the zip in ~/.m2, where the next unzip finds it; no need for a second 175 MB copy.
  rmSync(join(cache, 'download'), { recursive: true, force: true });
  return distDir;
}

// `start-dev` re-augments Quarkus (~40 s) unless lib/quarkus already holds a dev build with the same build options.
function devBuildDir(buildKey) {
  return join(cacheDir(), `dev-build-${KEYCLOAK_VERSION}-${buildKey}`);
}

/**
 * Creates a private Keycloak home for one run: small dirs copied, the 170 MB jar dir symlinked,
 * lib/quarkus copied from the cached dev build when there is one. Its data/ (H2, logs) is per run.
 */
export function prepareRunHome(distDir, runHome, buildKey) {
  mkdirSync(join(runHome, 'lib'), { recursive: true });
  for (const dir of ['bin', 'conf', 'providers', 'themes']) cpSync(join(distDir, dir), join(runHome, dir), { recursive: true });
  cpSync(join(distDir, 'lib', 'app'), join(runHome, 'lib', 'app'), { recursive: true });
  cpSync(join(distDir, 'lib', 'quarkus-run.jar'), join(runHome, 'lib', 'quarkus-run.jar'));
  symlinkSync(join(distDir, 'lib', 'lib'), join(runHome, 'lib', 'lib'));
  const cachedBuild = devBuildDir(buildKey);
  const hasCachedBuild = existsSync(cachedBuild);
  cpSync(hasCachedBuild ? cachedBuild : join(distDir, 'lib', 'quarkus'), join(runHome, 'lib', 'quarkus'), { recursive: true });
  return { hasCachedBuild };
}

/** Saves the run's augmented lib/quarkus so later runs start without re-augmenting. */
export function saveDevBuild(runHome, buildKey) {
  const target = devBuildDir(buildKey);
  if (existsSync(target)) return;
  const temp = uniqueTempPath(cacheDir());
  cpSync(join(runHome, 'lib', 'quarkus'), temp, { recursive: true });
  publish(temp, target);
}
