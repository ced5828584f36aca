#!/usr/bin/env bash
# Runs every test in the repo. Called by `pnpm test` (so node_modules/.bin — with Node 24 — is first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm() { npx -y pnpm@12.4.2 "$@"; }
step() { printf '\n=== %s ===\n' "$*"; }

step "node $(node --version)"
# A real Keycloak for the auth suites (test/keycloak/SUITE.md) boots in the background (30-90 s)
# while the other steps run; the suites run last against it. The trap stops it on any exit.
step "Keycloak: starting in the background for the auth suites (last step)"
KC_OUT="$(mktemp)"; KC_ERR="$(mktemp)"
node scripts/keycloak/keycloak.mjs start >"$KC_OUT" 2>"$KC_ERR" &
KC_PID=$!
# Keycloak exits 143 on SIGTERM: under `set -e` its status must not become the test command's.
stop_keycloak() {
  local status=$?
  kill "$KC_PID" 2>/dev/null || true
  wait "$KC_PID" 2>/dev/null || true
  rm -f "$KC_OUT" "$KC_ERR"
  exit "$status"
}
trap stop_keycloak EXIT
# Fleet mode's tests run against a real redis-server (Debian package), started per suite on a free port.
if ! command -v redis-server >/dev/null 2>&1; then
  step "installing redis-server (Debian) for the fleet-mode tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package's own service is not needed: tests start their own servers on free ports.
  (service redis-server stop || true) >/dev/null 2>&1
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
if [ -f scripts/test-python.sh ]; then step "Python SDK"; bash scripts/test-python.sh; fi
step "Python package: sdist + wheel, twine check --strict, metadata, README blocks, API reference (pdoc)"
bash scripts/test-python-package.sh
if [ -f scripts/test-java.sh ]; then step "Java SDK"; bash scripts/test-java.sh; fi
step "fleet mode across languages: TS, Python and Java processes on one real Redis (single node and cluster)"
(cd test/fleet && pnpm cross-language)
step "fleet demo: TS, Python and Java worker processes, with and without fleet mode, and a 503 storm"
(cd examples/fleet && node run.mjs --quick)
step "install test: npm tarballs, wheel and jar into fresh projects; the README quick starts against the mock gateway"
bash scripts/test-install.sh
step "auth against a real Keycloak: the TS, Python, Java and mock-gateway suites"
for _ in $(seq 1 600); do
  if [ -s "$KC_OUT" ] || ! kill -0 "$KC_PID" 2>/dev/null; then break; fi
  sleep 0.5
done
cat "$KC_ERR"
if [ ! -s "$KC_OUT" ]; then echo "test-all: Keycloak did not start (see above); the auth suites cannot run" >&2; exit 1; fi
MODELWIRE_KEYCLOAK="$(head -1 "$KC_OUT")" bash scripts/test-keycloak.sh
step "all tests passed"
