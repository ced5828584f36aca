import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

// Why source aliases: the conformance suite must run on a fresh clone right after `pnpm install`,
// before (or without) any package build, and always against the code in the working tree.
// Set CONFORMANCE_USE_DIST=1 to test the built packages through their `exports` maps instead.
const fromSource = process.env.CONFORMANCE_USE_DIST !== '1';
const alias: Record<string, string> = {};
if (fromSource) {
  for (const [name, dir] of [
    ['@modelwire/client', 'client'],
    ['@modelwire/mock-server', 'mock-server'],
    ['@modelwire/msw', 'msw'],
  ] as const) {
    const entry = `${packages}${dir}/src/index.ts`;
    if (existsSync(entry)) alias[name] = entry;
  }
}
// Mutation testing only ("prove the suite bites", README): point the client at a modified COPY.
if (process.env.CONFORMANCE_CLIENT_ENTRY) alias['@modelwire/client'] = process.env.CONFORMANCE_CLIENT_ENTRY;

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Scenarios share one mock server and its request log: run them one after another.
    fileParallelism: false,
  },
});
