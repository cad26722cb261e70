import { describe, expect, it } from 'vitest';
import { isConfigError, isUnexpectedResponseError, isValidationError, type UnexpectedResponseError } from '../../src/core/errors.js';
import { isAmbiguousMatchError, isNoMatchError, type AmbiguousMatchError, type NoMatchError } from '../../src/core/lookup-errors.js';
import { JiraClient } from '../../src/jira/client.js';
import type { JiraDeployment } from '../../src/jira/types.js';
import { BASE, CREDS, FakeClock, setup, unexpected } from './support.js';

const SAM = '5b10ac8d82e05b22cc7d4ef5';
const PRIYA = '60e5a86a471e61006a0d7a11';

const failure = <E>(call: Promise<unknown>): Promise<E> => call.then(unexpected, (e: unknown) => e as E);

/** A Jira that answers every request 200 with `body`, recording the URLs asked for. */
function answering(body: unknown, deployment: JiraDeployment = 'cloud') {
  const urls: string[] = [];
  const fetch = async (input: string | URL | Request) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const auth = deployment === 'cloud' ? CREDS : ({ type: 'bearer', token: 'sandbox-pat' } as const);
  return { urls, jira: new JiraClient({ baseUrl: BASE, auth, deployment, fetch, clock: new FakeClock(), retry: { retries: 0 } }) };
}

describe('jira.users on Cloud', () => {
  it('finds accounts with GET /rest/api/3/user/search?query=, hidden addresses left undefined', async () => {
    const { fake, jira } = setup();
    const found = await jira.users.find('alex');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/rest/api/3/user/search', query: { query: 'alex', maxResults: '50' } });
    expect(found.map((u) => [u.displayName, u.emailAddress])).toEqual([
      ['Alex Kim', 'alex.kim@example.com'],
      ['Alex Kimura', undefined],
    ]);
    expect(found[0]).toMatchObject({ deployment: 'cloud', id: '60e5a86a471e61006a0d7a12', accountId: '60e5a86a471e61006a0d7a12', accountType: 'atlassian', active: true });
    expect((await jira.users.find('a', { limit: 2 })).length).toBe(2);
    expect(fake.requests.at(-1)?.query).toMatchObject({ query: 'a', maxResults: '2' });
  });

  it('resolves an email address or a display name to one active person, whose id goes into assigneeAccountId', async () => {
    const { fake, jira } = setup();
    const sam = await jira.users.resolve('sam.lee@example.com');
    expect(sam).toMatchObject({ deployment: 'cloud', id: SAM, accountId: SAM, displayName: 'Sam Lee' });
    expect((await jira.users.resolve('Ops On-Call')).emailAddress).toBe('ops@example.com');
    // A prefix Jira matches, with only one person behind it.
    expect((await jira.users.resolve('Priya')).accountId).toBe(PRIYA);

    const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Rotate certs', assigneeAccountId: sam.id });
    expect((fake.requests.at(-1)?.body as { fields: Record<string, unknown> }).fields['assignee']).toEqual({ id: SAM });
    expect((await jira.issues.get(issue.key)).assignee).toEqual({ accountId: SAM, displayName: 'Sam Lee', emailAddress: 'sam.lee@example.com' });
  });

  it('takes a single match whose address is hidden, and prefers the exact visible address over hidden ones', async () => {
    const { jira } = setup();
    const priya = await jira.users.resolve('priya.raman@example.com');
    expect(priya).toMatchObject({ accountId: PRIYA, emailAddress: undefined });
    // "alex.kim@example.com" is also a prefix of Alex Kimura's hidden address; the visible exact one wins.
    expect((await jira.users.resolve('alex.kim@example.com')).displayName).toBe('Alex Kim');
    expect((await jira.users.resolve('alex.kimura@example.com')).displayName).toBe('Alex Kimura');
  });

  it('never resolves an address to someone whose visible address only starts with it', async () => {
    const { fake, jira } = setup();
    fake.addUser({ displayName: 'Sam Lee (AU)', emailAddress: 'sam.lee@example.com.au' });
    expect((await jira.users.resolve('sam.lee@example.com')).accountId).toBe(SAM);
    const none = await failure<NoMatchError>(jira.users.resolve('sam.lee@example.co'));
    expect(isNoMatchError(none)).toBe(true);
    expect(none.message).toContain('2 matched but are inactive, not a person (an app or a customer) or another address');
  });

  it('says so when nobody matches, naming the query; apps, customers and inactive users do not count', async () => {
    const { jira } = setup();
    const none = await failure<NoMatchError>(jira.users.resolve('nobody@example.com'));
    expect(isNoMatchError(none)).toBe(true);
    expect(none).toMatchObject({ platform: 'jira', what: 'active user', query: 'nobody@example.com' });
    expect(none.message).toBe(
      'No jira active user matches "nobody@example.com": check the address or name (Jira matches the start of display names, email addresses and user names of active users), or list them with users.find()',
    );
    // Cloud's search returns active users only: the one who left is not found.
    expect(isNoMatchError(await failure(jira.users.resolve('jordan.doe@example.com')))).toBe(true);
    for (const query of ['Automation for Jira', 'casey@customer.example.com']) {
      const error = await failure<NoMatchError>(jira.users.resolve(query));
      expect(isNoMatchError(error), query).toBe(true);
      expect(error.message).toContain('1 matched but is inactive, not a person');
    }
  });

  it('refuses to pick among several people, naming them', async () => {
    const { fake, jira } = setup();
    const several = await failure<AmbiguousMatchError>(jira.users.resolve('Alex'));
    expect(isAmbiguousMatchError(several)).toBe(true);
    expect(several).toMatchObject({ platform: 'jira', what: 'active user', query: 'Alex' });
    expect(several.candidates).toEqual([
      { id: '60e5a86a471e61006a0d7a12', label: 'Alex Kim <alex.kim@example.com>' },
      { id: '60e5a86a471e61006a0d7a13', label: 'Alex Kimura <email hidden>' },
    ]);
    expect(several.message).toBe(
      '2 jira active users match "Alex": Alex Kim <alex.kim@example.com> (60e5a86a471e61006a0d7a12), Alex Kimura <email hidden> (60e5a86a471e61006a0d7a13); pass the full email address or display name, or pick one with users.find()',
    );
    // Two people with the same display name: only their addresses tell them apart.
    fake.addUser({ displayName: 'Sam Lee', emailAddress: 'sam.lee2@example.com' });
    const twins = await failure<AmbiguousMatchError>(jira.users.resolve('sam lee'));
    expect(twins.candidates.map((c) => c.label)).toEqual(['Sam Lee <sam.lee@example.com>', 'Sam Lee <sam.lee2@example.com>']);
    expect((await jira.users.resolve('sam.lee2@example.com')).displayName).toBe('Sam Lee');
  });
});

