import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isItsmError, isNetworkError, type NetworkError } from '../../src/core/errors.js';
import { type IssueMayExistError, isIssueMayExistError } from '../../src/jira/errors.js';
import { CORRELATION_PROPERTY, correlationLabel } from '../../src/jira/issues.js';
import type { Fault } from '../../src/testing/faults.js';
import { setup, unexpected } from './support.js';

const input = { projectKey: 'OPS', issueType: 'Task', summary: 'Disk full', correlationKey: 'alert-4711' } as const;
const LABEL = correlationLabel('alert-4711');
const posts = (fake: ReturnType<typeof setup>['fake']) => fake.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue');

describe('no duplicate issues with a correlation key', () => {
  it('stores the key as an entity property and a label', async () => {
    const { fake, jira } = setup();
    const created = await jira.issues.create({ ...input, labels: ['ops'] });
    expect(posts(fake)[0]?.body).toMatchObject({ fields: { labels: ['ops', LABEL] }, properties: [{ key: CORRELATION_PROPERTY, value: { correlationKey: 'alert-4711' } }] });
    expect(fake.issue(created.key)?.properties.get(CORRELATION_PROPERTY)).toEqual({ correlationKey: 'alert-4711' });
    expect((await jira.issues.findByCorrelationKey('OPS', 'alert-4711'))?.key).toBe(created.key);
  });

  it('finds the issue an ambiguous attempt created, waiting (bounded) for search to catch up', async () => {
    const { fake, jira, clock } = setup({ fake: { searchLag: { searches: 2 } } });
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    const created = await jira.issues.create(input);
    expect(created).toMatchObject({ key: 'OPS-1', reconciled: true, retry: { attempts: 2 } });
    expect(posts(fake)).toHaveLength(1);
    expect(fake.issuesWithLabel(LABEL)).toHaveLength(1);
    // The retry delay, then two waits between the three searches (the third sees the issue).
    expect(clock.sleeps).toEqual([100, 500, 1000]);
    // One lookup by key before the create, then three searches after the ambiguous failure.
    const searches = fake.requests.filter((r) => r.path === '/rest/api/3/search/jql');
    expect(searches).toHaveLength(4);
    expect(searches[0]?.body).toMatchObject({ jql: `project = "OPS" AND labels = "${LABEL}" ORDER BY created ASC` });
  });

  it('re-sends when every search in the window comes back empty (the first attempt never landed)', async () => {
    const { fake, jira, clock } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 503, body: 'upstream unavailable' }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    const created = await jira.issues.create(input);
    expect(created).toMatchObject({ reconciled: false, retry: { attempts: 2 } });
    expect(posts(fake)).toHaveLength(2);
    expect(fake.issuesWithLabel(LABEL)).toHaveLength(1);
    expect(clock.sleeps).toEqual([100, 500, 1000, 2000]);
  });

  it('returns the issue when a 502 came after the write took effect', async () => {
    const { fake, jira } = setup();
    fake.faults.add({ fault: { kind: 'statusAfter', status: 502 }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    const created = await jira.issues.create(input);
    expect(created.reconciled).toBe(true);
    expect(fake.issuesWithLabel(LABEL)).toHaveLength(1);
  });

  it('fails with IssueMayExistError naming the key when the deadline comes before search settles', async () => {
    const { fake, jira } = setup({ fake: { searchLag: { searches: 10 } }, client: { retry: { jitter: 'none', minDelayMs: 100, retries: 3, totalBudgetMs: 2000 } } });
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    const error = (await jira.issues.create(input).then(unexpected, (e: unknown) => e)) as IssueMayExistError;
    expect(isIssueMayExistError(error)).toBe(true);
    expect(error.name).toBe('IssueMayExistError');
    expect(error).toMatchObject({ correlationKey: 'alert-4711', projectKey: 'OPS', label: LABEL, polls: 3 });
    expect(error.message).toContain('"alert-4711"');
    expect(error.message).toContain('may exist');
    expect(error.retry).toMatchObject({ attempts: 2, delaysMs: [100] });
    expect(error.retry?.elapsedMs).toBeGreaterThan(0);
    expect(posts(fake)).toHaveLength(1);
  });

  it('fails with IssueMayExistError when the searches themselves fail', async () => {
    const { fake, jira } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    // Search goes down once the create was sent (the lookup before it answered).
    jira.events.on('request', (e) => {
      if (e.operation === 'jira.issue.create') fake.faults.add({ fault: { kind: 'status', status: 500, body: { errorMessages: ['search down'], errors: {} } }, match: { path: '/search/jql' }, times: 10 });
    });
    const error = (await jira.issues.create(input).then(unexpected, (e: unknown) => e)) as IssueMayExistError;
    expect(isIssueMayExistError(error)).toBe(true);
    expect(error.polls).toBe(4);
    expect(isItsmError(error.cause)).toBe(true);
    expect(posts(fake)).toHaveLength(1);
  });

  it('does not re-send an ambiguous create without a correlation key, and says how to make it safe', async () => {
    const { fake, jira } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST', path: '/rest/api/3/issue' } });
    const error = (await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' }).then(unexpected, (e: unknown) => e)) as NetworkError;
    expect(isNetworkError(error)).toBe(true);
    expect(error.message).toContain('pass correlationKey');
    expect(posts(fake)).toHaveLength(1);
  });

  it('exactly one issue exists after any sequence of faults, or the call fails typed (property)', async () => {
    const faultArb = fc.constantFrom<Fault>(
      { kind: 'drop', when: 'after' },
      { kind: 'drop', when: 'before' },
      { kind: 'statusAfter', status: 502 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(faultArb, { maxLength: 4 }), fc.integer({ min: 0, max: 2 }), async (faults, lag) => {
        const { fake, jira } = setup({ fake: { searchLag: { searches: lag } }, client: { retry: { jitter: 'none', minDelayMs: 100, retries: 5 } } });
        for (const fault of faults) fake.faults.add({ fault, match: { method: 'POST', path: '/rest/api/3/issue' } });
        const outcome = await jira.issues.create(input).then(
          (r) => r,
          (e: unknown) => e,
        );
        const count = fake.issuesWithLabel(LABEL).length;
        if (isItsmError(outcome)) expect(count).toBeLessThanOrEqual(1);
        else {
          expect(count).toBe(1);
          expect(fake.issue((outcome as { key: string }).key)).toBeDefined();
        }
      }),
      { numRuns: 150 },
    );
  });
});
