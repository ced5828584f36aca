#!/usr/bin/env node
// The CLI test spawns dist/cli.js, which imports @modelwire/msw's dist. Build them only when missing:
// rebuilding on every test run would rewrite dist/ under other packages' tests running in parallel.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const msw = fileURLToPath(new URL('../../msw/', import.meta.url));
const tsup = fileURLToPath(new URL('../node_modules/.bin/tsup', import.meta.url));

for (const [dir, artifact] of [
  [msw, 'dist/index.js'],
  [here, 'dist/cli.js'],
]) {
  if (!existsSync(`${dir}${artifact}`)) execFileSync(tsup, ['--silent'], { cwd: dir, stdio: 'inherit' });
}