describe('jira.users on Data Center', () => {
  it('finds users with GET /rest/api/2/user/search?username=, and resolves to a key and a user name', async () => {
    const { fake, jira } = setup({ fake: { deployment: 'datacenter' } });
    const sam = await jira.users.resolve('sam.lee@example.com');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/rest/api/2/user/search', query: { username: 'sam.lee@example.com', maxResults: '50' } });
    expect(sam).toEqual(expect.objectContaining({ deployment: 'datacenter', id: 'sam.lee', key: 'JIRAUSER10001', name: 'sam.lee', displayName: 'Sam Lee', emailAddress: 'sam.lee@example.com', active: true }));
    // The user name is matched too, and an exact one wins over longer ones.
    expect((await jira.users.resolve('alex.kim')).name).toBe('alex.kim');
    // Data Center shows every address.
    expect((await jira.users.find('priya'))[0]?.emailAddress).toBe('priya.raman@example.com');

    const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Rotate certs', assigneeAccountId: sam.id });
    expect((fake.requests.at(-1)?.body as { fields: Record<string, unknown> }).fields['assignee']).toEqual({ name: 'sam.lee' });
    expect((await jira.issues.get(issue.key)).assignee?.displayName).toBe('Sam Lee');
  });

  it('does not find inactive users, and refuses several', async () => {
    const { jira } = setup({ fake: { deployment: 'datacenter' } });
    const gone = await failure<NoMatchError>(jira.users.resolve('jordan.doe'));
    expect(gone).toMatchObject({ platform: 'jira', query: 'jordan.doe' });
    expect(isNoMatchError(gone)).toBe(true);
    const several = await failure<AmbiguousMatchError>(jira.users.resolve('alex'));
    expect(several.candidates).toEqual([
      { id: 'alex.kim', label: 'Alex Kim <alex.kim@example.com> user name alex.kim' },
      { id: 'alex.kimura', label: 'Alex Kimura <alex.kimura@example.com> user name alex.kimura' },
    ]);
  });
});

