import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Test against the msw package's sources, so `pnpm test` works before `pnpm build`.
    alias: { '@modelwire/msw': fileURLToPath(new URL('../msw/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
  },
});
