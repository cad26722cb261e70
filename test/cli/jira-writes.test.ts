import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { cli, sandboxEnv, stdinOf } from './helpers.js';

let sandbox: Sandbox;
let env: Record<string, string>;
let jira: JiraClient;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox);
  jira = new JiraClient({ baseUrl: sandbox.jira.url, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
});
afterAll(() => sandbox.close());

/** A new issue's key, made through the SDK. */
async function newIssue(): Promise<string> {
  return (await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Replace the VPN concentrator' })).key;
}

describe('jira issue comment', () => {
  it('adds a comment from the argument or stdin, optionally restricted to a role; --json the comment', async () => {
    const key = await newIssue();
    const human = await cli(['jira', 'issue', 'comment', key, 'Ordered the hardware'], env);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(new RegExp(`^comment \\d+ added to ${key}\n$`));
    const json = await cli(['jira', 'issue', 'comment', key, '-', '--role', 'Developers', '--json'], env, { stdin: stdinOf('Arrives Monday\n') });
    expect(json.code).toBe(0);
    const comment = JSON.parse(json.stdout);
    expect(comment).toMatchObject({ issueKey: key, id: expect.any(String), body: 'Arrives Monday', author: { displayName: 'Demo User' } });
    expect(comment.raw).toBeUndefined();
    expect((await jira.issues.comments(key)).map((c) => c.body)).toEqual(['Ordered the hardware', 'Arrives Monday']);
  });

  it('an unknown issue is a NotFoundError, exit 1; empty text or --role with --group exit 2; help says a repeat posts twice', async () => {
    const unknown = await cli(['jira', 'issue', 'comment', 'OPS-999', 'hello', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404, exitCode: 1, platform: 'jira' });
    const key = await newIssue();
    expect(await cli(['jira', 'issue', 'comment', key, ''], env)).toMatchObject({ code: 2, stderr: 'ValidationError: Invalid comment: body: must not be empty\n' });
    const both = await cli(['jira', 'issue', 'comment', key, 'x', '--role', 'a', '--group', 'b', '--json'], env);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stderr).error).toMatchObject({ name: 'UsageError', code: 'commander.conflictingOption' });
    const help = await cli(['jira', 'issue', 'comment', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('Not idempotent: it is not re-sent after an ambiguous failure, and running it again posts a second comment');
  });
});

describe('jira issue transition', () => {
  it('without a transition lists the available ones; by name (any case), id or target status it moves the issue', async () => {
    const key = await newIssue();
    const list = await cli(['jira', 'issue', 'transition', key], env);
    expect(list).toMatchObject({ code: 0, stdout: `transitions available for ${key}:\n  11     Start Progress -> In Progress\n  31     Done -> Done\n` });
    const listJson = await cli(['jira', 'issue', 'transition', key, '--json'], env);
    expect(JSON.parse(listJson.stdout)).toEqual({
      issueKey: key,
      transitions: [
        { id: '11', name: 'Start Progress', to: 'In Progress' },
        { id: '31', name: 'Done', to: 'Done' },
      ],
    });
    expect(await cli(['jira', 'issue', 'transition', key, 'start progress'], env)).toMatchObject({ code: 0, stdout: `${key}: Start Progress -> In Progress\n` });
    expect((await jira.issues.get(key)).status?.name).toBe('In Progress');
    const byId = await cli(['jira', 'issue', 'transition', key, '21', '--json'], env);
    expect(JSON.parse(byId.stdout)).toEqual({ issueKey: key, transition: { id: '21', name: 'Stop Progress', to: 'To Do' } });
    const withComment = await cli(['jira', 'issue', 'transition', key, 'Done', '--comment', 'Shipped'], env);
    expect(withComment).toMatchObject({ code: 0, stdout: `${key}: Done -> Done\n` });
    expect((await jira.issues.comments(key)).map((c) => c.body)).toEqual(['Shipped']);
  });

  it('an unknown transition is exit 2 listing the available ones; an unknown issue exit 1', async () => {
    const key = await newIssue();
    const human = await cli(['jira', 'issue', 'transition', key, 'Close'], env);
    expect(human).toMatchObject({
      code: 2,
      stderr: `TransitionNotAvailableError: Cannot transition ${key}: transition: "Close" is not available from the current status; available: "Start Progress" (id 11 -> In Progress), "Done" (id 31 -> Done)\n`,
    });
    const json = await cli(['jira', 'issue', 'transition', key, 'Close', '--json'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error).toMatchObject({
      name: 'TransitionNotAvailableError',
      exitCode: 2,
      issues: [{ field: 'transition', rule: 'available' }],
      available: [
        { id: '11', name: 'Start Progress', to: 'In Progress' },
        { id: '31', name: 'Done', to: 'Done' },
      ],
    });
    expect((await jira.issues.get(key)).status?.name).toBe('To Do');
    const unknown = await cli(['jira', 'issue', 'transition', 'OPS-999', 'Done'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^NotFoundError: .*OPS-999.*\n {2}status 404\n/);
  });
});

describe('jira issue assign', () => {
  it('assigns to the person an email address names, to an id, or to nobody', async () => {
    const key = await newIssue();
    const human = await cli(['jira', 'issue', 'assign', key, 'sam.lee@example.com'], env);
    expect(human).toMatchObject({ code: 0, stdout: `${key}: assigned to Sam Lee <sam.lee@example.com> (5b10ac8d82e05b22cc7d4ef5)\n`, stderr: '' });
    expect((await jira.issues.get(key)).assignee?.accountId).toBe('5b10ac8d82e05b22cc7d4ef5');
    const byId = await cli(['jira', 'issue', 'assign', key, '--id', '5b10a2844c20165700ede21g', '--json'], env);
    expect(JSON.parse(byId.stdout)).toEqual({ issueKey: key, assignee: { id: '5b10a2844c20165700ede21g', displayName: null, emailAddress: null } });
    const byName = await cli(['jira', 'issue', 'assign', key, 'Priya Raman', '--json'], env);
    expect(JSON.parse(byName.stdout)).toEqual({ issueKey: key, assignee: { id: '60e5a86a471e61006a0d7a11', displayName: 'Priya Raman', emailAddress: null } });
    expect(await cli(['jira', 'issue', 'assign', key, '--unassign'], env)).toMatchObject({ code: 0, stdout: `${key}: unassigned\n` });
    expect((await jira.issues.get(key)).assignee).toBeUndefined();
  });

  it('an address nobody has, or a name several people match, is exit 1 naming them and --id; nothing is assigned', async () => {
    const key = await newIssue();
    const nobody = await cli(['jira', 'issue', 'assign', key, 'nobody@example.com'], env);
    expect(nobody).toMatchObject({
      code: 1,
      stderr:
        'NoMatchError: No jira active user matches "nobody@example.com": check the address or name (Jira matches the start of display names, email addresses and user names of active users), or give the user\'s id with --id\n',
    });
    const several = await cli(['jira', 'issue', 'assign', key, 'alex', '--json'], env);
    expect(several.code).toBe(1);
    expect(JSON.parse(several.stderr).error).toEqual({
      name: 'AmbiguousMatchError',
      exitCode: 1,
      message:
        '2 jira active users match "alex": Alex Kim <alex.kim@example.com> (60e5a86a471e61006a0d7a12), Alex Kimura <email hidden> (60e5a86a471e61006a0d7a13); pass the full email address or display name, or one of these ids with --id',
      candidates: [
        { id: '60e5a86a471e61006a0d7a12', label: 'Alex Kim <alex.kim@example.com>' },
        { id: '60e5a86a471e61006a0d7a13', label: 'Alex Kimura <email hidden>' },
      ],
    });
    expect((await jira.issues.get(key)).assignee).toBeUndefined();
  });

  it('no assignee, or two of them, is exit 2; an unknown issue exit 1', async () => {
    const key = await newIssue();
    const none = await cli(['jira', 'issue', 'assign', key, '--json'], env);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stderr).error).toMatchObject({ name: 'ConfigError', exitCode: 2, issues: [{ field: '[user]', rule: 'required' }] });
    expect((await cli(['jira', 'issue', 'assign', key, 'sam.lee@example.com', '--unassign'], env)).code).toBe(2);
    expect((await cli(['jira', 'issue', 'assign', key, '--id', 'x', '--unassign'], env)).code).toBe(2);
    const unknown = await cli(['jira', 'issue', 'assign', 'OPS-999', 'sam.lee@example.com', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404 });
  });

  it('--verbose traces the user search and the write, never the API token', async () => {
    const key = await newIssue();
    const r = await cli(['jira', 'issue', 'assign', key, 'ops@example.com', '--verbose'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/> GET http:\/\/127\.0\.0\.1:\d+\/rest\/api\/3\/user\/search\?query=ops%40example\.com.* \(attempt 1\): 200/);
    expect(r.stderr).toMatch(/> PUT http:\/\/127\.0\.0\.1:\d+\/rest\/api\/3\/issue\/OPS-\d+\/assignee \(attempt 1\): 204/);
    expect(r.stderr + r.stdout).not.toContain('sandbox-api-token');
  });
});