describe('the users cache', () => {
  it('keeps answers for userCacheTtlMs (default 5 minutes), per client, case-insensitively', async () => {
    const { fake, jira, clock } = setup();
    const searches = () => fake.requests.filter((r) => r.path === '/rest/api/3/user/search').length;
    await jira.users.resolve('sam.lee@example.com');
    await jira.users.resolve(' Sam.Lee@Example.com');
    expect(searches()).toBe(1);
    clock.advance(299_999);
    await jira.users.resolve('sam.lee@example.com');
    expect(searches()).toBe(1);
    clock.advance(2);
    await jira.users.resolve('sam.lee@example.com');
    expect(searches()).toBe(2);
    // find is never cached.
    await jira.users.find('sam.lee@example.com');
    expect(searches()).toBe(3);

    jira.users.forget('SAM.LEE@example.com');
    await jira.users.resolve('sam.lee@example.com');
    expect(searches()).toBe(4);
    await jira.users.resolve('ops@example.com');
    jira.users.forget();
    await jira.users.resolve('sam.lee@example.com');
    await jira.users.resolve('ops@example.com');
    expect(searches()).toBe(7);

    const other = setup();
    await other.jira.users.resolve('sam.lee@example.com');
    expect(other.fake.requests.filter((r) => r.path === '/rest/api/3/user/search')).toHaveLength(1);
  });

  it('honours a custom TTL, never keeps failures, and keeps nothing with 0', async () => {
    const { fake, jira, clock } = setup({ client: { userCacheTtlMs: 1_000 } });
    const searches = () => fake.requests.filter((r) => r.path === '/rest/api/3/user/search').length;
    await jira.users.resolve('ops@example.com');
    clock.advance(999);
    await jira.users.resolve('ops@example.com');
    expect(searches()).toBe(1);
    clock.advance(1);
    await jira.users.resolve('ops@example.com');
    expect(searches()).toBe(2);

    expect(isNoMatchError(await failure(jira.users.resolve('new.hire@example.com')))).toBe(true);
    fake.addUser({ displayName: 'New Hire', emailAddress: 'new.hire@example.com' });
    expect((await jira.users.resolve('new.hire@example.com')).displayName).toBe('New Hire');

    const off = setup({ client: { userCacheTtlMs: 0 } });
    await off.jira.users.resolve('ops@example.com');
    await off.jira.users.resolve('ops@example.com');
    expect(off.fake.requests.filter((r) => r.path === '/rest/api/3/user/search')).toHaveLength(2);
  });

  it('refuses a TTL that is not a number of milliseconds, 0 or more', () => {
    for (const userCacheTtlMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5m']) {
      let caught: unknown;
      try {
        new JiraClient({ baseUrl: BASE, auth: CREDS, userCacheTtlMs: userCacheTtlMs as number });
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught), String(userCacheTtlMs)).toBe(true);
      expect((caught as { message: string }).message).toBe('Invalid JiraClient options: userCacheTtlMs: must be a number of milliseconds, 0 or more');
    }
  });
});

