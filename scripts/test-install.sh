#!/usr/bin/env bash
# Install test (issue 16): builds what would be published — the npm tarballs, the Python wheel, the
# Java jar — installs each into a fresh project outside the repo, as a new user would, and runs the
# README's quick starts there against the mock gateway (started from the installed
# @modelwire/mock-server tarball, with OIDC on). The code that runs is extracted from README.md
# (blocks marked `<!-- install-test: <name> -->`); only the documented placeholders are replaced
# (test/install/quickstarts.mjs, SUBSTITUTIONS). The TypeScript ones are type-checked (tsc --strict)
# against the installed packages' types, the Python one with mypy --strict against the installed wheel,
# the Java one compiles with -Xlint:all -Werror. Each must exit 0, print a prediction (and its other
# expected lines, quickstarts.mjs EXPECTED) and print nothing on stderr.
#
# Needs: the TS packages built (packages/*/dist: `pnpm -r --filter './packages/*' build`), Python ≥ 3.10,
# Java 17+ and Maven. Registries are used through their caches when warm (npm --prefer-offline,
# Maven -o with an online fallback, pip's cache). MODELWIRE_INSTALL_KEEP=1 keeps the work directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$PATH"
NODE="$ROOT/node_modules/.bin/node"
PY="${PYTHON:-python3}"
QS="$ROOT/test/install/quickstarts.mjs"
# Pinned build tool for the wheel (used when packages/python/.venv has no `build`).
BUILD_PIN="build==1.6.1"
# Pinned for type-checking the TypeScript quick starts in the fresh project (same as the repo's).
TS_PINS=(typescript@5.9.3 @types/node@24.19.2)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/modelwire-install.XXXXXX")"
MOCK_PID=""
cleanup() {
  local status=$?
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
  if [ "${MODELWIRE_INSTALL_KEEP:-}" = 1 ]; then echo "install-test: kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT

T0=$SECONDS
STEP_T=$SECONDS
step() { printf 'install-test: %s\n' "$*"; STEP_T=$SECONDS; }
done_step() { printf 'install-test:   ok (%ss)\n' "$((SECONDS - STEP_T))"; }
# Runs a command with its output in a log; prints the log only when it fails.
quiet() {
  local log="$WORK/last.log"
  if ! "$@" >"$log" 2>&1; then
    echo "install-test: failed: $*" >&2
    sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -vE 'Thanks for using OpenAPI Generator|opencollective|We appreciate your support|^#+$' >&2 || true
    return 1
  fi
}
# Maven offline first (fast when the local repository is warm), online when something is missing.
mvn_warm() {
  if ! quiet mvn -B -q -o -Dstyle.color=never "$@" 2>/dev/null; then
    echo "install-test:   (Maven offline run failed; retrying online)"
    quiet mvn -B -q -Dstyle.color=never "$@"
  fi
}

for pkg in client msw mock-server; do
  if [ ! -f "$ROOT/packages/$pkg/dist/index.js" ]; then
    echo "install-test: packages/$pkg/dist is missing; build the TS packages first (pnpm -r --filter './packages/*' build)" >&2
    exit 1
  fi
done
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || { echo "install-test: Python >= 3.10 is required" >&2; exit 1; }
java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || { echo "install-test: Java 17+ is required" >&2; exit 1; }
echo "install-test: work directory $WORK; node $("$NODE" --version), $("$PY" --version), $(java -version 2>&1 | head -1)"

# ---- 1. the artefacts -------------------------------------------------------------------------------
step "npm tarballs (pnpm pack: workspace:* ranges become versions)"
mkdir -p "$WORK/artefacts"
quiet npx -y pnpm@12.4.2 -C "$ROOT" -r --filter './packages/*' pack --pack-destination "$WORK/artefacts"
TARBALLS=("$WORK"/artefacts/modelwire-client-*.tgz "$WORK"/artefacts/modelwire-msw-*.tgz "$WORK"/artefacts/modelwire-mock-server-*.tgz)
for t in "${TARBALLS[@]}"; do [ -f "$t" ] || { echo "install-test: missing tarball $t" >&2; exit 1; }; done
done_step

# Python and Java build from copies (never inside the repo's package directories, which other runs
# may be using), laid out like the repo so relative paths (../../LICENSE, the contract) resolve.
SRC="$WORK/src"
mkdir -p "$SRC/packages" "$SRC/openapi"
cp "$ROOT/openapi/modelwire.yaml" "$SRC/openapi/"
if [ -f "$ROOT/LICENSE" ]; then cp "$ROOT/LICENSE" "$SRC/"; fi

step "Python wheel (python -m build --wheel, from a copy of packages/python)"
tar -C "$ROOT/packages" --exclude=python/.venv --exclude=python/build --exclude=python/dist --exclude='*.egg-info' \
  --exclude=__pycache__ --exclude=.mypy_cache --exclude=.ruff_cache --exclude=.pytest_cache -cf - python | tar -C "$SRC/packages" -xf -
BUILD_PY="$ROOT/packages/python/.venv/bin/python"
if ! [ -x "$BUILD_PY" ] || ! "$BUILD_PY" -c 'import build' 2>/dev/null; then
  # gitignored (.venv/), reused by later runs
  BUILD_VENV="$ROOT/test/install/.venv"
  [ -x "$BUILD_VENV/bin/python" ] || quiet "$PY" -m venv "$BUILD_VENV"
  "$BUILD_VENV/bin/python" -m pip show build 2>/dev/null | grep -qx "Version: ${BUILD_PIN#build==}" ||
    quiet "$BUILD_VENV/bin/python" -m pip install --disable-pip-version-check "$BUILD_PIN"
  BUILD_PY="$BUILD_VENV/bin/python"
fi
quiet "$BUILD_PY" -m build --wheel --outdir "$WORK/artefacts" "$SRC/packages/python"
WHEEL="$(ls "$WORK"/artefacts/modelwire-*.whl)"
done_step

JAVA_VERSION="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/packages/java/pom.xml" | head -1)"
BUILT_JAR="$ROOT/packages/java/target/modelwire-client-$JAVA_VERSION.jar"
if [ "${MODELWIRE_JAVA_BUILT:-}" = 1 ] && [ -f "$BUILT_JAR" ]; then
  # The test command has just built and verified the artefact (scripts/test-java-package.sh): install
  # that jar with its pom, as published, instead of building it again.
  step "Java jar (the one the Java build made: mvn install:install-file into the local Maven repository)"
  mvn_warm org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file -Dfile="$BUILT_JAR" -DpomFile="$ROOT/packages/java/pom.xml"
