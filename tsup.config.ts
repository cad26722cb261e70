import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'testing/msw': 'src/testing/msw.ts',
};

// ky and p-retry ship ESM only: the CJS build bundles them so `require('itsmkit')`
// works without `require(esm)`. The ESM build keeps every dependency external.
const esmOnlyDeps = ['ky', 'p-retry', 'is-network-error'];

export default defineConfig([
  {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
  },
  {
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    noExternal: esmOnlyDeps,
  },
]);
