import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Run against the sources so the example works before `pnpm build`; a real project imports the package.
    alias: { '@modelwire/msw': fileURLToPath(new URL('../../packages/msw/src/index.ts', import.meta.url)) },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 10_000 },
});
