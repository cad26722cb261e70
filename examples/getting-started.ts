/**
 * docs/getting-started.md: a ServiceNow incident and a Jira issue, side by
 * side, against the local sandbox (in your code: the instance URL and
 * credentials from your configuration, and `from 'itsmkit'`).
 */
import { JiraClient, ServiceNowClient, jql } from '../src/index.js';
import { startSandbox } from '../src/testing/index.js';

const sandbox = await startSandbox();
try {
  const sn = new ServiceNowClient({
    instanceUrl: sandbox.servicenow.url,
    auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
  });
  const jira = new JiraClient({
    baseUrl: sandbox.jira.url,
    auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' },
  });

  const incident = await sn.incidents.create({ shortDescription: 'VPN down in Zurich', urgency: 'high', impact: 'medium' });
  console.log(`ServiceNow: ${incident.number} priority=${incident.priority} state=${incident.state}`);

  const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Incident', summary: 'VPN down in Zurich', priority: 'High' });
  console.log(`Jira: ${issue.key}`);

  const open = await sn.incidents.search({ active: true, urgency: 'high' }, { fields: ['number', 'short_description'] });
  console.log(`open high-urgency incidents: ${open.records.map((r) => r.number).join(', ')}`);
  for await (const found of jira.issues.iterate(jql`project = ${'OPS'} AND statusCategory != Done`)) console.log(`open Jira issue: ${found.key} ${found.summary}`);
} finally {
  await sandbox.close();
}
