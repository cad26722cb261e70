#!/usr/bin/env node
// Smoke test of the built package as users get it: packs the tarball, installs
// it in a fresh directory, and imports it with ESM `import` and CJS `require`
// under this machine's Node and under Node 22 and 24.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'itsmkit-smoke-'));
const run = (cmd, args, cwd = dir) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const packed = run('npm', ['pack', '--silent', '--pack-destination', dir], root).trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true }));
  run('npm', ['install', '--silent', '--no-audit', '--no-fund', join(dir, packed)]);
  const checks = `
    const assert = (ok, what) => { if (!ok) { console.error('smoke failed: ' + what); process.exit(1); } };
    assert(typeof m.ServiceNowClient === 'function' || typeof m.Transport === 'function', 'clients exported');
    assert(typeof m.RetryPolicy.from === 'function', 'RetryPolicy exported');
    assert(m.isItsmError(new m.ConfigError('x')), 'error guards work');
    assert(typeof t.startSandbox === 'function', 'itsmkit/testing exported');
  `;
  writeFileSync(join(dir, 'esm.mjs'), `import * as m from 'itsmkit'; import * as t from 'itsmkit/testing';${checks} console.log('esm ok', process.version);`);
  writeFileSync(join(dir, 'cjs.cjs'), `const m = require('itsmkit'); const t = require('itsmkit/testing');${checks} console.log('cjs ok', process.version);`);
  const nodes = [['node'], ['npx', '-y', 'node@22'], ['npx', '-y', 'node@24']];
  for (const [cmd, ...pre] of nodes) {
    for (const file of ['esm.mjs', 'cjs.cjs']) process.stdout.write(run(cmd, [...pre, file]));
  }
  console.log('smoke: all passed');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
