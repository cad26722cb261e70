import { describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { startSandbox } from '../../src/testing/sandbox.js';

describe('sandbox: jira', () => {
  it('runs in the loopback sandbox with demo credentials', async () => {
    const sandbox = await startSandbox();
    try {
      const { url, credentials } = sandbox.jira;
      const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: credentials['email'] as string, apiToken: credentials['apiToken'] as string } });
      expect((await jira.testConnection()).ok).toBe(true);
      const created = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'over http' });
      expect(sandbox.jira.fake.issue(created.key)).toBeDefined();
    } finally {
      await sandbox.close();
    }
  });

  it('serves Jira Service Management: a customer request is also a Jira issue', async () => {
    const sandbox = await startSandbox();
    try {
      const { url, credentials } = sandbox.jira;
      const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: credentials['email'] as string, apiToken: credentials['apiToken'] as string } });
      const [desk] = (await jira.serviceDesk.listDesks()).values;
      const request = await jira.serviceDesk.createRequest({ serviceDeskId: desk?.id ?? '', requestTypeId: '10', fields: { summary: 'over http' } });
      expect((await jira.issues.get(request.issueKey)).summary).toBe('over http');
    } finally {
      await sandbox.close();
    }
  });
});
