import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { cli, configFile, sandboxEnv, stdinOf } from './helpers.js';

let sandbox: Sandbox;
let env: Record<string, string>;
let sn: ServiceNowClient;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox);
  sn = new ServiceNowClient({ instanceUrl: sandbox.servicenow.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } });
});
afterAll(() => sandbox.close());

/** A new incident's number, made through the SDK. */
async function newIncident(shortDescription = 'VPN down'): Promise<string> {
  return (await sn.incidents.create({ shortDescription })).number as string;
}

describe('servicenow incident update', () => {
  it('sets fields by camelCase or wire name and custom u_ fields; prints the incident, --json the record', async () => {
    const number = await newIncident();
    const human = await cli(['servicenow', 'incident', 'update', number, '--set', 'urgency=high', '--set', 'short_description=VPN down in Zurich', '--set', 'u_team=network'], env);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(new RegExp(`^updated: ${number}\n${number}  VPN down in Zurich\n  sys_id \\w+\n  state new, priority moderate \\(urgency high, impact low\\)\n$`));
    const json = await cli(['servicenow', 'incident', 'update', number, '--set', 'impact=high', '--json'], env);
    expect(json.code).toBe(0);
    const record = JSON.parse(json.stdout);
    expect(record).toMatchObject({ number, urgency: 'high', impact: 'high', priority: 'critical', custom: { u_team: 'network' } });
    expect(record.raw).toBeUndefined();
  });

  it('reads the changes from a --json-input file or stdin; --set wins over them', async () => {
    const number = await newIncident();
    const file = configFile({ description: 'from the file', urgency: 'low', custom: { u_team: 'desk' } }, 'changes.json');
    const fromFile = await cli(['servicenow', 'incident', 'update', number, '-f', file, '--set', 'urgency=medium', '--json'], env);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ description: 'from the file', urgency: 'medium', custom: { u_team: 'desk' } });
    const fromStdin = await cli(['servicenow', 'incident', 'update', number, '--json-input', '-', '--json'], env, { stdin: stdinOf('{"state": "inProgress"}') });
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ state: 'inProgress' });
  });

  it('a read-only or unknown field is exit 2 naming each one and what an update sets; nothing is sent', async () => {
    const number = await newIncident();
    const r = await cli(['servicenow', 'incident', 'update', number, '--set', 'priority=critical', '--set', 'shortDescripton=typo', '--set', 'work_notes=hi', '--verbose'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ValidationError: Cannot update the incident (an update sets shortDescription, state, ');
    expect(r.stderr).toContain(
      ', or custom u_ fields): priority: is read-only on update (the instance derives it from impact and urgency: set those); shortDescripton: is not a field of the incident; work_notes: is read-only on update (add one with `incident work-note`)\n',
    );
    expect(r.stderr).not.toContain('> PATCH');
    const inherited = await cli(['servicenow', 'incident', 'update', number, '--set', 'constructor=x', '--set', '__proto__=x'], env);
    expect(inherited.stderr).toMatch(/: constructor: is not a field of the incident; __proto__: is not a field of the incident\n$/);
    const json = await cli(['servicenow', 'incident', 'update', number, '--set', 'sys_id=abc', '--json'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error).toMatchObject({ name: 'ValidationError', exitCode: 2, issues: [{ field: 'sys_id', rule: 'read_only', message: 'is read-only on update' }] });
    expect((await sn.incidents.get(number)).shortDescription).toBe('VPN down');
  });

  it('a bad value, nothing to change, --set without = or a --json-input that is not an object is exit 2', async () => {
    const number = await newIncident();
    const value = await cli(['servicenow', 'incident', 'update', number, '--set', 'urgency=urgent'], env);
    expect(value).toMatchObject({ code: 2, stderr: 'ValidationError: Invalid incident: urgency: must be one of high, medium, low\n' });
    expect(await cli(['servicenow', 'incident', 'update', number], env)).toMatchObject({
      code: 2,
      stderr: 'ConfigError: Nothing to change on the incident: --set: give at least one --set field=value or a --json-input\n',
    });
    expect(await cli(['servicenow', 'incident', 'update', number, '--set', 'urgency'], env)).toMatchObject({ code: 2, stderr: 'ConfigError: Invalid option: --set: must be field=value, got "urgency"\n' });
    const array = await cli(['servicenow', 'incident', 'update', number, '-f', '-'], env, { stdin: stdinOf('[1]') });
    expect(array).toMatchObject({ code: 2, stderr: 'ConfigError: The --json-input must be a JSON object\n' });
    const custom = await cli(['servicenow', 'incident', 'update', number, '-f', '-', '--json'], env, { stdin: stdinOf('{"custom": {"urgency": "high"}}') });
    expect(custom.code).toBe(2);
    expect(JSON.parse(custom.stderr).error).toMatchObject({ name: 'ConfigError', issues: [{ field: 'custom', rule: 'type' }] });
  });

  it('an unknown incident is a NotFoundError, exit 1 (--json: status 404)', async () => {
    const human = await cli(['servicenow', 'incident', 'update', 'INC0999999', '--set', 'urgency=low'], env);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^NotFoundError: .*INC0999999.*\n {2}status 404\n$/);
    const json = await cli(['servicenow', 'incident', 'resolve', 'INC0999999', '--close-code', 'Solution provided', '--close-notes', 'x', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404, exitCode: 1, platform: 'servicenow' });
  });
});

describe('servicenow incident work-note and comment', () => {
  it('append a work note and a comment, from the argument or stdin', async () => {
    const number = await newIncident();
    const note = await cli(['servicenow', 'incident', 'work-note', number, 'Investigating the concentrator'], env);
    expect(note).toMatchObject({ code: 0, stderr: '' });
    expect(note.stdout).toMatch(new RegExp(`^work note added: ${number}\n${number}  VPN down\n`));
    const comment = await cli(['servicenow', 'incident', 'comment', number, '-', '--json'], env, { stdin: stdinOf('We are on it\n') });
    expect(comment.code).toBe(0);
    expect(JSON.parse(comment.stdout)).toMatchObject({ number });
    expect((await sn.incidents.workNotes(number)).map((e) => e.text)).toEqual(['Investigating the concentrator']);
    expect((await sn.incidents.comments(number)).map((e) => e.text)).toEqual(['We are on it']);
  });

  it('empty text is exit 2; an unknown incident exit 1; help says a repeat posts twice', async () => {
    const number = await newIncident();
    expect(await cli(['servicenow', 'incident', 'work-note', number, ' '], env)).toMatchObject({ code: 2, stderr: 'ValidationError: Invalid work note: text: must be non-empty text\n' });
    expect((await cli(['servicenow', 'incident', 'comment', 'INC0999999', 'hello'], env)).code).toBe(1);
    for (const verb of ['work-note', 'comment']) {
      const help = await cli(['servicenow', 'incident', verb, '--help']);
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('Not idempotent: it is not re-sent after an ambiguous failure, and running it again posts a second');
    }
  });
});

describe('servicenow incident resolve and close', () => {
  it('resolve needs a close code and notes; close then needs nothing more', async () => {
    const number = await newIncident();
    const missing = await cli(['servicenow', 'incident', 'resolve', number, '--close-notes', 'Restarted', '--json'], env);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ name: 'UsageError', message: "required option '--close-code <code>' not specified", exitCode: 2 });
    const resolved = await cli(['servicenow', 'incident', 'resolve', number, '--close-code', 'Solution provided', '--close-notes', 'Restarted the concentrator'], env);
    expect(resolved).toMatchObject({ code: 0, stderr: '' });
    expect(resolved.stdout).toMatch(new RegExp(`^resolved: ${number}\n.*\n.*\n  state resolved,`));
    const closed = await cli(['servicenow', 'incident', 'close', number, '--json'], env);
    expect(closed.code).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ number, state: 'closed', closeCode: 'Solution provided', closeNotes: 'Restarted the concentrator', active: false });
  });

  it('close sets the resolution on the way; without one on an unresolved incident the instance refuses it, exit 1', async () => {
    const number = await newIncident();
    const refused = await cli(['servicenow', 'incident', 'close', number], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ForbiddenError: .*\n {2}status 403\n/);
    const closed = await cli(['servicenow', 'incident', 'close', number, '--close-code', 'Closed/Resolved by Caller', '--close-notes', 'Works again'], env);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(new RegExp(`^closed: ${number}\n.*\n.*\n  state closed,`));
  });

  it('--verbose traces the write, never the password', async () => {
    const number = await newIncident();
    const r = await cli(['servicenow', 'incident', 'update', number, '--set', 'urgency=low', '--verbose'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/> PATCH http:\/\/127\.0\.0\.1:\d+\/api\/now\/table\/incident\/\w+.* \(attempt 1\): 200 in \d+ ms/);
    expect(r.stderr + r.stdout).not.toContain('sandbox-password');
  });
});