describe('jira.users checks its input and Jira answers', () => {
  it('refuses an empty query or a bad limit before sending anything', async () => {
    const { fake, jira } = setup();
    for (const call of [jira.users.resolve('  '), jira.users.find(''), jira.users.resolve(undefined as unknown as string), jira.users.find('sam', { limit: 0 }), jira.users.find('sam', { limit: 1.5 })]) {
      expect(isValidationError(await failure(call))).toBe(true);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('passes per-call options (headers, timeout, retry, signal) to the search', async () => {
    const { fake, jira } = setup();
    fake.faults.add({ match: { path: '/user/search' }, fault: { kind: 'status', status: 503 }, times: 1 });
    await jira.users.resolve('sam.lee@example.com', { headers: { 'x-trace-id': 't-1' } });
    const sent = fake.requests.filter((r) => r.path === '/rest/api/3/user/search');
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r.headers['x-trace-id'] === 't-1')).toBe(true);

    fake.faults.add({ match: { path: '/user/search' }, fault: { kind: 'status', status: 503 }, times: 1 });
    const once = await failure<Error & { status?: number }>(jira.users.find('sam', { retry: false, headers: { 'x-trace-id': 't-2' } }));
    expect(once.status).toBe(503);
    expect(fake.requests.filter((r) => r.headers['x-trace-id'] === 't-2')).toHaveLength(1);

    // The timeout reaches the transport: one it cannot take is refused before anything is sent.
    const sentBefore = fake.requests.length;
    expect(isConfigError(await failure(jira.users.find('sam', { timeoutMs: -1 })))).toBe(true);
    expect(isConfigError(await failure(jira.users.resolve('ops@example.com', { timeoutMs: 0 })))).toBe(true);
    expect(fake.requests).toHaveLength(sentBefore);

    const aborted = new AbortController();
    aborted.abort();
    const before = fake.requests.length;
    expect((await failure<Error>(jira.users.resolve('ops@example.com', { signal: aborted.signal }))).name).toBe('AbortedError');
    expect(fake.requests).toHaveLength(before);
  });

  it('client-side, counts only active people even if Jira sends others', async () => {
    const { jira } = answering([
      { accountId: 'a-1', accountType: 'atlassian', displayName: 'Old Sam', emailAddress: 'sam@example.com', active: false },
      { accountId: 'a-2', accountType: 'app', displayName: 'Sam Bot', active: true },
    ]);
    const none = await failure<NoMatchError>(jira.users.resolve('sam'));
    expect(isNoMatchError(none)).toBe(true);
    expect(none.message).toContain('2 matched but are inactive');
  });

  const WRONG: [body: unknown, says: string, deployment?: JiraDeployment][] = [
    [{ values: [] }, 'is not a JSON array of users'],
    ['ok', 'is not a JSON array of users'],
    [[{ accountId: 'a-1' }, 'sam'], 'has an entry (index 1) that is not an object'],
    [[{ displayName: 'Sam Lee', emailAddress: 'sam.lee@example.com' }], 'has no "accountId" (a non-empty string) in entry 0'],
    [[{ key: 'JIRAUSER1', displayName: 'Sam Lee' }], 'has no "name" (a non-empty string) in entry 0', 'datacenter'],
    [[{ accountId: 'a-1', name: 'sam' }], 'has no "key" (a non-empty string) in entry 0', 'datacenter'],
  ];
  for (const [body, says, deployment] of WRONG) {
    it(`refuses a 200 of ${JSON.stringify(body)} (${deployment ?? 'cloud'}) as an UnexpectedResponseError`, async () => {
      const { jira, urls } = answering(body, deployment);
      const error = await failure<UnexpectedResponseError>(jira.users.resolve('sam.lee@example.com'));
      expect(isUnexpectedResponseError(error), String(error)).toBe(true);
      expect(error.message).toContain(says);
      expect(error.message).not.toContain('Sam Lee');
      expect(error.status).toBe(200);
      expect(urls[0]).toContain(`/rest/api/${deployment === 'datacenter' ? 2 : 3}/user/search?`);
    });
  }
});

describe('jira.issues.assign', () => {
  it('assigns to the person an email address names (Cloud: accountId), to an id, and to nobody', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Rotate certs' });
    await jira.issues.assign(key, { email: 'ops@example.com' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/rest/api/3/issue/${key}/assignee`, body: { accountId: '5b10a2844c20165700ede21g' } });
    expect((await jira.issues.get(key)).assignee?.displayName).toBe('Ops On-Call');
    await jira.issues.assign(key, { id: SAM });
    expect((await jira.issues.get(key)).assignee?.accountId).toBe(SAM);
    await jira.issues.assign(key, null);
    expect(fake.requests.at(-1)?.body).toEqual({ accountId: null });
    expect((await jira.issues.get(key)).assignee).toBeUndefined();
  });

  it('sends the user name on Data Center, and the call options to the lookup and the write', async () => {
    const { fake, jira } = setup({ fake: { deployment: 'datacenter' } });
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Rotate certs' });
    await jira.issues.assign(key, { email: 'sam.lee@example.com' }, { headers: { 'x-trace-id': 'a-1' } });
    const traced = fake.requests.filter((r) => r.headers['x-trace-id'] === 'a-1');
    expect(traced.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/2/user/search', `PUT /rest/api/2/issue/${key}/assignee`]);
    expect(traced[1]?.body).toEqual({ name: 'sam.lee' });
    expect((await jira.issues.get(key)).assignee?.displayName).toBe('Sam Lee');
  });

  it('writes nothing when the address names nobody, or the id is empty', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Rotate certs' });
    expect(isNoMatchError(await failure(jira.issues.assign(key, { email: 'nobody@example.com' })))).toBe(true);
    expect(isValidationError(await failure(jira.issues.assign(key, { id: ' ' })))).toBe(true);
    expect(fake.requests.filter((r) => r.path.endsWith('/assignee'))).toHaveLength(0);
  });
});
