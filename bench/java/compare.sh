#!/usr/bin/env bash
# The Java driver of the one benchmark (bench/compare.mjs starts the server and calls this):
#   bench/java/compare.sh --url http://127.0.0.1:PORT/v1 --seconds 9 --rounds 3 --concurrency 32 --threads 8
# Contenders: raw java.net.http (sendAsync, send) and the Java SDK (predictAsync, predict); add
# `--jetty true` for raw Jetty HttpClient 12. The last stdout line is the JSON result; Maven and
# progress go to stderr. Builds once with Maven (packages/java installed into the local repository,
# then this module and its classpath; offline first, online when something is missing), again only
# when a source is newer, then runs plain `java`, so neither Maven nor the build is measured.
# JVM options: MODELWIRE_BENCH_JVM_OPTS (e.g. -Djava.util.concurrent.ForkJoinPool.common.parallelism=2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/java"
stamp="$here/target/compare.classpath"

build() {
  { mvn -B -q "$@" -Dstyle.color=never -f "$root/packages/java/pom.xml" install -DskipTests \
    && mvn -B -q "$@" -Dstyle.color=never -f "$here/pom.xml" compile dependency:build-classpath \
      -Dmdep.outputFile="$stamp.tmp"; } 2>&1 \
    | sed -E 's/\x1b\[[0-9;]*m//g' \
    | grep -vE 'Thanks for using OpenAPI Generator|opencollective|We appreciate your support|^#+$' >&2 || true
  [ -f "$stamp.tmp" ]
}

if [ ! -f "$stamp" ] || [ -n "$(find "$root/packages/java/src/main" "$root/packages/java/pom.xml" "$root/openapi" \
    "$here/src" "$here/pom.xml" -newer "$stamp" -type f -print -quit)" ]; then
  echo "compare.sh: building packages/java and bench/java with Maven" >&2
  rm -f "$stamp.tmp"
  build -o || build || { echo "compare.sh: the build failed" >&2; exit 1; }
  mv "$stamp.tmp" "$stamp"
fi
exec java ${MODELWIRE_BENCH_JVM_OPTS:-} -cp "$here/target/classes:$(cat "$stamp")" io.modelwire.bench.Compare "$@"
