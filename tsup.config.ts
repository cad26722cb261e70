import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'testing/msw': 'src/testing/msw.ts',
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
  // The `itsmkit` bin: ESM only. commander is bundled (a devDependency), so
  // library users install nothing for it; `require` is provided for its CJS
  // requires of node builtins.
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    noExternal: ['commander'],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cliRequire } from 'node:module';\nconst require = __cliRequire(import.meta.url);" },
  },
]);
