/**
 * docs/cli.md: the `itsmkit` commands against the sandbox. `run` is the CLI
 * in-process (what the bin calls); in a shell this is
 * `itsmkit servicenow incident create --short-description ... --json`.
 */
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
  const code = await itsmkit('servicenow', 'incident', 'get', 'INC0999999');
  if (code !== 1) throw new Error(`expected exit 1 for a missing incident, got ${code}`);
} finally {
  await sandbox.close();
}
