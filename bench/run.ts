import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { BenchResult, BenchSuite } from './lib.js';
import { adaptersSuite } from './suites/adapters.js';
import { attachmentsSuite } from './suites/attachments.js';
import { connectionsSuite } from './suites/connections.js';
import { jiraSuite } from './suites/jira.js';
import { servicenowSuite } from './suites/servicenow.js';
import { startupSuite } from './suites/startup.js';
import { ticketsSuite } from './suites/tickets.js';
import { transportSuite } from './suites/transport.js';

// Each area adds its suite here.
const suites: BenchSuite[] = [servicenowSuite, jiraSuite, ticketsSuite, connectionsSuite, adaptersSuite, startupSuite, transportSuite, attachmentsSuite];

const only = process.argv.slice(2);
const results: (BenchResult & { suite: string })[] = [];
for (const suite of suites) {
  if (only.length && !only.includes(suite.name)) continue;
  console.log(`\n## ${suite.name}`);
  for (const r of await suite.run()) {
    results.push({ suite: suite.name, ...r });
    const base = r.baseline === undefined ? '' : `  (baseline ${fmt(r.baseline)} ${r.unit}, ratio ${(r.value / r.baseline).toFixed(3)})`;
    console.log(`${r.name.padEnd(58)} ${fmt(r.value).padStart(12)} ${r.unit}${base}${r.note ? `  [${r.note}]` : ''}`);
  }
}
const file = new URL('./results/latest.json', import.meta.url);
// Running some suites keeps the other suites' last results.
const ran = new Set(results.map((r) => r.suite));
const kept = only.length ? await readFile(file, 'utf8').then((text) => (JSON.parse(text) as { results: typeof results }).results.filter((r) => !ran.has(r.suite)), () => []) : [];
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(file, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results: [...kept, ...results] }, null, 2)}\n`);
console.log('\nwrote bench/results/latest.json');

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4);
}