else
  step "Java jar (mvn install from a copy of packages/java into the local Maven repository)"
  tar -C "$ROOT/packages" --exclude=java/target -cf - java | tar -C "$SRC/packages" -xf -
  # Only the jar is needed here: javadoc/sources jars and signing are checked by the Java build itself.
  mvn_warm -f "$SRC/packages/java/pom.xml" -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dgpg.skip=true \
    -Dcontract="$SRC/openapi/modelwire.yaml" install
fi
done_step

# ---- 2. the fresh npm project and the mock gateway ---------------------------------------------------
step "fresh npm project: npm install the tarballs (+ ${TS_PINS[*]} to type-check the quick starts)"
NPM="$WORK/npm-project"
mkdir -p "$NPM" && cd "$NPM"
quiet npm init -y
quiet npm install --prefer-offline --no-audit --no-fund "${TARBALLS[@]}" "${TS_PINS[@]}"
done_step

step "mock gateway: modelwire-mock from the installed tarball, OIDC client 'orders' on"
MOCK_OUT="$WORK/mock.out"
"$NODE" "$NPM/node_modules/.bin/modelwire-mock" --port 0 >"$MOCK_OUT" 2>&1 &
MOCK_PID=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$MOCK_OUT" && break; kill -0 "$MOCK_PID" 2>/dev/null || break; sleep 0.1; done
ORIGIN="$(grep -o 'http://127.0.0.1:[0-9]*' "$MOCK_OUT" | head -1 || true)"
[ -n "$ORIGIN" ] || { echo "install-test: the mock gateway did not start:" >&2; cat "$MOCK_OUT" >&2; exit 1; }
OIDC_CLIENT="$("$NODE" "$QS" oidc-client)"
export MW_SECRET
MW_SECRET="$("$NODE" -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$OIDC_CLIENT")"
# A fresh gateway state per quick start: reset, then require OIDC tokens from the 'orders' client.
fresh_gateway() {
  curl -fsS -X POST "$ORIGIN/__admin/reset" >/dev/null
  curl -fsS -X POST -H 'content-type: application/json' \
    -d "{\"routes\": [], \"auth\": {\"tokens\": [], \"oidc_clients\": [$OIDC_CLIENT]}}" "$ORIGIN/__admin/scenario" >/dev/null
}
echo "install-test:   $ORIGIN (API $ORIGIN/v1, token endpoint $ORIGIN/oauth/token)"
done_step

