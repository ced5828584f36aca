#!/usr/bin/env bash
# Imports the built package as ESM and CJS on Node 22 and 26 (from npm) and on the repo's Node 24.
set -euo pipefail
cd "$(dirname "$0")"
for v in 22 26; do
  npx -y "node@$v" smoke.mjs
  npx -y "node@$v" smoke.cjs
done
node smoke.mjs
node smoke.cjs
