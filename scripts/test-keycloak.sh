#!/usr/bin/env bash
# The auth suites against a real Keycloak (test/keycloak/SUITE.md). Needs MODELWIRE_KEYCLOAK (the
# description JSON written by scripts/keycloak/keycloak.mjs), the built packages, the Python venv and
# the compiled Java SDK (the test command runs this last). Starts one mock gateway in issuer mode and
# runs the suites of the three SDKs, the mock's and the infrastructure's in parallel.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${MODELWIRE_KEYCLOAK:-}" ] || [ ! -f "$MODELWIRE_KEYCLOAK" ]; then
  echo "test-keycloak: MODELWIRE_KEYCLOAK must name the Keycloak description JSON; run: node scripts/keycloak/keycloak.mjs run -- bash scripts/test-keycloak.sh" >&2
  exit 1
fi
WORK="$(mktemp -d)"
MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ISSUER="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.env.MODELWIRE_KEYCLOAK, "utf8")).issuer)')"
node packages/mock-server/dist/cli.js --port 0 --oidc-issuer "$ISSUER" --audience modelwire-gateway \
  --roles test/keycloak/roles.json >"$WORK/mock.out" 2>"$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 1 100); do
  if grep -q 'listening on' "$WORK/mock.out" 2>/dev/null; then break; fi
  if ! kill -0 "$MOCK_PID" 2>/dev/null; then cat "$WORK/mock.err" >&2; echo "test-keycloak: the mock gateway did not start" >&2; exit 1; fi
  sleep 0.1
done
MOCK_URL="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/mock.out" | head -1)"
[ -n "$MOCK_URL" ] || { echo "test-keycloak: the mock gateway did not start" >&2; exit 1; }
export MODELWIRE_KEYCLOAK_GATEWAY="$MOCK_URL/v1"
echo "test-keycloak: Keycloak issuer $ISSUER, gateway $MODELWIRE_KEYCLOAK_GATEWAY"

SUITES=(infra mock ts python java)
run_suite() {
  case "$1" in
    infra) node --test test/keycloak/*.test.mjs ;;
    mock) (cd packages/mock-server && npx vitest run --config vitest.keycloak.config.ts) ;;
    ts) (cd packages/client && npx vitest run --config vitest.keycloak.config.ts) ;;
    python) packages/python/.venv/bin/python -m pytest -q -p no:cacheprovider packages/python/tests_keycloak ;;
    java) (cd packages/java && mvn -q -o -B surefire:test -Dtest=KeycloakAuthSuite -Dsurefire.failIfNoSpecifiedTests=true) ;;
  esac
}
declare -A PIDS
for suite in "${SUITES[@]}"; do
  run_suite "$suite" >"$WORK/$suite.log" 2>&1 &
  PIDS[$suite]=$!
done
failed=()
for suite in "${SUITES[@]}"; do
  if wait "${PIDS[$suite]}"; then status=passed; else status=FAILED; failed+=("$suite"); fi
  echo "--- keycloak suite $suite: $status"
  tail -n 25 "$WORK/$suite.log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-keycloak: failed suites: ${failed[*]}" >&2
  exit 1
fi
echo "test-keycloak: all suites passed"
