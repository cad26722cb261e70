import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'testing/msw': 'src/testing/msw.ts',
  'postgres/index': 'src/adapters/postgres/index.ts',
  'amqp/index': 'src/adapters/amqp/index.ts',
  'prometheus/index': 'src/adapters/prometheus/index.ts',
  'otel/index': 'src/adapters/otel/index.ts',
  // Loaded lazily on Node, under fixed names so package.json#browser can leave them out of browser bundles.
  'core/node-wire': 'src/core/node-wire.ts',
  'core/connect-errors': 'src/core/connect-errors.ts',
};

// p-retry ships ESM only: the CJS build bundles it so `require('itsmkit')`
// works without `require(esm)`.
const esmOnlyDeps = ['p-retry', 'is-network-error'];
// zod is bundled into every build, tree-shaken (the SDK uses zod/mini and no
// zod type is in the public .d.ts, which the smoke test checks), so it is a
// devDependency: zod's package entry loads ~100 files, every locale included,
// which made the cold `require('itsmkit')` 4x slower.
const bundledDeps = ['zod'];
// Source maps point at the lines of src/ without carrying its text: the sources
// were 4 MB of the unpacked package, and an editor or debugger finds them on GitHub or in a checkout.
const noEmbeddedSources = (options: { sourcesContent?: boolean }) => {
  options.sourcesContent = false;
};

export default defineConfig([
  {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // Keep `node:` specifiers: Deno, Bun and edge bundlers resolve those, not bare `fs`.
    removeNodeProtocol: false,
    treeshake: true,
    noExternal: bundledDeps,
    esbuildOptions: noEmbeddedSources,
  },
  {
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    removeNodeProtocol: false,
    noExternal: [...esmOnlyDeps, ...bundledDeps],
    esbuildOptions: noEmbeddedSources,
  },
  // The `itsmkit` bin: ESM only. commander is bundled (a devDependency), so
  // library users install nothing for it; `require` is provided for its CJS
  // requires of node builtins.
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    removeNodeProtocol: false,
    noExternal: ['commander', ...bundledDeps],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cliRequire } from 'node:module';\nconst require = __cliRequire(import.meta.url);" },
  },
]);
