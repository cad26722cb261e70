import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { mswHandler } from '../../src/testing/msw.js';

const BASE = 'https://fake.atlassian.net';
const AUTH = `Basic ${btoa('demo@example.com:sandbox-api-token')}`;

async function call(fake: FakeJira, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fake.fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // text body
  }
  return { status: res.status, headers: res.headers, body: parsed as Record<string, unknown> };
}

const doc = (text: string) => ({ version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function createMany(fake: FakeJira, n: number) {
  for (let i = 0; i < n; i++) await call(fake, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: `s${i}` } });
}

describe('FakeJira on the wire', () => {
  it('creates with string ids (201), edits and transitions with 204', async () => {
    const fake = new FakeJira();
    const created = await call(fake, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's', description: doc('d') } });
    expect(created).toMatchObject({ status: 201, body: { id: '10001', key: 'OPS-1', self: `${BASE}/rest/api/3/issue/10001` } });
    expect((await call(fake, 'PUT', '/rest/api/3/issue/OPS-1', { fields: { summary: 't' } })).status).toBe(204);
    expect((await call(fake, 'POST', '/rest/api/3/issue/OPS-1/transitions', { transition: { id: '11' } })).status).toBe(204);
    expect(await call(fake, 'POST', '/rest/api/3/issue/OPS-1/transitions', { transition: { id: 'abc' } })).toMatchObject({ status: 400, body: { errorMessages: ["'transition' identifier must be an integer"] } });
    const comment = await call(fake, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: doc('hi') });
    expect(comment).toMatchObject({ status: 201, body: { id: '10001', body: doc('hi'), author: { accountId: '557058:demo-account' } } });
    expect(comment.body['created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(await call(fake, 'POST', '/rest/api/3/issue/OPS-1/comment', { body: 'plain' })).toMatchObject({ status: 400, body: { errors: { comment: expect.stringContaining('Atlassian Document') } } });
  });

  it('answers the documented error envelopes', async () => {
    const fake = new FakeJira();
    expect(await call(fake, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' } } })).toMatchObject({
      status: 400,
      body: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } },
    });
    expect((await call(fake, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's', foo: 1 } })).body['errors']).toEqual({
      foo: "Field 'foo' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    expect(await call(fake, 'GET', '/rest/api/3/issue/OPS-404')).toMatchObject({ status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } });
  });

  it('search/jql: ids only by default, tokens until the last page (absent there), no total, bounded JQL, 1-5000', async () => {
    const fake = new FakeJira();
    await createMany(fake, 3);
    const first = await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', maxResults: 2 });
    expect(first.status).toBe(200);
    expect(first.body['issues']).toEqual([{ id: '10003' }, { id: '10002' }]);
    expect(first.body).toMatchObject({ isLast: false, nextPageToken: expect.any(String) });
    expect('total' in first.body).toBe(false);
    const last = await call(fake, 'GET', `/rest/api/3/search/jql?jql=project%3DOPS&maxResults=2&fields=summary&nextPageToken=${encodeURIComponent(String(first.body['nextPageToken']))}`);
    expect(last.body).toMatchObject({ isLast: true, issues: [{ id: '10001', key: 'OPS-1', fields: { summary: 's0' } }] });
    expect('nextPageToken' in last.body).toBe(false);
    expect(await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'order by key desc' })).toMatchObject({
      status: 400,
      body: { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'] },
    });
    for (const maxResults of [0, -1, 5001]) expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', maxResults })).status).toBe(400);
    expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', maxResults: 5000 })).status).toBe(200);
    expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', nextPageToken: '!!bad' })).status).toBe(400);
    expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', bogus: true })).status).toBe(400);
    const noType = await fake.fetch(`${BASE}/rest/api/3/search/jql`, { method: 'POST', headers: { authorization: AUTH } });
    expect(noType.status).toBe(415);
    expect(noType.headers.get('content-type')).toBe('application/problem+json');
    expect(await noType.json()).toMatchObject({ title: 'Unsupported Media Type', detail: "Content-Type 'null' is not supported.", instance: '/rest/api/3/search/jql' });
    expect(await call(fake, 'POST', '/rest/api/3/search/approximate-count', { jql: 'project = OPS' })).toMatchObject({ status: 200, body: { count: 3 } });
  });

  it('answers 410 on the removed search on Cloud, and startAt search on Data Center only', async () => {
    const cloud = new FakeJira();
    for (const path of ['/rest/api/3/search?jql=project%3DOPS', '/rest/api/2/search?jql=project%3DOPS']) {
      const gone = await call(cloud, 'GET', path);
      expect(gone.status).toBe(410);
      expect((gone.body['errorMessages'] as string[])[0]).toContain('/rest/api/3/search/jql');
    }
    const dc = new FakeJira({ deployment: 'datacenter' });
    await call(dc, 'POST', '/rest/api/2/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's', description: 'wiki' } });
    expect(await call(dc, 'POST', '/rest/api/2/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's', description: doc('x') } })).toMatchObject({
      status: 400,
      body: { errors: { description: 'Operation value must be a string' } },
    });
    expect((await call(dc, 'GET', '/rest/api/2/search?jql=&startAt=0&maxResults=10')).body).toMatchObject({ startAt: 0, maxResults: 10, total: 1 });
    expect((await call(dc, 'GET', '/rest/api/3/issue/OPS-1')).status).toBe(404);
  });

  it('treats bad credentials as anonymous, except /myself (401 text/html)', async () => {
    const fake = new FakeJira();
    await createMany(fake, 1);
    const bad = { authorization: `Basic ${btoa('demo@example.com:wrong')}` };
    const myself = await call(fake, 'GET', '/rest/api/3/myself', undefined, bad);
    expect(myself.status).toBe(401);
    expect(myself.headers.get('content-type')).toContain('text/html');
    expect(myself.body).toBe('Client must be authenticated to access this resource.');
    expect((await call(fake, 'GET', '/rest/api/3/issue/OPS-1', undefined, bad)).status).toBe(404);
    expect(await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', fields: ['summary'] }, bad)).toMatchObject({ status: 200, body: { issues: [], isLast: true } });
  });

  it('stores issue properties', async () => {
    const fake = new FakeJira();
    await call(fake, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's' }, properties: [{ key: 'k', value: { a: 1 } }] });
    expect((await call(fake, 'GET', '/rest/api/3/issue/OPS-1/properties/k')).body).toEqual({ key: 'k', value: { a: 1 } });
    expect((await call(fake, 'PUT', '/rest/api/3/issue/OPS-1/properties/k2', { b: 2 })).status).toBe(201);
    expect(((await call(fake, 'GET', '/rest/api/3/issue/OPS-1/properties')).body['keys'] as { key: string }[]).map((k) => k.key)).toEqual(['k', 'k2']);
  });

  it('searches users on Cloud (query, active only, hidden addresses hidden but matched) as a bare array', async () => {
    const fake = new FakeJira();
    const sam = await call(fake, 'GET', '/rest/api/3/user/search?query=sam.lee%40example.com');
    expect(sam.status).toBe(200);
    expect(sam.body).toEqual([
      {
        self: `${BASE}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5`,
        accountId: '5b10ac8d82e05b22cc7d4ef5',
        accountType: 'atlassian',
        emailAddress: 'sam.lee@example.com',
        avatarUrls: { '48x48': `${BASE}/avatar/JIRAUSER10001?s=48` },
        displayName: 'Sam Lee',
        active: true,
        timeZone: 'UTC',
        locale: 'en_US',
      },
    ]);
    const priya = (await call(fake, 'GET', '/rest/api/3/user/search?query=priya.raman@example.com')).body as unknown as Record<string, unknown>[];
    expect(priya.map((u) => [u['displayName'], 'emailAddress' in u])).toEqual([['Priya Raman', false]]);
    // A word of the display name matches; the one who left does not show.
    const names = async (q: string) => ((await call(fake, 'GET', `/rest/api/3/user/search?query=${q}`)).body as unknown as { displayName: string }[]).map((u) => u.displayName);
    expect(await names('kim')).toEqual(['Alex Kim', 'Alex Kimura']);
    expect(await names('jordan')).toEqual([]);
    expect(await names('a')).toEqual(['Alex Kim', 'Alex Kimura', 'Automation for Jira']);
    expect(await names('a&maxResults=1&startAt=1')).toEqual(['Alex Kimura']);
    expect(await call(fake, 'GET', '/rest/api/3/user/search')).toMatchObject({ status: 400 });
    // Anonymous callers see nobody.
    expect((await call(fake, 'GET', '/rest/api/3/user/search?query=sam', undefined, { authorization: `Basic ${btoa('demo@example.com:wrong')}` })).body).toEqual([]);
  });

  it('assigns with PUT /issue/{key}/assignee (204), refusing someone who cannot be assigned (400)', async () => {
    const fake = new FakeJira();
    await createMany(fake, 1);
    expect((await call(fake, 'PUT', '/rest/api/3/issue/OPS-1/assignee', { accountId: '5b10ac8d82e05b22cc7d4ef5' })).status).toBe(204);
    expect(fake.issue('OPS-1')?.fields['assignee']).toMatchObject({ accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Sam Lee' });
    expect(await call(fake, 'PUT', '/rest/api/3/issue/OPS-1/assignee', { accountId: '60e5a86a471e61006a0d7a14' })).toMatchObject({
      status: 400,
      body: { errorMessages: [], errors: { assignee: "User '60e5a86a471e61006a0d7a14' cannot be assigned issues." } },
    });
    expect((await call(fake, 'PUT', '/rest/api/3/issue/OPS-1/assignee', {})).status).toBe(400);
    expect((await call(fake, 'PUT', '/rest/api/3/issue/OPS-1/assignee', { accountId: null })).status).toBe(204);
    expect(fake.issue('OPS-1')?.fields['assignee']).toBeNull();
  });

  it('searches users on Data Center (username, also the user name; includeInactive), with key and name', async () => {
    const fake = new FakeJira({ deployment: 'datacenter' });
    const pat = { authorization: 'Bearer sandbox-pat' };
    const found = await call(fake, 'GET', '/rest/api/2/user/search?username=priya', undefined, pat);
    expect(found.body).toEqual([
      {
        self: `${BASE}/rest/api/2/user?username=priya.raman`,
        key: 'JIRAUSER10003',
        name: 'priya.raman',
        emailAddress: 'priya.raman@example.com',
        avatarUrls: { '48x48': `${BASE}/avatar/JIRAUSER10003?s=48` },
        displayName: 'Priya Raman',
        active: true,
        deleted: false,
        timeZone: 'UTC',
        locale: 'en_US',
      },
    ]);
    expect((await call(fake, 'GET', '/rest/api/2/user/search?username=jordan.doe', undefined, pat)).body).toEqual([]);
    expect(((await call(fake, 'GET', '/rest/api/2/user/search?username=jordan.doe&includeInactive=true', undefined, pat)).body as unknown as { active: boolean }[]).map((u) => u.active)).toEqual([false]);
    expect(await call(fake, 'GET', '/rest/api/2/user/search?query=sam', undefined, pat)).toMatchObject({ status: 400, body: { errorMessages: ['The username query parameter was not provided'] } });
    expect((await call(fake, 'GET', '/rest/api/3/user/search?query=sam', undefined, pat)).status).toBe(404);
  });

  it('lags search behind creates when asked', async () => {
    let now = 0;
    const fake = new FakeJira({ now: () => now, searchLag: { ms: 1000 } });
    await createMany(fake, 1);
    expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS' })).body['issues']).toEqual([]);
    expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS', reconcileIssues: [10001] })).body['issues']).toEqual([{ id: '10001' }]);
    now = 1000;
    expect((await call(fake, 'POST', '/rest/api/3/search/jql', { jql: 'project = OPS' })).body['issues']).toEqual([{ id: '10001' }]);
  });
});

describe('FakeJira through msw', () => {
  const fake = new FakeJira();
  const server = setupServer(mswHandler(BASE, fake.handle));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('serves the client over msw with the real fetch', async () => {
    const jira = new JiraClient({ baseUrl: BASE, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
    const created = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'via msw' });
    expect((await jira.issues.get(created.key)).summary).toBe('via msw');
  });

  it('resolves users over msw', async () => {
    const jira = new JiraClient({ baseUrl: BASE, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
    expect((await jira.users.resolve('ops@example.com')).id).toBe('5b10a2844c20165700ede21g');
  });
});
