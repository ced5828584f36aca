import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The same tests against msw 2 (the `msw2` npm alias of msw@2.x): the peer range is `^2 || ^3`, so both
// majors are proven by `pnpm test`. Exact-match aliases, so `msw/node` maps to `msw2/node`, not `msw2`.
export default mergeConfig(
  base,
  defineConfig({
    resolve: {
      alias: [
        { find: /^msw$/, replacement: 'msw2' },
        { find: /^msw\/node$/, replacement: 'msw2/node' },
      ],
    },
    test: { name: 'msw2', env: { MODELWIRE_MSW_MAJOR: '2' } },
  }),
);
