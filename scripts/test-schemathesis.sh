#!/usr/bin/env bash
# Fuzzes the mock gateway against openapi/modelwire.yaml with schemathesis (PyPI, pinned) — property
# checks of what the mock answers: never a 5xx it was not scripted to send, status codes, content
# types, headers and bodies as the contract declares, schema-violating requests refused, undeclared
# methods answered 405. Auth is on (a bearer token the mock is told to accept). Bounded: ~20 s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/test/schemathesis/.venv"
VERSION=4.32.5
if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version | grep -q "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
LOG="$(mktemp)"
node "$ROOT/packages/mock-server/dist/cli.js" --port 0 >"$LOG" 2>&1 &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$LOG" && break; sleep 0.1; done
URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$LOG" | head -1)"
node -e 'fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ auth: { tokens: ["st-token"] } }) }).then((r) => process.exit(r.status === 204 ? 0 : 1))' "$URL/__admin/scenario"
# Coverage and stateful phases are left out: the first hits schemathesis-internal errors on this
# contract (4.32.5), the second reads DELETE (cancel a job) as "delete" and expects a 404 after it.
"$VENV/bin/schemathesis" run "$ROOT/openapi/modelwire.yaml" --url "$URL/v1" \
  -H 'Authorization: Bearer st-token' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,unsupported_method \
  --phases examples,fuzzing --max-examples "${ST_MAX_EXAMPLES:-60}" --workers 2 --seed "${ST_SEED:-1}" --no-color
