#!/usr/bin/env bash
# Runs the Java OpenTelemetry example (spans and metrics printed by the logging exporters). Without
# MODELWIRE_URL it starts the local mock server (packages/mock-server must be built) and stops it afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mvn -B -q -Dstyle.color=never -f "$root/packages/java/pom.xml" install -DskipTests 2>&1 \
  | grep -vE 'Thanks for using OpenAPI Generator|opencollective|We appreciate your support|^#+$' || true
mock_pid=""
if [ -z "${MODELWIRE_URL:-}" ]; then
  out="$(mktemp)"
  "$root/node_modules/.bin/node" "$root/packages/mock-server/dist/cli.js" --port 0 >"$out" 2>&1 &
  mock_pid=$!
  trap '[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -f "$out"' EXIT
  for _ in $(seq 1 100); do grep -q 'listening on' "$out" && break; sleep 0.1; done
  MODELWIRE_URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$out" | head -1)/v1"
  export MODELWIRE_URL
fi
mvn -B -q -Dstyle.color=never -f "$root/examples/java-otel/pom.xml" compile exec:java 2>&1 | grep -v '^SLF4J'
