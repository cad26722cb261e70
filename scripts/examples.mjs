#!/usr/bin/env node
// `npm run examples`: runs every examples/*.ts (one per guide in docs/) with
// tsx against the in-process fakes or the loopback sandbox, and fails if any
// fails. The demo (examples/demo) runs separately as `npm run demo`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
const failed = [];
for (const file of files) {
  console.log(`\n== examples/${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('examples', file)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed.push(file);
}
console.log(`\nexamples: ${files.length - failed.length} passed${failed.length ? `, ${failed.length} failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
