import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'testing/msw': 'src/testing/msw.ts',
  'postgres/index': 'src/adapters/postgres/index.ts',
  'amqp/index': 'src/adapters/amqp/index.ts',
  'prometheus/index': 'src/adapters/prometheus/index.ts',
};

// p-retry ships ESM only: the CJS build bundles it so `require('itsmkit')`
// works without `require(esm)`. The ESM build keeps every dependency external.
const esmOnlyDeps = ['p-retry', 'is-network-error'];

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
