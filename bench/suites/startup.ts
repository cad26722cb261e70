import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { quantile, type BenchResult, type BenchSuite } from '../lib.js';

const root = resolve(import.meta.dirname, '../..');
const RUNS = 21;

/** Runs `code` in `RUNS` fresh node processes; each prints the ms its measured part took. */
function fresh(code: string, type: 'commonjs' | 'module'): number[] {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const printed = execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' });
    out.push(Number(printed.trim()));
  }
  return out;
}

/**
 * Cold start: the median time `require('itsmkit')` and `import('itsmkit')`
 * take in a fresh Node process (the built package, resolved by name as users
 * do), and a whole `node -e "require('itsmkit')"` against an empty `node -e ""`.
 */
export const startupSuite: BenchSuite = {
  name: 'startup',
  async run(): Promise<BenchResult[]> {
    if (!existsSync(resolve(root, 'dist/index.cjs'))) throw new Error('startup bench: run `npm run build` first (it measures dist/)');
    const timed = (load: string) => `const t = performance.now(); ${load}; console.log(performance.now() - t);`;
    const cjs = fresh(timed("require('itsmkit')"), 'commonjs');
    const esm = fresh(timed("await import('itsmkit')"), 'module');
    const wall = (code: string) => {
      const out: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        execFileSync(process.execPath, ['-e', code], { cwd: root });
        out.push(performance.now() - start);
      }
      return out;
    };
    const empty = wall('');
    const withRequire = wall("require('itsmkit')");
    return [
      { name: `cold require('itsmkit') median of ${RUNS} fresh processes`, unit: 'ms', value: quantile(cjs, 0.5), note: 'target < 50 ms' },
      { name: `cold import('itsmkit') median of ${RUNS} fresh processes`, unit: 'ms', value: quantile(esm, 0.5) },
      { name: `node -e "require('itsmkit')" wall time (baseline: node -e "")`, unit: 'ms', value: quantile(withRequire, 0.5), baseline: quantile(empty, 0.5) },
    ];
  },
};
