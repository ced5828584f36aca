#!/usr/bin/env bash
# Builds and tests the Java SDK (packages/java): generates models and the policy from
# openapi/modelwire.yaml, runs unit tests, the shared vectors and the conformance scenarios against
# the mock server (packages/mock-server/dist, built by the TS build that runs before this script).
# OpenTelemetry: the telemetry-* scenarios run with a real OpenTelemetry SDK; OptionalOpenTelemetryTest
# forks JVMs without the API and under the OpenTelemetry Java agent (copied into target/otel-agent by
# the build from the local Maven repository).
# Maven downloads its dependencies on the first run (Maven Central) and works offline afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/packages/java"

if ! command -v mvn >/dev/null 2>&1; then
  echo "test-java: Maven is missing; installing it with apt-get (Debian)" >&2
  apt-get update -qq && apt-get install -y -qq maven >/dev/null
fi
if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  echo "test-java: Java 17+ is required (java -version: $(java -version 2>&1 | head -1))" >&2
  exit 1
fi
if [ ! -f "$root/packages/mock-server/dist/cli.js" ]; then
  echo "test-java: packages/mock-server/dist is missing; build the TS packages first (pnpm -r build)" >&2
  exit 1
fi

# -q keeps the log short; surefire's failures and the conformance summary line are still printed.
set +e +o pipefail
mvn -B -q -Dstyle.color=never verify -Dmodelwire.requireMock=true 2>&1 \
  | sed -E 's/\x1b\[[0-9;]*m//g' | grep -vE '^SLF4J|Thanks for using OpenAPI Generator|opencollective|We appreciate your support|^#+$'
status=${PIPESTATUS[0]}
set -e -o pipefail
if [ "$status" -eq 0 ]; then
  tests=0; skipped=0
  for f in target/surefire-reports/TEST-*.xml; do
    head=$(head -c 2000 "$f")
    tests=$((tests + $(grep -o ' tests="[0-9]*"' <<<"$head" | head -1 | tr -dc 0-9)))
    skipped=$((skipped + $(grep -o ' skipped="[0-9]*"' <<<"$head" | head -1 | tr -dc 0-9)))
  done
  echo "java: $((tests - skipped)) passed, 0 failed, ${skipped} skipped"
fi
exit "$status"
