/**
 * docs/testing.md: test your integration against the fakes from
 * `itsmkit/testing`: no network, real HTTP semantics, scripted faults, and a
 * record of what was sent.
 */
import { JiraClient, isAuthError } from '../src/index.js';
import { FakeJira } from '../src/testing/index.js';

/** The code under test: opens a Jira issue for an alert. */
async function openIssueForAlert(jira: JiraClient, alert: { id: string; text: string }) {
  return jira.issues.create({ projectKey: 'OPS', issueType: 'Incident', summary: alert.text, correlationKey: `alert-${alert.id}` });
}

const fake = new FakeJira();
const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' }, fetch: fake.fetch });

const created = await openIssueForAlert(jira, { id: '42', text: 'Disk full on db-1' });
const sent = fake.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue');
console.log(`created ${created.key}; sent labels ${JSON.stringify((sent?.body as { fields: { labels: string[] } }).fields.labels)}`);
console.log(`stored summary: ${fake.issue(created.key)?.fields['summary']}`);

fake.faults.add({ fault: { kind: 'status', status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'] } } });
try {
  await openIssueForAlert(jira, { id: '43', text: 'CPU high on web-3' });
} catch (error) {
  if (!isAuthError(error)) throw error;
  console.log(`a 401 surfaces as ${error.name} (status ${error.status}), not retried: ${error.retry.attempts} attempt`);
}
