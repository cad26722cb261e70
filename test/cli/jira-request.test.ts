import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { cli, configFile, sandboxEnv, stdinOf } from './helpers.js';

let sandbox: Sandbox;
let env: Record<string, string>;
let jira: JiraClient;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox);
  jira = new JiraClient({ baseUrl: sandbox.jira.url, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
});
afterAll(() => sandbox.close());

describe('jira request create', () => {
  it('raises a request of the "IT Help" desk; --json the request without its wire copy', async () => {
    const human = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '10', '--summary', 'VPN drops every hour', '--description', 'Since Monday'], env);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(/^raised ITSM-\d+ \(desk 1, request type 10, [^)]+\): VPN drops every hour\n$/);
    const key = /ITSM-\d+/.exec(human.stdout)?.[0] as string;
    expect(await jira.serviceDesk.getRequest(key)).toMatchObject({ serviceDeskId: '1', requestTypeId: '10', summary: 'VPN drops every hour' });
    const json = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '12', '--summary', 'Figma licence', '--json'], env);
    expect(json.code).toBe(0);
    const request = JSON.parse(json.stdout);
    expect(request).toMatchObject({ issueKey: expect.stringMatching(/^ITSM-\d+$/), serviceDeskId: '1', requestTypeId: '12', summary: 'Figma licence' });
    expect(request.raw).toBeUndefined();
  });

  it('takes fields from -f (file or stdin) and --field, flags winning over the file; a desk by project key', async () => {
    const input = configFile({ summary: 'from the file', description: 'Mail is down', customfield_10050: { id: '10100' } });
    const fromFile = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '11', '-f', input, '--summary', 'Mail down', '--json'], env);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ requestTypeId: '11', summary: 'Mail down' });
    const fromStdin = await cli(['jira', 'request', 'create', '--desk', 'ITSM', '--request-type', '10', '-f', '-', '--field', 'description=typed'], env, {
      stdin: stdinOf('{"summary":"Printer jam","description":"from stdin"}'),
    });
    expect(fromStdin.code).toBe(0);
    const key = /ITSM-\d+/.exec(fromStdin.stdout)?.[0] as string;
    expect((await jira.serviceDesk.getRequest(key)).summary).toBe('Printer jam');
  });

  it('missing required fields are exit 2, listing them; an unknown field too; nothing is raised', async () => {
    const missing = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '11', '--summary', 'Mail down', '--json'], env);
    expect(missing.code).toBe(2);
    const error = JSON.parse(missing.stderr).error;
    expect(error).toMatchObject({ name: 'RequestFieldsError', exitCode: 2 });
    expect(error.issues).toEqual([
      { field: 'requestFieldValues.description', rule: 'required', message: `"What's happening?" is required` },
      { field: 'requestFieldValues.customfield_10050', rule: 'required', message: '"Affected system" is required' },
    ]);
    const human = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '10', '--summary', 'x', '--field', 'customfield_99=y'], env);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('requestFieldValues.customfield_99: is not a field of this request type');
    const badField = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '10', '--field', 'summary'], env);
    expect(badField).toMatchObject({ code: 2, stderr: 'ConfigError: Invalid option: --field: must be id=value, got "summary"\n' });
  });

  it('an unknown desk or request type is exit 1 naming it; --desk and --request-type are required', async () => {
    const desk = await cli(['jira', 'request', 'create', '--desk', '99', '--request-type', '10', '--summary', 'x', '--json'], env);
    expect(desk.code).toBe(1);
    expect(JSON.parse(desk.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404, exitCode: 1 });
    expect(JSON.parse(desk.stderr).error.message).toContain('service desk 99');
    const type = await cli(['jira', 'request', 'create', '--desk', '1', '--request-type', '77', '--summary', 'x'], env);
    expect(type.code).toBe(1);
    expect(type.stderr).toMatch(/^NotFoundError: .*request type 77/);
    const key = await cli(['jira', 'request', 'create', '--desk', 'NOPE', '--request-type', '10', '--summary', 'x', '--json'], env);
    expect(key.code).toBe(1);
    expect(JSON.parse(key.stderr).error).toMatchObject({ name: 'NoMatchError', message: 'No jira service desk matches "NOPE": give a desk id or project key: ITSM (1), HR (2)' });
    const noDesk = await cli(['jira', 'request', 'create', '--request-type', '10', '--json'], env);
    expect(noDesk.code).toBe(2);
    expect(JSON.parse(noDesk.stderr).error).toMatchObject({ name: 'UsageError', code: 'commander.missingMandatoryOptionValue' });
  });
});

describe('jira request comment', () => {
  it('adds a public reply or an internal note (text or stdin); --json the comment', async () => {
    const { issueKey } = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'VPN drops' } });
    const reply = await cli(['jira', 'request', 'comment', issueKey, 'Looking into it', '--public'], env);
    expect(reply).toMatchObject({ code: 0, stderr: '' });
    expect(reply.stdout).toMatch(new RegExp(`^public reply \\d+ added to ${issueKey}\n$`));
    const note = await cli(['jira', 'request', 'comment', issueKey, '-', '--internal', '--json'], env, { stdin: stdinOf('Router firmware suspected\n') });
    expect(note.code).toBe(0);
    const comment = JSON.parse(note.stdout);
    expect(comment).toMatchObject({ issueKey, id: expect.any(String), body: 'Router firmware suspected', public: false });
    expect(comment.raw).toBeUndefined();
    const comments = (await jira.serviceDesk.listComments(issueKey)).values.map((c) => [c.body, c.public]);
    expect(comments).toEqual([
      ['Looking into it', true],
      ['Router firmware suspected', false],
    ]);
  });

  it('one of --public or --internal is required (exit 2), not both; an unknown request is exit 1', async () => {
    const { issueKey } = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'VPN drops' } });
    const neither = await cli(['jira', 'request', 'comment', issueKey, 'hello', '--json'], env);
    expect(neither.code).toBe(2);
    expect(JSON.parse(neither.stderr).error).toMatchObject({ name: 'ConfigError', issues: [{ field: '--public', rule: 'required' }] });
    const both = await cli(['jira', 'request', 'comment', issueKey, 'hello', '--public', '--internal', '--json'], env);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stderr).error).toMatchObject({ name: 'UsageError', code: 'commander.conflictingOption' });
    const unknown = await cli(['jira', 'request', 'comment', 'ITSM-999', 'hello', '--public', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404 });
    expect((await jira.serviceDesk.listComments(issueKey)).values).toEqual([]);
  });
});
