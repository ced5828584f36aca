import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Issuer mode against a real Keycloak: needs MODELWIRE_KEYCLOAK (scripts/test-keycloak.sh sets it).
export default defineConfig({
  resolve: { alias: { '@modelwire/msw': fileURLToPath(new URL('../msw/src/index.ts', import.meta.url)) } },
  test: { include: ['test-keycloak/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
});
