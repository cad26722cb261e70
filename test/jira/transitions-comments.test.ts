import { describe, expect, it } from 'vitest';
import { isValidationError, type ValidationError } from '../../src/core/errors.js';
import { textToAdf } from '../../src/jira/adf.js';
import { isTransitionNotAvailableError, type TransitionNotAvailableError } from '../../src/jira/errors.js';
import { setup, unexpected } from './support.js';

describe('transitions', () => {
  it('lists transitions and moves by name, with a resolution and a comment', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Work' });
    expect((await jira.issues.transitions(key)).map((t) => [t.id, t.name, t.to?.name])).toEqual([
      ['11', 'Start Progress', 'In Progress'],
      ['31', 'Done', 'Done'],
    ]);
    await jira.issues.transition(key, { to: 'start progress' });
    const done = await jira.issues.transition(key, { to: 'Done', resolution: 'Fixed', comment: 'Rotated the logs.' });
    expect(done.id).toBe('31');
    expect(fake.requests.at(-1)?.body).toEqual({
      transition: { id: '31' },
      fields: { resolution: { name: 'Fixed' } },
      update: { comment: [{ add: { body: textToAdf('Rotated the logs.') } }] },
    });
    const issue = await jira.issues.get(key);
    expect(issue.status).toMatchObject({ name: 'Done', category: 'done' });
    expect(issue.resolution?.name).toBe('Fixed');
    expect((await jira.issues.comments(key)).map((c) => c.body)).toEqual(['Rotated the logs.']);
    await jira.issues.transition(key, { to: '41' });
    expect((await jira.issues.get(key)).resolution).toBeUndefined();
  });

  it('lists the available transitions when the one asked for is not available', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Work' });
    const before = fake.requests.length;
    const error = (await jira.issues.transition(key, { to: 'Reopen' }).then(unexpected, (e: unknown) => e)) as TransitionNotAvailableError;
    expect(isTransitionNotAvailableError(error)).toBe(true);
    expect(isValidationError(error)).toBe(true);
    expect(error.name).toBe('TransitionNotAvailableError');
    expect(error.available.map((t) => t.name)).toEqual(['Start Progress', 'Done']);
    expect(error.message).toBe(`Cannot transition ${key}: transition: "Reopen" is not available from the current status; available: "Start Progress" (id 11 -> In Progress), "Done" (id 31 -> Done)`);
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('uses plain strings on Data Center', async () => {
    const { fake, jira } = setup({ fake: { deployment: 'datacenter' } });
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Work' });
    await jira.issues.transition(key, { to: 'Done', comment: 'closing' });
    expect(fake.requests.at(-1)).toMatchObject({ path: `/rest/api/2/issue/${key}/transitions`, body: { update: { comment: [{ add: { body: 'closing' } }] } } });
  });
});

describe('comments', () => {
  it('adds ADF comments on Cloud and lists them back as text, following paging', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Work' });
    const comment = await jira.issues.addComment(key, 'Looking at it\nnow', { visibility: { type: 'role', value: 'Administrators' } });
    expect(comment).toMatchObject({ id: '10001', body: 'Looking at it\nnow', author: { accountId: '557058:demo-account' } });
    expect(comment.created).toBeInstanceOf(Date);
    expect(fake.requests.at(-1)?.body).toEqual({ body: textToAdf('Looking at it\nnow'), visibility: { type: 'role', value: 'Administrators' } });
    for (let i = 0; i < 120; i++) fake.issue(key)?.comments.push({ id: String(20000 + i), body: textToAdf(`c${i}`), authorAccountId: 'x', created: 0 });
    const all = await jira.issues.comments(key);
    expect(all).toHaveLength(121);
    expect(all.at(-1)?.body).toBe('c119');
    expect(fake.requests.filter((r) => r.path.endsWith('/comment') && r.method === 'GET').map((r) => r.query['startAt'])).toEqual(['0', '100']);
  });

  it('refuses empty or malformed comment bodies before sending', async () => {
    const { fake, jira } = setup();
    const empty = (await jira.issues.addComment('OPS-1', '  ').then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(empty.issues[0]).toMatchObject({ field: 'body', rule: 'required' });
    const bad = (await jira.issues.addComment('OPS-1', { version: 1, type: 'doc' } as never).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(bad.issues[0]).toMatchObject({ field: 'body.content' });
    expect(fake.requests).toHaveLength(0);
  });
});