# Runs one quick start (command after the name), then checks its exit status and output.
run_quickstart() {
  local name=$1; shift
  local out="$WORK/$name.stdout" err="$WORK/$name.stderr"
  fresh_gateway
  # A quick start that hangs fails here (a bounded test command), not at CI's limit.
  if ! timeout --kill-after=10 180 "$@" >"$out" 2>"$err"; then
    echo "install-test: $name exited non-zero (or ran over 180 s)" >&2
    cat "$out" "$err" >&2
    return 1
  fi
  "$NODE" "$QS" check "$name" "$out" "$err"
}

# ---- 3. the quick starts -----------------------------------------------------------------------------
step "TypeScript quick starts (README ts-quickstart, qa-msw): tsc --strict against the published types, then run on node $("$NODE" --version)"
"$NODE" "$QS" extract ts-quickstart "$NPM/quickstart.mts" "$ORIGIN"
"$NODE" "$QS" extract qa-msw "$NPM/qa-msw.mts" "$ORIGIN"
cat >"$NPM/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "module": "nodenext",
    "target": "es2023",
    "strict": true,
    "noUnusedLocals": true,
    "types": ["node"],
    "skipLibCheck": false,
    "outDir": "out"
  },
  "files": ["quickstart.mts", "qa-msw.mts"]
}
JSON
quiet "$NPM/node_modules/.bin/tsc" -p "$NPM/tsconfig.json"
run_quickstart ts-quickstart "$NODE" "$NPM/out/quickstart.mjs"
run_quickstart qa-msw "$NODE" "$NPM/out/qa-msw.mjs"
done_step

step "Python quick start (README python-quickstart): fresh venv, pip install $(basename "$WHEEL")[aiohttp], mypy --strict, run"
"$PY" -m venv "$WORK/venv"
# The SDK's tested dependency versions (constraints.txt) keep the run reproducible.
quiet "$WORK/venv/bin/python" -m pip install --disable-pip-version-check -c "$ROOT/packages/python/constraints.txt" "${WHEEL}[aiohttp]"
mkdir -p "$WORK/python-project"
"$NODE" "$QS" extract python-quickstart "$WORK/python-project/quickstart.py" "$ORIGIN"
# mypy --strict against the installed wheel (its py.typed): the repo venv's mypy (scripts/test-python.sh),
# resolving imports in the fresh venv.
MYPY="$ROOT/packages/python/.venv/bin/mypy"
if [ -x "$MYPY" ]; then
  (cd "$WORK/python-project" && quiet "$MYPY" --strict --python-executable "$WORK/venv/bin/python" \
    --cache-dir "$WORK/mypy-cache" quickstart.py)
else
  echo "install-test:   NOTE: $MYPY is missing (run scripts/test-python.sh first): the Python quick start is not type-checked"
fi
(cd "$WORK/python-project" && run_quickstart python-quickstart "$WORK/venv/bin/python" quickstart.py)
done_step

step "Java quick start (README java-quickstart): fresh Maven project depending on io.modelwire:modelwire-client:$JAVA_VERSION"
JP="$WORK/java-project"
mkdir -p "$JP/src/main/java"
"$NODE" "$QS" extract java-dependency "$WORK/java-dependency.xml" "$ORIGIN"
"$NODE" -e '
  const fs = require("node:fs");
  const [template, dependency, out] = process.argv.slice(1);
  const pom = fs.readFileSync(template, "utf8");
  if (!pom.includes("<!-- README dependency -->")) throw new Error("pom template marker missing");
  fs.writeFileSync(out, pom.replace("<!-- README dependency -->", fs.readFileSync(dependency, "utf8").trim()));
' "$ROOT/test/install/java/pom.xml" "$WORK/java-dependency.xml" "$JP/pom.xml"
grep -q "<version>$JAVA_VERSION</version>" "$WORK/java-dependency.xml" ||
  { echo "install-test: the README's Maven dependency does not name version $JAVA_VERSION (packages/java/pom.xml)" >&2; exit 1; }
"$NODE" "$QS" extract java-quickstart "$JP/src/main/java/QuickStart.java" "$ORIGIN"
mvn_warm -f "$JP/pom.xml" compile dependency:build-classpath -Dmdep.outputFile="$JP/classpath.txt"
run_quickstart java-quickstart java -cp "$JP/target/classes:$(cat "$JP/classpath.txt")" QuickStart
done_step

echo "install-test: the README quick starts ran from the installed npm tarballs, wheel and jar ($((SECONDS - T0))s)"
