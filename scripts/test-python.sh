#!/usr/bin/env bash
# Tests of the Python SDK (packages/python): venv + pinned installs, ruff, mypy --strict, the
# generated-code drift check, pytest (unit tests + vectors + conformance against the mock server:
# Client, AsyncClient on httpx and AsyncClient on aiohttp; mTLS + proxy tests with openssl-made certs;
# fleet mode against a real redis-server).
# Needs Python >= 3.10 and the built mock server (packages/mock-server/dist, from the TS build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/packages/python"
VENV="$PKG/.venv"
PY="${PYTHON:-python3}"

if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "test-python: Python >= 3.10 is required (found $("$PY" --version 2>&1))" >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "test-python: creating $VENV"
  "$PY" -m venv "$VENV"
fi

# Reinstall only when the pins changed (a stamp of pyproject.toml + constraints.txt).
STAMP="$VENV/.modelwire-install-stamp"
WANT="$(cat "$PKG/pyproject.toml" "$PKG/constraints.txt" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
  echo "test-python: installing modelwire[test,dev] with pinned versions"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c "$PKG/constraints.txt" -e "$PKG[test,dev]"
  echo "$WANT" > "$STAMP"
fi

cd "$PKG"
echo "test-python: ruff"
EXAMPLES=(../../examples/python ../../examples/python-otel ../../examples/fleet/worker.py ../../test/fleet/pods/pod.py)
"$VENV/bin/ruff" check src tests tests_keycloak ../../bench/python "${EXAMPLES[@]}"
"$VENV/bin/ruff" format --check src tests tests_keycloak ../../bench/python "${EXAMPLES[@]}"
echo "test-python: mypy --strict"
"$VENV/bin/mypy"
echo "test-python: generated code drift check"
"$VENV/bin/python" "$ROOT/scripts/generate-python.py" --check
# Fleet mode's tests start a real redis-server (Debian package) on a free port.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "test-python: installing redis-server (fleet mode tests)"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
  else
    sudo apt-get install -y -qq redis-server >/dev/null
  fi
fi
echo "test-python: pytest"
# Integration tests need the mock server and redis-server; without them they fail instead of
# silently skipping.
MODELWIRE_REQUIRE_MOCK=1 MODELWIRE_REQUIRE_REDIS=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider
