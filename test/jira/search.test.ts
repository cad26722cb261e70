import { describe, expect, it } from 'vitest';
import { type HttpError, isValidationError, type ValidationError } from '../../src/core/errors.js';
import { jql } from '../../src/jira/jql.js';
import { setup, unexpected } from './support.js';

async function seed(jira: ReturnType<typeof setup>['jira'], clock: ReturnType<typeof setup>['clock'], n: number, extra: { labels?: string[] } = {}) {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    clock.time += 1000;
    keys.push((await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: `Issue ${i}`, ...extra })).key);
  }
  return keys;
}

async function collectKeys(issues: AsyncIterable<{ key: string }>): Promise<string[]> {
  const keys: string[] = [];
  for await (const issue of issues) keys.push(issue.key);
  return keys;
}

describe('search (Cloud, enhanced search)', () => {
  it('pages with nextPageToken to the last page, asking for fields', async () => {
    const { fake, jira, clock } = setup();
    const keys = await seed(jira, clock, 7);
    await jira.issues.create({ projectKey: 'DEV', issueType: 'Task', summary: 'other project' });
    const seen: string[] = [];
    for await (const issue of jira.issues.iterate('project = OPS AND statusCategory != Done ORDER BY created DESC', { pageSize: 3, fields: ['summary', 'status'] })) {
      seen.push(issue.key);
      expect(issue.summary).toMatch(/^Issue \d$/);
    }
    expect(seen).toEqual([...keys].reverse());
    const searches = fake.requests.filter((r) => r.path === '/rest/api/3/search/jql');
    expect(searches).toHaveLength(3);
    expect(searches.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    expect(searches[0]?.body).toEqual({ jql: 'project = OPS AND statusCategory != Done ORDER BY created DESC', fields: ['summary', 'status'], maxResults: 3 });
    expect((searches[1]?.body as { nextPageToken?: string }).nextPageToken).toEqual(expect.any(String));
  });

  it('reads one page at a time with search, the next by its cursor, and honours limit when iterating', async () => {
    const { fake, jira, clock } = setup();
    await seed(jira, clock, 4);
    const first = await jira.issues.search('project = OPS', { pageSize: 2 });
    expect([first.issues.length, first.nextCursor, first.total]).toEqual([2, expect.any(String), undefined]);
    const second = await jira.issues.search('project = OPS', { pageSize: 2, cursor: first.nextCursor as string });
    expect([second.issues.length, second.nextCursor, second.total]).toEqual([2, undefined, undefined]);
    expect(second.issues.map((i) => i.key)).not.toContain(first.issues[0]?.key);
    expect((fake.requests.at(-1)?.body as { nextPageToken?: string }).nextPageToken).toBe(first.nextCursor);
    const badCursor = (await jira.issues.search('project = OPS', { cursor: '' }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(badCursor.issues[0]).toMatchObject({ field: 'cursor', rule: 'type' });
    const limited = [];
    for await (const issue of jira.issues.iterate('project = OPS ORDER BY created ASC', { pageSize: 3, limit: 4 })) limited.push(issue.summary);
    expect(limited).toEqual(['Issue 0', 'Issue 1', 'Issue 2', 'Issue 3']);
  });

  it('filters with the JQL subset: labels, status, issuetype, in lists', async () => {
    const { jira, clock } = setup();
    const [a] = await seed(jira, clock, 1, { labels: ['db', 'p1'] });
    await seed(jira, clock, 1, { labels: ['net'] });
    await jira.issues.transition(a as string, { to: 'Start Progress' });
    const found = async (q: string) => {
      const out = [];
      for await (const i of jira.issues.iterate(q)) out.push(i.key);
      return out;
    };
    expect(await found(jql`project = ${'OPS'} AND labels in ${['p1', 'zzz']}`)).toEqual([a]);
    expect(await found('project = OPS AND status = "In Progress"')).toEqual([a]);
    expect(await found('project = OPS AND issuetype = Task AND labels = net')).toEqual(['OPS-2']);
    expect(await found('project = OPS AND statusCategory = "To Do"')).toEqual(['OPS-2']);
  });

  it('refuses unbounded JQL before sending, and types a server JQL error', async () => {
    const { fake, jira } = setup();
    const early = (await jira.issues.iterate('ORDER BY key DESC').next().then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(isValidationError(early)).toBe(true);
    expect(early.issues[0]).toMatchObject({ field: 'jql', rule: 'bounded' });
    const badSize = (await jira.issues.search('project = OPS', { pageSize: 0 }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(badSize.issues[0]).toMatchObject({ field: 'pageSize', rule: 'range' });
    expect(fake.requests).toHaveLength(0);

    const server = (await jira.issues.search('project = OPS AND nosuchfield = 1').then(unexpected, (e: unknown) => e)) as HttpError;
    expect(server.status).toBe(400);
    expect(server.platformError?.message).toBe("Field 'nosuchfield' does not exist or you do not have permission to view it.");
    expect(server.message).toContain('Jira rejected the JQL query');
    const syntax = (await jira.issues.iterate('project = OPS AND (status = Done').next().then(unexpected, (e: unknown) => e)) as HttpError;
    expect(syntax.platformError?.message).toMatch(/^Error in the JQL Query: Expecting '\)' but got end of query/);
    const value = (await jira.issues.count('project = NOPE').then(unexpected, (e: unknown) => e)) as HttpError;
    expect(value.platformError?.message).toBe("The value 'NOPE' does not exist for the field 'project'.");
  });

  it('counts through approximate-count', async () => {
    const { fake, jira, clock } = setup();
    await seed(jira, clock, 3);
    expect(await jira.issues.count('project = OPS')).toBe(3);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/rest/api/3/search/approximate-count', body: { jql: 'project = OPS' } });
  });
});

describe('search (Data Center, startAt)', () => {
  it('pages with startAt/maxResults on /rest/api/2/search and counts with total', async () => {
    const { fake, jira, clock } = setup({ fake: { deployment: 'datacenter' } });
    await seed(jira, clock, 5);
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await jira.issues.search('project = OPS ORDER BY created ASC', { pageSize: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(pages.map((p) => p.issues.map((i) => i.summary))).toEqual([['Issue 0', 'Issue 1'], ['Issue 2', 'Issue 3'], ['Issue 4']]);
    expect(pages.map((p) => [p.total, p.nextCursor])).toEqual([[5, '2'], [5, '4'], [5, undefined]]);
    const searches = fake.requests.filter((r) => r.path === '/rest/api/2/search');
    expect(searches.map((r) => r.query['startAt'])).toEqual(['0', '2', '4']);
    expect(searches[0]?.query).toMatchObject({ jql: 'project = OPS ORDER BY created ASC', maxResults: '2', fields: '*navigable' });
    expect(await jira.issues.count('project = OPS')).toBe(5);
    expect(fake.requests.at(-1)?.query).toMatchObject({ maxResults: '0' });
    const notStartAt = (await jira.issues.search('project = OPS', { cursor: 'token' }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(notStartAt.issues[0]).toMatchObject({ field: 'cursor', rule: 'type' });
    expect(await collectKeys(jira.issues.iterate('project = OPS ORDER BY created ASC', { pageSize: 2, limit: 3 }))).toEqual(['OPS-1', 'OPS-2', 'OPS-3']);
    expect(fake.requests.slice(-2).map((r) => [r.query['startAt'], r.query['maxResults']])).toEqual([['0', '2'], ['2', '1']]);
  });
});
