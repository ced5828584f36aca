import { defineConfig } from 'vitest/config';

// test/keycloak/SUITE.md: needs MODELWIRE_KEYCLOAK and MODELWIRE_KEYCLOAK_GATEWAY (scripts/test-keycloak.sh).
export default defineConfig({ test: { include: ['test-keycloak/**/*.test.ts'], testTimeout: 30_000 } });
