#!/usr/bin/env node
// Smoke test of the built package as users get it: packs the tarball, installs
// it in a fresh directory, and imports it with ESM `import` and CJS `require`
// under this machine's Node and under Node 22 and 24.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'itsmkit-smoke-'));
const run = (cmd, args, cwd = dir) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

checkDeclarationImports();
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
    assert(schema.$id === 'https://unpkg.com/itsmkit/schema/itsm-config.schema.json', 'itsmkit/itsm-config.schema.json exported');
    assert(m.loadItsmConfig(m.defineItsmConfig({ timeout: { read: 2 } })).timeouts.readMs === 2000, 'a snake_case config loads');
    // A round trip over loopback on the Node transport (undici, loaded lazily from dist/core/node-wire).
    const roundTrip = async () => {
      const sandbox = await t.startSandbox();
      try {
        const { username, password } = sandbox.servicenow.credentials;
        const sn = new m.ServiceNowClient({ instanceUrl: sandbox.servicenow.url, auth: { type: 'basic', username, password } });
        const incident = await sn.incidents.create({ shortDescription: 'smoke', urgency: 'low', impact: 'low' });
        assert(/^INC/.test(incident.number), 'an incident created over the Node transport');
      } finally {
        await sandbox.close();
      }
    };
  `;
  writeFileSync(join(dir, 'esm.mjs'), `import * as m from 'itsmkit'; import * as t from 'itsmkit/testing'; import schema from 'itsmkit/itsm-config.schema.json' with { type: 'json' };${checks} await roundTrip(); console.log('esm ok', process.version);`);
  writeFileSync(join(dir, 'cjs.cjs'), `const m = require('itsmkit'); const t = require('itsmkit/testing'); const schema = require('itsmkit/itsm-config.schema.json');${checks} roundTrip().then(() => console.log('cjs ok', process.version), (e) => { console.error('smoke failed:', e); process.exit(1); });`);
  const nodes = [['node'], ['npx', '-y', 'node@22'], ['npx', '-y', 'node@24']];
  const bin = join(dir, 'node_modules', '.bin', 'itsmkit');
  for (const [cmd, ...pre] of nodes) {
    for (const file of ['esm.mjs', 'cjs.cjs']) process.stdout.write(run(cmd, [...pre, file]));
    const cli = join(dir, 'node_modules', 'itsmkit', 'dist', 'cli.js');
    const version = run(cmd, [...pre, cli, '--version']).trim();
    const usage = spawnSync(cmd, [...pre, cli, 'no-such-command'], { cwd: dir, encoding: 'utf8' });
    if (usage.status !== 2) throw new Error(`smoke failed: itsmkit no-such-command exited ${usage.status}, expected 2`);
    console.log(`bin ok ${version}`);
  }
  await sandboxStopsOnSigint(bin);
  console.log('smoke: all passed');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Every package the published .d.ts files import must be installed for users:
 * a dependency or a peer (zod is bundled into the JS, so a zod type in the
 * public API would break users' type-checking).
 */
function checkDeclarationImports() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const bad = [];
  for (const file of readdirSync(join(root, 'dist'), { recursive: true })) {
    if (!/\.d\.c?ts$/.test(file)) continue;
    for (const [, spec] of readFileSync(join(root, 'dist', file), 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"./][^'"]*)['"]/g)) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!name.startsWith('node:') && !allowed.has(name)) bad.push(`${file}: ${spec}`);
    }
  }
  if (bad.length) throw new Error(`smoke failed: the .d.ts files import packages users do not get:\n  ${bad.join('\n  ')}`);
}

/** `itsmkit sandbox` (the installed bin) serves, and Ctrl-C (SIGINT) stops it with exit 0. */
async function sandboxStopsOnSigint(bin) {
  const child = spawn(bin, ['sandbox', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.trim().endsWith('}')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`smoke failed: itsmkit sandbox exited early (${code})`)));
  });
  const { services } = JSON.parse(out);
  const res = await fetch(`${services.jira.url}/rest/api/3/myself`, { headers: { authorization: `Basic ${btoa(`${services.jira.credentials.email}:${services.jira.credentials.apiToken}`)}` } });
  if (res.status !== 200) throw new Error(`smoke failed: the sandbox's Jira answered ${res.status}`);
  const code = await new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
  if (code !== 0) throw new Error(`smoke failed: itsmkit sandbox exited ${code} after SIGINT, expected 0`);
  console.log('bin sandbox ok (served, stopped on SIGINT)');
}
