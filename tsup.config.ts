import { readFile, rm, writeFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { defineConfig, type Options } from 'tsup';
import { lineSourceMaps } from './scripts/line-source-maps.js';

/** The package's entry points (package.json#exports), by their path in dist/. */
const publicEntry = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'testing/msw': 'src/testing/msw.ts',
  'postgres/index': 'src/adapters/postgres/index.ts',
  'amqp/index': 'src/adapters/amqp/index.ts',
  'prometheus/index': 'src/adapters/prometheus/index.ts',
  'otel/index': 'src/adapters/otel/index.ts',
};
const entry = {
  ...publicEntry,
  // Loaded lazily on Node, under fixed names so package.json#browser can leave them out of browser bundles.
  'core/node-wire': 'src/core/node-wire.ts',
  'core/connect-errors': 'src/core/connect-errors.ts',
};

// zod is bundled, tree-shaken (the SDK uses zod/mini and no
// zod type is in the public .d.ts, which the smoke test checks), so it is a
// devDependency: zod's package entry loads ~100 files, every locale included,
// which made the cold `require('itsmkit')` 4x slower.
const bundledDeps = ['zod'];
// Source maps point at the lines of src/ without carrying its text: embedded
// sources (ours and the bundled dependencies') were 4 MB of the unpacked package;
// the package ships src/ itself (1 MB, package.json#files), which the source maps
// and declaration maps resolve to. scripts/line-source-maps.ts then keeps a mapping per line.
const noEmbeddedSources = (options: { sourcesContent?: boolean }) => {
  options.sourcesContent = false;
};

// The declarations sit at the top of dist/ (dist/testing-msw.d.ts for dist/testing/msw.js,
// named in package.json#exports): rollup-plugin-dts writes a self-referencing
// declaration map for an entry in a subfolder, which sends tsserver's go-to-definition into endless recursion.
const declarationEntry = Object.fromEntries(
  Object.entries(publicEntry).map(([name, source]) => [name.replace(/\/index$/, '').replaceAll('/', '-'), source]),
);

/**
 * The public entries' declarations, bundled once, with declaration maps into
 * src/ so an editor's go-to-definition opens the TypeScript source rather than
 * a hashed chunk. tsup's own `dts` build turns declaration maps off, so
 * rollup-plugin-dts runs here directly. The declarations are written as .d.cts
 * (for `require`); each entry's .d.ts (for `import`) is one line that
 * re-exports its .d.cts, since an ES module may import a CommonJS one (the
 * reverse is refused under node16 resolution): one copy instead of two.
 */
async function bundleDeclarations(): Promise<void> {
  const bundle = await rollup({
    input: declarationEntry,
    plugins: [dts({ sourcemap: true, compilerOptions: { declarationMap: true } })],
  });
  await bundle.write({
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].d.cts',
    chunkFileNames: '[name]-[hash].d.cts',
    sourcemap: true,
    sourcemapExcludeSources: true,
  });
  await bundle.close();
  for (const name of Object.keys(declarationEntry)) {
    await writeFile(`dist/${name}.d.ts`, `export * from './${name}.cjs';\n`);
  }
}

/**
 * The bin shares the library's ESM chunks, and bundles commander, which is
 * CommonJS and requires Node built-ins: esbuild turns such a `require` in an
 * ES module into a helper that throws. This resolves each to a module that
 * takes the built-in from `process.getBuiltinModule` (Node >= 20.16).
 */
const builtinRequires: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'builtin-requires',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'require-call' ? { path: args.path, namespace: 'builtin-require' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * The CommonJS entries (package.json#exports `require`): each loads its ES
 * module with `require(esm)` (unflagged from Node 20.19, package.json#engines),
 * so CommonJS and ESM users share one copy of the code and one instance of
 * each class. A second, CommonJS build of the SDK would not fit the 2.5 MB
 * package (docs/design.md, Package shape). A loader that refuses (Jest's
 * CommonJS runtime) gets a hint instead of a bare ERR_REQUIRE_ESM.
 */
async function writeRequireEntries(): Promise<void> {
  for (const name of Object.keys(publicEntry)) {
    const file = `./${name.split('/').pop() ?? name}.js`;
    const hint = `itsmkit is an ES module, which this require() cannot load (Node >= 20.19 can). Under Jest, import it from ESM tests (node --experimental-vm-modules) or transform it (transformIgnorePatterns: ['/node_modules/(?!itsmkit/)']).`;
    await writeFile(
      `dist/${name}.cjs`,
      `'use strict';\n// The ES module, loaded with require(esm): one copy of the code for import and require.\ntry {\n  module.exports = require(${JSON.stringify(file)});\n} catch (error) {\n  if (error?.code !== 'ERR_REQUIRE_ESM' && !/Must use import/.test(error?.message)) throw error;\n  throw new Error(${JSON.stringify(hint)}, { cause: error });\n}\n`,
    );
  }
}

/** The bin is an app: minified, without a source map (its chunks keep theirs). */
async function minifyBin(): Promise<void> {
  const { code } = await transform(await readFile('dist/cli.js', 'utf8'), { minify: true, format: 'esm', target: 'node20' });
  await writeFile('dist/cli.js', code);
  await rm('dist/cli.js.map');
}

export default defineConfig({
  // The `itsmkit` bin (dist/cli.js) shares the library's chunks rather than
  // carrying its own copy of the SDK. commander is bundled (a devDependency),
  // so library users install nothing for it.
  entry: { ...entry, cli: 'src/cli/main.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Keep `node:` specifiers: Deno, Bun and edge bundlers resolve those, not bare `fs`.
  removeNodeProtocol: false,
  treeshake: true,
  noExternal: ['commander', ...bundledDeps],
  esbuildPlugins: [builtinRequires],
  esbuildOptions: noEmbeddedSources,
  onSuccess: async () => {
    await minifyBin();
    await Promise.all([lineSourceMaps('dist'), writeRequireEntries(), bundleDeclarations()]);
  },
});
