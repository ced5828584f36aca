// Finds a JDK that can run Keycloak (Java 21+), installing one with apt-get as a last resort.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_JAVA_MAJOR = 21;
const JVM_DIR = '/usr/lib/jvm';
const APT_PACKAGE = 'openjdk-21-jdk-headless';

/** Major version from a JDK's `release` file (`JAVA_VERSION="25.0.3"` → 25, `"1.8.0"` → 8), or undefined. */
export function javaMajorVersion(javaHome) {
  const releaseFile = join(javaHome, 'release');
  if (!existsSync(releaseFile)) return undefined;
  const match = /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(releaseFile, 'utf8'));
  if (!match) return undefined;
  const parts = match[1].split('.').map((part) => Number.parseInt(part, 10));
  // Java 8 and older report "1.N".
  return parts[0] === 1 ? parts[1] : parts[0];
}

function isUsable(javaHome) {
  const major = javaMajorVersion(javaHome);
  return major !== undefined && major >= MIN_JAVA_MAJOR && existsSync(join(javaHome, 'bin', 'java'));
}

function newestJdkUnder(dir) {
  if (!existsSync(dir)) return undefined;
  const candidates = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter(isUsable)
    .sort((a, b) => javaMajorVersion(b) - javaMajorVersion(a));
  return candidates[0];
}

function aptInstallJdk(log) {
  if (process.getuid?.() !== 0) return false;
  log(`keycloak: no JDK ${MIN_JAVA_MAJOR}+ found; installing ${APT_PACKAGE} with apt-get`);
  const options = { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  if (spawnSync('apt-get', ['update'], options).status !== 0) return false;
  return spawnSync('apt-get', ['install', '-y', APT_PACKAGE], options).status === 0;
}

/**
 * Returns JAVA_HOME of a JDK 21+: $MODELWIRE_KEYCLOAK_JAVA_HOME, else the newest under /usr/lib/jvm,
 * else one installed with apt-get. Throws (never skips) when none can be found.
 *
 * @example const javaHome = findJavaHome({ log: console.error });
 */
export function findJavaHome({ log = () => {} } = {}) {
  const explicit = process.env.MODELWIRE_KEYCLOAK_JAVA_HOME;
  if (explicit) {
    if (!isUsable(explicit)) {
      throw new Error(`MODELWIRE_KEYCLOAK_JAVA_HOME=${explicit} is not a JDK ${MIN_JAVA_MAJOR}+ (no bin/java or release file says older)`);
    }
    return explicit;
  }
  const found = newestJdkUnder(JVM_DIR);
  if (found) return found;
  if (aptInstallJdk(log)) {
    const installed = newestJdkUnder(JVM_DIR);
    if (installed) return installed;
  }
  throw new Error(
    `Keycloak needs Java ${MIN_JAVA_MAJOR}+ but none was found in ${JVM_DIR} and installing ${APT_PACKAGE} failed. ` +
      `Install a JDK ${MIN_JAVA_MAJOR}+ and set MODELWIRE_KEYCLOAK_JAVA_HOME to it.`,
  );
}
