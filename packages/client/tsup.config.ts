import { defineConfig } from 'tsup';

const entry = { index: 'src/index.ts', browser: 'src/browser.ts', contract: 'src/contract.ts' };

export default defineConfig([
  { entry, format: ['esm'], dts: true, clean: true, sourcemap: true, target: 'node22', splitting: false },
  // ky and p-retry ship ESM only: the CJS build bundles them so `require()` works without require(esm) interop quirks.
  {
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node22',
    splitting: false,
    // `import.meta.url` (the optional @opentelemetry/api is resolved from it) needs tsup's CJS shim.
    shims: true,
    noExternal: ['ky', 'p-retry', 'is-network-error'],
  },
]);
