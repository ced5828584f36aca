#!/usr/bin/env bash
# Runs every test in the repo. Called by `pnpm test` (so node_modules/.bin — with Node 24 — is first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm() { npx -y pnpm@12.4.2 "$@"; }
step() { printf '\n=== %s ===\n' "$*"; }

step "node $(node --version)"
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
step "package: publint, arethetypeswrong, smoke import on Node 22 / 24 / 26"
(cd packages/client && pnpm lint:package && pnpm smoke)
step "browser: the client's browser build in headless Chromium"
bash scripts/test-browser.sh
step "mock gateway: schemathesis fuzzing against the contract"
bash scripts/test-schemathesis.sh
if [ -f scripts/test-python.sh ]; then step "Python SDK"; bash scripts/test-python.sh; fi
if [ -f scripts/test-java.sh ]; then step "Java SDK"; bash scripts/test-java.sh; fi
step "all tests passed"
