import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layers: each folder of src/ reaches another only through that folder's index.ts
// (its barrel), and only the folders it may depend on (below). src/index.ts, which
// names the package's public surface, and src/version.ts stand outside the layers.
// core/node-wire.ts and core/connect-errors.ts stay out of core/index.ts: they are
// loaded lazily, under fixed names the browser field leaves out (tsup.config.ts).
const layers = {
  core: [],
  servicenow: ['core'],
  jira: ['core'],
  connections: ['core'],
  tickets: ['core', 'servicenow', 'jira'],
  'adapters/memory': ['core', 'connections'],
  'adapters/postgres': ['core', 'connections'],
  'adapters/amqp': ['core', 'connections'],
  'adapters/prometheus': ['core'],
  'adapters/otel': ['core'],
  testing: ['core', 'servicenow', 'jira', 'connections', 'tickets', 'adapters/memory'],
  cli: ['core', 'servicenow', 'jira', 'connections', 'tickets', 'testing'],
};
// A relative specifier into `layer` from another folder of src/ (a sibling adapter is `../memory/...`).
const into = (layer) => `^(?:\\.\\./)+${layer.startsWith('adapters/') ? `(?:adapters/)?${layer.slice('adapters/'.length)}` : layer}`;
const layerRules = Object.entries(layers).map(([layer, allowed]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: '^(?:\\.\\.?/)+index\\.js$', message: `src/${layer} imports its own files directly; the root src/index.ts is for users only.` },
          ...Object.keys(layers)
            .filter((other) => other !== layer)
            .map((other) =>
              allowed.includes(other)
                ? { regex: `${into(other)}/(?!index\\.js$)`, message: `Import src/${other} through its barrel, '.../${other}/index.js' (add the name there if it is missing).` }
                : { regex: `${into(other)}(?:/|$)`, message: `src/${layer} may not depend on src/${other}: it may import ${allowed.map((a) => `src/${a}`).join(', ') || 'no other folder'} (eslint.config.js, layers).` },
            ),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'coverage/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // `interface Incident extends RecordOf<typeof INCIDENT_TABLE> {}` names a derived type.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  ...layerRules,
  {
    files: ['src/cli/**', 'src/testing/**', 'examples/**', 'bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
