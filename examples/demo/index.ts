/**
 * `npm run demo`: starts the loopback sandbox (fake ServiceNow, Jira and
 * data-sources API; no network, no real credentials) and runs the main flows
 * end to end through the SDK.
 */
import { startSandbox, type Sandbox } from '../../src/testing/index.js';
import { connectionsStep } from './connections.js';
import { jiraStep } from './jira.js';
import { servicenowStep } from './servicenow.js';
import { ticketsStep } from './tickets.js';

/** One part of the demo. */
export type DemoStep = (sandbox: Sandbox, log: (line: string) => void) => Promise<void>;

// Each area adds its step here.
const steps: [string, DemoStep][] = [
  ['ServiceNow: lookups, incidents, problems, changes and tasks, requested items', servicenowStep],
  ['Jira: create, assign by email, comment, transition, search, a JSM request', jiraStep],
  ['Data-source connections: seed, verify, save, sync with live updates', connectionsStep],
  ['Tickets: support counter (automated and classified), activity, a template into Jira, metrics', ticketsStep],
];

const sandbox = await startSandbox();
const log = (line: string) => console.log(`  ${line}`);
try {
  for (const [title, step] of steps) {
    console.log(`\n== ${title}`);
    await step(sandbox, log);
  }
  console.log('\nDemo finished: every step ran against the local sandbox.');
} catch (error) {
  console.error('\nDemo failed:', error);
  process.exitCode = 1;
} finally {
  await sandbox.close();
}
