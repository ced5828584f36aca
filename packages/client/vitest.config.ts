import { defineConfig } from 'vitest/config';

// The default run: unit and loopback integration tests. The real-Keycloak suite (test-keycloak/) runs
// from scripts/test-keycloak.sh with vitest.keycloak.config.ts.
export default defineConfig({ test: { include: ['test/**/*.test.ts'] } });
