import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Run against the sources so the example works before `pnpm build`; a real project imports the packages.
    alias: {
      '@modelwire/msw': src('msw/src/index.ts'),
      '@modelwire/client': src('client/src/index.ts'),
    },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 10_000 },
});
