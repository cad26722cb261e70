import { describe, expect, it } from 'vitest';
import { type HttpError, isHttpError, isValidationError, isNotFoundError, type ValidationError, isForbiddenError } from '../../src/core/errors.js';
import { textToAdf } from '../../src/jira/adf.js';
import { setup, unexpected } from './support.js';

describe('issues.create', () => {
  it('maps camelCase input to wire fields, sends ADF on Cloud and returns the typed result', async () => {
    const { fake, jira } = setup();
    const parent = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Parent' });
    const created = await jira.issues.create({
      projectKey: 'OPS',
      issueType: '10003',
      summary: 'Disk full on db-1',
      description: 'Plain text\n\n- or a list',
      priority: 'High',
      labels: ['db', 'p1'],
      components: ['10042', 'Storage'],
      assigneeAccountId: '557058:abc',
      dueDate: '2030-01-31',
      parent: parent.key,
      customFields: { customfield_10010: { value: 'Sev1' } },
    });
    expect(created).toMatchObject({ id: '10002', key: 'OPS-2', self: 'https://acme.atlassian.net/rest/api/3/issue/10002', reconciled: false, retry: { attempts: 1 } });
    const sent = fake.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: '/rest/api/3/issue' });
    expect(sent?.headers['authorization']).toMatch(/^Basic /);
    expect(sent?.body).toEqual({
      fields: {
        project: { key: 'OPS' },
        issuetype: { id: '10003' },
        summary: 'Disk full on db-1',
        description: textToAdf('Plain text\n\n- or a list'),
        priority: { name: 'High' },
        labels: ['db', 'p1'],
        components: [{ id: '10042' }, { name: 'Storage' }],
        assignee: { id: '557058:abc' },
        duedate: '2030-01-31',
        parent: { key: 'OPS-1' },
        customfield_10010: { value: 'Sev1' },
      },
    });
    const issue = await jira.issues.get('ops-2');
    expect(issue).toMatchObject({
      id: '10002',
      key: 'OPS-2',
      projectKey: 'OPS',
      summary: 'Disk full on db-1',
      description: 'Plain text\n\n- or a list',
      issueType: { id: '10003', name: 'Incident' },
      status: { name: 'To Do', category: 'new' },
      priority: { name: 'High' },
      labels: ['db', 'p1'],
      assignee: { accountId: '557058:abc' },
      dueDate: '2030-01-31',
      parentKey: 'OPS-1',
      resolution: undefined,
    });
    expect(issue.created).toBeInstanceOf(Date);
    expect(issue.fields['customfield_10010']).toEqual({ value: 'Sev1' });
    expect((issue.raw as { key: string }).key).toBe('OPS-2');
  });

  it('checks the input before any request and reports every problem', async () => {
    const { fake, jira } = setup();
    const error = (await jira.issues
      .create({ projectKey: '', issueType: ' ', summary: '', labels: ['has space'], dueDate: '31/01/2030', customFields: { severity: 1 }, correlationKey: 'no spaces please', description: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] } as never })
      .then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(isValidationError(error)).toBe(true);
    expect(error.issues.map((i) => `${i.field}:${i.rule}`)).toEqual([
      'projectKey:required',
      'issueType:required',
      'summary:required',
      'description.content[0].content[0].text:adf',
      'labels[0]:pattern',
      'dueDate:pattern',
      'customFields.severity:pattern',
      'correlationKey:pattern',
    ]);
    const long = (await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x'.repeat(256) }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(long.issues).toEqual([{ field: 'summary', rule: 'maxLength', message: 'must be at most 255 characters (got 256)' }]);
    expect(long.message).toContain('summary');
    expect(fake.requests).toHaveLength(0);
  });

  it('types the server errors for an unknown issue type or project, with field issues', async () => {
    const { jira } = setup();
    const badType = (await jira.issues.create({ projectKey: 'OPS', issueType: 'Epicness', summary: 's' }).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(isHttpError(badType)).toBe(true);
    expect(badType.status).toBe(400);
    expect(badType.platformError?.issues).toEqual([{ field: 'issueType', rule: 'server', message: 'valid issue type is required' }]);
    expect(badType.message).toContain('issueType: valid issue type is required');
    const badProject = (await jira.issues.create({ projectKey: 'NOPE', issueType: 'Task', summary: 's' }).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(badProject.platformError?.issues).toEqual([{ field: 'projectKey', rule: 'server', message: 'valid project is required' }]);
  });

  it('sends plain strings to Data Center on /rest/api/2 with a PAT', async () => {
    const { fake, jira } = setup({ fake: { deployment: 'datacenter' } });
    const created = await jira.issues.create({ projectKey: 'OPS', issueType: 'Bug', summary: 'DC issue', description: 'h1. wiki', assigneeAccountId: 'jsmith' });
    expect(created.self).toBe('https://acme.atlassian.net/rest/api/2/issue/10001');
    const sent = fake.requests.at(-1);
    expect(sent?.path).toBe('/rest/api/2/issue');
    expect(sent?.headers['authorization']).toBe('Bearer sandbox-pat');
    expect(sent?.body).toMatchObject({ fields: { description: 'h1. wiki', assignee: { name: 'jsmith' } } });
    expect((await jira.issues.get(created.key)).description).toBe('h1. wiki');
  });

  it('the fake rejects a v3 string description like Jira does', async () => {
    const { fake } = setup();
    const res = await fake.fetch('https://acme.atlassian.net/rest/api/3/issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${btoa('demo@example.com:sandbox-api-token')}` },
      body: JSON.stringify({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's', description: 'plain' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } });
  });
});

describe('issues.get / update / delete', () => {
  it('updates only the given fields with PUT (204) and deletes (204)', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Before', labels: ['a'] });
    await jira.issues.update(key, { summary: 'After', labels: ['b', 'c'], assigneeAccountId: null, description: 'New text' }, { notifyUsers: false });
    const put = fake.requests.at(-1);
    expect(put).toMatchObject({ method: 'PUT', path: `/rest/api/3/issue/${key}`, query: { notifyUsers: 'false' } });
    expect(put?.body).toEqual({ fields: { description: textToAdf('New text'), labels: ['b', 'c'], assignee: null, summary: 'After' } });
    const after = await jira.issues.get(key, { fields: ['summary', 'labels'], expand: ['names'] });
    expect(fake.requests.at(-1)?.query).toEqual({ fields: 'summary,labels', expand: 'names' });
    expect(after).toMatchObject({ summary: 'After', labels: ['b', 'c'], description: undefined });
    await jira.issues.delete(key);
    expect(fake.issue(key)).toBeUndefined();
    const gone = (await jira.issues.get(key).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(isNotFoundError(gone)).toBe(true);
    expect(gone.platformError?.message).toBe('Issue does not exist or you do not have permission to see it.');
  });

  it('checks updates before sending', async () => {
    const { fake, jira } = setup();
    const error = (await jira.issues.update('OPS-1', { summary: '   ' }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(error.issues).toEqual([{ field: 'summary', rule: 'required', message: 'must not be empty' }]);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses unsafe path segments', async () => {
    const { jira } = setup();
    await expect(jira.issues.get('..')).rejects.toThrow(/not a valid path segment/);
  });

  it('types a 403 with its message', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    fake.denyWrites('OPS');
    const error = (await jira.issues.update(key, { summary: 'y' }).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(isForbiddenError(error)).toBe(true);
    expect(error.message).toContain("You currently don't have access to perform this operation.");
    expect(error.message).not.toContain('likely cause');
  });
});
