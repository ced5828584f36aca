import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Run against the sources so `pnpm test` works before `pnpm build`; a real service imports the built packages.
    alias: {
      '@modelwire/client': src('client/src/index.ts'),
      '@modelwire/mock-server': src('mock-server/src/index.ts'),
      '@modelwire/msw': src('msw/src/index.ts'),
    },
  },
  test: { include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 15_000 },
});
