#!/usr/bin/env bash
# Runs every test in the repo. Called by `pnpm test` (so node_modules/.bin — with Node 24 — is first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm() { npx -y pnpm@12.4.2 "$@"; }
step() { printf '\n=== %s [%ss] ===\n' "$*" "$SECONDS"; }

step "node $(node --version)"
# A real Keycloak for the auth suites (test/keycloak/SUITE.md) boots in the background (30-90 s)
# while the other steps run; the suites run last against it. The trap stops it on any exit.
step "Keycloak: starting in the background for the auth suites (last step)"
KC_OUT="$(mktemp)"; KC_ERR="$(mktemp)"
node scripts/keycloak/keycloak.mjs start >"$KC_OUT" 2>"$KC_ERR" &
KC_PID=$!
kill_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
# Keycloak exits 143 on SIGTERM: under `set -e` its status must not become the test command's.
stop_keycloak() {
  local status=$?
  kill "$KC_PID" 2>/dev/null || true
  wait "$KC_PID" 2>/dev/null || true
  rm -f "$KC_OUT" "$KC_ERR"
  # Lanes still running (a failure elsewhere ended the command) are stopped with it, with their children.
  for job in $(jobs -p); do kill_tree "$job"; done
  exit "$status"
}
trap stop_keycloak EXIT
# The Debian packages the suites need, installed once, up front: the lanes below run at the same time and
# two apt-get runs at once fail on the dpkg lock. redis-server: fleet mode's tests (each suite starts its
# own on a free port); chromium: the browser test; gnupg, unzip: the Java bundle check; maven: the Java
# SDK; curl: the install test; procps: pgrep, to stop the lanes' process trees on a failure.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v pgrep >/dev/null 2>&1 || missing+=(procps)
if [ "${#missing[@]}" -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  # redis-server's own service is not needed: tests start their own servers on free ports.
  ($SUDO service redis-server stop || true) >/dev/null 2>&1
fi
step "contract: OpenAPI lint (redocly)"
redocly lint --format=summary openapi/modelwire.yaml
step "contract: generated code matches the contract"
node scripts/generate-ts.mjs --check
step "format + lint (biome)"
biome check .
step "build"
pnpm -r --filter './packages/*' build
step "typecheck"
pnpm -r --if-present typecheck
# Three independent lanes run at once (2 cores: they overlap downloads, JVM starts and waits on the network):
# TypeScript here, Python and Java in the background with their output kept and printed when each is awaited.
LANES="$(mktemp -d)"
lane() { # lane NAME COMMAND...: runs in the background, output to $LANES/NAME.log
  local name="$1"; shift
  # The inner subshell keeps `set -e` (the lane stops at its first failure); the outer one records its status.
  # The status file appears complete (written aside, then renamed): await_lane never reads it half-written.
  ( set +e; ( set -e; "$@" ) >"$LANES/$name.log" 2>&1; echo $? >"$LANES/$name.rc.tmp"; mv "$LANES/$name.rc.tmp" "$LANES/$name.rc" ) &
}
await_lane() { # await_lane NAME: waits, prints its output, fails the test command if it failed
  while [ ! -f "$LANES/$1.rc" ]; do sleep 1; done
  step "$1 (ran in parallel; its output follows)"
  cat "$LANES/$1.log"
  if [ "$(cat "$LANES/$1.rc")" != 0 ]; then echo "test-all: $1 failed" >&2; exit 1; fi
}
python_lane() {
  step "Python SDK"; bash scripts/test-python.sh
  step "Python package: sdist + wheel, twine check --strict, metadata, README blocks, API reference (pdoc)"
  bash scripts/test-python-package.sh
}
java_lane() {
  step "Java SDK"; bash scripts/test-java.sh
  step "Java artefact: Central-style bundle (sources, javadoc without warnings, signatures, pom), no logging noise"
  bash scripts/test-java-package.sh
}
lane python python_lane
lane java java_lane

step "TypeScript tests (every workspace package)"
pnpm -r --workspace-concurrency=1 test
step "packages: publint, arethetypeswrong, LICENSE/README/CHANGELOG in every tarball; smoke import on Node 22 / 24 / 26"
pnpm -r --workspace-concurrency=1 --filter './packages/*' lint:package
(cd packages/client && pnpm smoke)
step "API reference (TypeDoc, warnings are errors) → docs/api/ts"
pnpm --filter @modelwire/client docs:api
step "browser: the client's browser build in headless Chromium"
bash scripts/test-browser.sh
step "mock gateway: schemathesis fuzzing against the contract"
bash scripts/test-schemathesis.sh
await_lane python
await_lane java

# The fleet suite and demo measure timing-sensitive things (coalescing, quorums): they run before the
# Keycloak suites start; the install test runs beside those.
step "fleet mode across languages: TS, Python (sync and asyncio) and Java processes on one real Redis (single node and cluster)"
(cd test/fleet && pnpm cross-language)
step "fleet demo: TS, Python and Java worker processes, with and without fleet mode, and a 503 storm"
(cd examples/fleet && node run.mjs --quick)
step "auth against a real Keycloak: the TS, Python, Java and mock-gateway suites (in the background)"
for _ in $(seq 1 600); do
  if [ -s "$KC_OUT" ] || ! kill -0 "$KC_PID" 2>/dev/null; then break; fi
  sleep 0.5
done
cat "$KC_ERR"
if [ ! -s "$KC_OUT" ]; then echo "test-all: Keycloak did not start (see above); the auth suites cannot run" >&2; exit 1; fi
MODELWIRE_KEYCLOAK="$(head -1 "$KC_OUT")"
export MODELWIRE_KEYCLOAK
lane keycloak bash scripts/test-keycloak.sh
step "install test: npm tarballs, wheel and jar into fresh projects; the README quick starts against the mock gateway"
MODELWIRE_JAVA_BUILT=1 bash scripts/test-install.sh
await_lane keycloak
step "all tests passed"
