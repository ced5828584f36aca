import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
    // Read by test/msw-major.test.ts; vitest.msw2.config.ts sets 2.
    env: { MODELWIRE_MSW_MAJOR: '3' },
  },
});
