/**
 * docs/cli.md: the `itsmkit` commands against the sandbox. `run` is the CLI
 * in-process (what the bin calls); in a shell this is
 * `itsmkit servicenow incident create --short-description ... --json`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/run.js';
import { startSandbox } from '../src/testing/index.js';

const sandbox = await startSandbox();
const env = {
  ITSMKIT_SERVICENOW_URL: sandbox.servicenow.url,
  ITSMKIT_SERVICENOW_USERNAME: 'admin',
  ITSMKIT_SERVICENOW_PASSWORD: 'sandbox-password',
  ITSMKIT_JIRA_URL: sandbox.jira.url,
  ITSMKIT_JIRA_EMAIL: 'demo@example.com',
  ITSMKIT_JIRA_API_TOKEN: 'sandbox-api-token',
  ITSMKIT_DATASOURCES_URL: sandbox.datasources.url,
  ITSMKIT_DATASOURCES_TOKEN: 'demo-member-token',
};
const dir = mkdtempSync(join(tmpdir(), 'itsmkit-cli-example-'));
const file = (name: string, content: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(content));
  return join(dir, name);
};
const itsmkit = async (...argv: string[]) => {
  console.log(`$ itsmkit ${argv.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
  const code = await run(argv, { env });
  console.log(`(exit ${code})\n`);
  return code;
};
try {
  await itsmkit('servicenow', 'test');
  await itsmkit('servicenow', 'incident', 'create', '--short-description', 'VPN down in Zurich', '--urgency', 'high', '--correlation-id', 'alert-4711');
  await itsmkit('servicenow', 'incident', 'search', '--active', '--json', '--fields', 'number,short_description,priority');
  await itsmkit('jira', 'issue', 'create', '--project', 'OPS', '--type', 'Task', '--summary', 'Replace the VPN concentrator');
  await itsmkit('jira', 'issue', 'search', 'project = OPS');

  // Changing tickets: each of these must succeed (exit 0).
  const must = async (...argv: string[]) => {
    const exit = await itsmkit(...argv);
    if (exit !== 0) throw new Error(`expected exit 0, got ${exit}: itsmkit ${argv.join(' ')}`);
  };
  await must('servicenow', 'incident', 'update', 'INC0010001', '--set', 'impact=high', '--set', 'state=inProgress');
  await must('servicenow', 'incident', 'work-note', 'INC0010001', 'Failing over to the backup concentrator'); // not idempotent: a re-run posts a second note
  await must('servicenow', 'incident', 'resolve', 'INC0010001', '--close-code', 'Solution provided', '--close-notes', 'Replaced the concentrator');
  await must('jira', 'issue', 'transition', 'OPS-1'); // lists the transitions available now
  await must('jira', 'issue', 'transition', 'OPS-1', 'Start Progress');
  await must('jira', 'issue', 'assign', 'OPS-1', 'sam.lee@example.com');
  await must('jira', 'issue', 'comment', 'OPS-1', 'Ordered the hardware');
  // Attachments (streamed; not idempotent: a re-run attaches a second copy) and a service desk request.
  writeFileSync(join(dir, 'app.log'), 'tunnel down at 09:12\n');
  await must('servicenow', 'incident', 'attach', 'INC0010001', join(dir, 'app.log'), '--verbose');
  await must('jira', 'issue', 'attach', 'OPS-1', join(dir, 'app.log'), '--json');
  await must('jira', 'request', 'create', '--desk', 'ITSM', '--request-type', '10', '--summary', 'VPN drops every hour');
  await must('jira', 'request', 'comment', 'ITSM-1', 'Looking into it', '--public');
  if ((await itsmkit('jira', 'issue', 'transition', 'OPS-1', 'Close')) !== 2) throw new Error('expected exit 2 for a transition that is not available');
  const code = await itsmkit('servicenow', 'incident', 'get', 'INC0999999');
  if (code !== 1) throw new Error(`expected exit 1 for a missing incident, got ${code}`);

  // Connections: credentials come from a file (or stdin), never from flags.
  await itsmkit('connections', 'seed');
  await itsmkit('connections', 'enable', 'jira');
  const credentials = file('jira-credentials.json', { credentials: { email: 'bot@example.com', apiToken: 'a-real-token-would-go-here' } });
  if ((await itsmkit('connections', 'verify', 'jira', '--credentials', credentials, '--wait')) !== 0) throw new Error('verify failed');
  if ((await itsmkit('connections', 'sync', 'jira', '--wait')) !== 0) throw new Error('sync failed');
  await itsmkit('connections', 'list', '--type', 'jira');

  // Tickets, offline: validate, template, classify.
  const payload = file('payload.json', { shortDescription: '', urgency: 'urgent' });
  if ((await itsmkit('validate', '--platform', 'servicenow', '--type', 'incident', payload)) !== 1) throw new Error('expected exit 1 for an invalid payload');
  await itsmkit('template', 'list');
  const vars = file('vars.json', { projectKey: 'OPS', job: { id: '4711', name: 'nightly-export' }, error: { summary: 'disk full' } });
  await itsmkit('template', 'render', 'jira-job-failure-bug', '--vars', vars);
  await itsmkit('classify', '--category', 'Network – VPN', 'VPN keeps disconnecting');
} finally {
  await sandbox.close();
}
