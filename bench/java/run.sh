#!/usr/bin/env bash
# Full pipeline (cache miss) vs raw java.net.http on loopback; prints req/s and the ratio.
# Usage: bench/java/run.sh [seconds-per-round] [concurrency]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mvn -B -q -Dstyle.color=never -f "$root/packages/java/pom.xml" install -DskipTests 2>&1 \
  | grep -vE 'Thanks for using OpenAPI Generator|opencollective|We appreciate your support|^#+$' || true
mvn -B -q -Dstyle.color=never -f "$root/bench/java/pom.xml" compile exec:java -Dexec.args="${1:-5} ${2:-32}"
