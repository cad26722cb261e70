import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { isIdempotencyKeyReusedError, isTicketMayExistError } from '../../src/core/idempotency-errors.js';
import { isValidationError } from '../../src/core/errors.js';
import { JiraClient } from '../../src/jira/client.js';
import { correlationLabel } from '../../src/jira/issues.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { BASE, CREDS, setup, unexpected } from './support.js';

const input = { projectKey: 'OPS', issueType: 'Task', summary: 'Disk full', correlationKey: 'alert-4711' } as const;
const LABEL = correlationLabel('alert-4711');
const posts = (fake: FakeJira) => fake.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue');

function live() {
  const fake = new FakeJira();
  const client = () => new JiraClient({ baseUrl: BASE, auth: CREDS, fetch: fake.fetch, clock: systemClock, retry: { jitter: 'none', minDelayMs: 5, retries: 3 } });
  return { fake, jira: client(), client };
}

describe('a Jira create with a correlation key happens once per key', () => {
  it('returns the first issue to a second call, created: false, without a second POST', async () => {
    const { fake, jira } = setup();
    const first = await jira.issues.create(input);
    const second = await jira.issues.create(input);
    expect(first).toMatchObject({ created: true, reconciled: false });
    expect(second).toMatchObject({ created: false, id: first.id, key: first.key });
    expect(posts(fake)).toHaveLength(1);
    expect(fake.issuesWithLabel(LABEL)).toHaveLength(1);
  });

  it('does not depend on search for a repeat in the same process: the store remembers the key while search lags', async () => {
    const { fake, jira } = setup({ fake: { searchLag: { searches: 5 } } });
    const first = await jira.issues.create(input);
    const second = await jira.issues.create(input);
    expect(second).toMatchObject({ created: false, key: first.key });
    expect(posts(fake)).toHaveLength(1);
  });

  it('makes one issue out of 10 concurrent creates with one key', async () => {
    const { fake, jira } = live();
    const results = await Promise.all(Array.from({ length: 10 }, () => jira.issues.create(input)));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(fake.issuesWithLabel(LABEL)).toHaveLength(1);
  });

  it('finds the issue by its label after a restart (a new client, an empty memory store)', async () => {
    const { fake, jira, client } = live();
    const first = await jira.issues.create(input);
    const again = await client().issues.create(input);
    expect(again).toMatchObject({ created: false, key: first.key });
    expect(posts(fake)).toHaveLength(1);
  });

  it('refuses the same key with a different payload (IdempotencyKeyReusedError), sending nothing', async () => {
    const { fake, jira } = setup();
    await jira.issues.create(input);
    const error = await jira.issues.create({ ...input, summary: 'Other' }).then(unexpected, (e: unknown) => e as Error);
    expect(isIdempotencyKeyReusedError(error)).toBe(true);
    expect(error.message).toContain('"alert-4711"');
    expect(posts(fake)).toHaveLength(1);
  });

  it.each([
    ['empty', ''],
    ['with a quote (JQL)', 'a"b'],
    ['with a space', 'a b'],
    ['over 200 characters', 'k'.repeat(201)],
  ])('refuses a key that is %s with a ValidationError on correlationKey', async (_, key) => {
    const { fake, jira } = setup();
    const error = await jira.issues.create({ ...input, correlationKey: key }).then(unexpected, (e: unknown) => e);
    expect(isValidationError(error) && error.issues.map((i) => i.field)).toContain('correlationKey');
    expect(fake.requests).toHaveLength(0);
  });

  it("reports Jira's IssueMayExistError as a TicketMayExistError, so one check covers both platforms", async () => {
    const { fake, jira } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    jira.events.on('request', (e) => {
      if (e.operation === 'jira.issue.create') fake.faults.add({ fault: { kind: 'status', status: 503, body: { errorMessages: ['down'], errors: {} } }, match: { path: '/search/jql' }, times: 50 });
    });
    const error = await jira.issues.create(input).then(unexpected, (e: unknown) => e);
    expect(isTicketMayExistError(error) && error).toMatchObject({ maybeSent: true, key: 'alert-4711', platform: 'jira' });
  });
});
