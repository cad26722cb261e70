/**
 * The Jira part of `npm run demo`: create, assign by email, comment on, transition and search
 * issues in the sandbox's fake Jira Cloud through the SDK, and raise and answer a Jira Service
 * Management request.
 */
import { JiraClient, jql } from '../../src/index.js';
import type { DemoStep } from './index.js';

export const jiraStep: DemoStep = async (sandbox, log) => {
  const { url, credentials } = sandbox.jira;
  const jira = new JiraClient({
    baseUrl: url,
    auth: { type: 'basic', email: credentials['email'] as string, apiToken: credentials['apiToken'] as string },
  });

  const connection = await jira.testConnection();
  log(`connected: ${connection.ok ? `as ${connection.user?.displayName}` : connection.message}`);

  const issue = await jira.issues.create({
    projectKey: 'OPS',
    issueType: 'Incident',
    summary: 'Disk full on db-1',
    description: 'The data volume on db-1 is at 98%.\n\n- rotate the logs\n- grow the volume, see https://runbooks.example.com/disk',
    priority: 'High',
    labels: ['database'],
    correlationKey: 'alert-db1-disk',
  });
  log(`created ${issue.key} (id ${issue.id}, ${issue.retry.attempts} attempt)`);

  await jira.issues.assign(issue.key, { email: 'ops@example.com' });
  const ops = await jira.users.resolve('ops@example.com'); // the same lookup, from the cache
  log(`assigned to ${ops.displayName} (account ${ops.id})`);

  await jira.issues.addComment(issue.key, 'Logs rotated; usage down to 71%.');
  await jira.issues.transition(issue.key, { to: 'Start Progress' });
  const available = await jira.issues.transitions(issue.key);
  log(`in progress; next: ${available.map((t) => t.name).join(', ')}`);
  await jira.issues.transition(issue.key, { to: 'Done', resolution: 'Fixed', comment: 'Volume grown to 500 GB.' });

  const done = await jira.issues.get(issue.key);
  log(`${done.key} is ${done.status?.name} (${done.resolution?.name}); description reads back as:`);
  for (const line of (done.description ?? '').split('\n')) log(`  | ${line}`);
  const comments = await jira.issues.comments(issue.key);
  log(`${comments.length} comments: ${comments.map((c) => JSON.stringify(c.body)).join(', ')}`);

  await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Review disk alerts', labels: ['database'] });
  const query = jql`project = ${'OPS'} AND labels = ${'database'} ORDER BY created DESC`;
  const found: string[] = [];
  for await (const i of jira.issues.iterate(query, { fields: ['summary', 'status'], pageSize: 1 })) found.push(`${i.key} [${i.status?.name}] ${i.summary}`);
  log(`search ${query}:`);
  for (const line of found) log(`  ${line}`);
  log(`approximate count of open OPS issues: ${await jira.issues.count('project = OPS AND statusCategory != Done')}`);

  const request = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'New laptop for Casey' }, raiseOnBehalfOf: 'qm:1a2b3c4d:customer-casey' });
  await jira.serviceDesk.addComment(request.issueKey, { body: 'Ordered; it arrives Friday.', public: true });
  log(`JSM: raised ${request.issueKey} in IT Help for ${request.reporter?.displayName} and replied; now "${(await jira.serviceDesk.getRequest(request.issueKey)).currentStatus?.status}"`);
};
