#!/usr/bin/env node
// `npm test`: runs the whole vitest suite. Suites that need PostgreSQL or
// RabbitMQ run when those servers answer on loopback; otherwise they are
// reported as not run, with the reason. CI sets ITSMKIT_REQUIRE_SERVICES=1,
// which turns a missing server into a failure instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceEnv } from './services.mjs';

const { env, missing } = await serviceEnv();
if (missing.length && process.env.ITSMKIT_REQUIRE_SERVICES === '1') {
  console.error(`npm test: required servers are down: ${missing.map((s) => `${s.name} (127.0.0.1:${s.port})`).join(', ')}`);
  process.exit(1);
}

const report = join(mkdtempSync(join(tmpdir(), 'itsmkit-test-')), 'results.json');
// The whole suite reports v8 line coverage and holds it to the floors in vitest.config.ts;
// a targeted run (`npm test -- test/core`) does not. Without a server, its suites do not run,
// so the floors are off and the run says so.
const args = process.argv.slice(2);
const coverage = args.some((a) => !a.startsWith('-')) ? [] : ['--coverage'];
if (coverage.length && missing.length) env.ITSMKIT_COVERAGE_FLOORS = 'off';
const result = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...coverage, ...args], { stdio: 'inherit', env });
if (coverage.length && missing.length) console.log('\nCoverage floors not applied: the suites of the servers named below did not run.');
for (const s of missing) {
  console.log(`\nNOT RUN: the ${s.name} suites — nothing answered on 127.0.0.1:${s.port}. Start ${s.name} (see README, "Testing") to run them.`);
}
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}
process.exit(result.status ?? 1);
