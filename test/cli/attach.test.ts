import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { cli, sandboxEnv, stdinOf } from './helpers.js';

let sandbox: Sandbox;
let env: Record<string, string>;
let sn: ServiceNowClient;
let jira: JiraClient;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox);
  sn = new ServiceNowClient({ instanceUrl: sandbox.servicenow.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } });
  jira = new JiraClient({ baseUrl: sandbox.jira.url, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
  dir = mkdtempSync(join(tmpdir(), 'itsmkit-cli-attach-'));
  writeFileSync(join(dir, 'app.log'), 'line 1\nline 2\n');
});
afterAll(() => sandbox.close());

describe('servicenow incident attach', () => {
  it('uploads a file (relative to the current directory) to an incident by number; --json the attachment; stdin with --file-name', async () => {
    const incident = await sn.incidents.create({ shortDescription: 'VPN down' });
    const human = await cli(['servicenow', 'incident', 'attach', incident.number as string, 'app.log'], env, { cwd: dir });
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(new RegExp(`^attached app\\.log \\(14 bytes, text/plain\\) to ${incident.number}\n  attachment sys_id [0-9a-f]{32}\n$`));
    const json = await cli(['servicenow', 'incident', 'attach', incident.sysId, '-', '--file-name', 'trace.bin', '--content-type', 'application/x-trace', '--json'], env, { stdin: stdinOf('abc') });
    expect(json.code).toBe(0);
    const attached = JSON.parse(json.stdout);
    expect(attached).toMatchObject({ incidentNumber: incident.number, fileName: 'trace.bin', contentType: 'application/x-trace', sizeBytes: 3, tableName: 'incident', tableSysId: incident.sysId });
    expect(attached.raw).toBeUndefined();
    expect((await sn.attachments.list('incident', incident.sysId)).map((a) => [a.fileName, a.sizeBytes])).toEqual([
      ['app.log', 14],
      ['trace.bin', 3],
    ]);
    expect((await sn.attachments.get(attached.sysId)).fileName).toBe('trace.bin');
  });

  it('--verbose prints progress on stderr (JSON lines with --json); help says a repeat attaches a second copy', async () => {
    const incident = await sn.incidents.create({ shortDescription: 'VPN down' });
    const verbose = await cli(['servicenow', 'incident', 'attach', incident.number as string, join(dir, 'app.log'), '--verbose'], env);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr.split('\n').filter((l) => l.startsWith('uploading'))).toEqual(['uploading app.log: 14 bytes of 14 bytes (100%)']);
    const json = await cli(['servicenow', 'incident', 'attach', incident.number as string, join(dir, 'app.log'), '--file-name', 'a.log', '--verbose', '--json'], env);
    const progress = json.stderr
      .split('\n')
      .filter((l) => l.includes('"progress"'))
      .map((l) => JSON.parse(l));
    expect(progress.at(-1)).toEqual({ trace: 'progress', file: 'a.log', loadedBytes: 14, totalBytes: 14 });
    const help = await cli(['servicenow', 'incident', 'attach', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('running it again attaches a second copy');
  });

  it('a missing file is exit 2 naming it; stdin without --file-name exit 2; an unknown incident exit 1; over the limit exit 1', async () => {
    const incident = await sn.incidents.create({ shortDescription: 'VPN down' });
    const missing = await cli(['servicenow', 'incident', 'attach', incident.number as string, 'nope.log', '--json'], env, { cwd: dir });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ name: 'AttachmentSourceError', reason: 'not-found', path: join(dir, 'nope.log'), exitCode: 2 });
    const human = await cli(['servicenow', 'incident', 'attach', incident.number as string, dir], env);
    expect(human).toMatchObject({ code: 2, stderr: `AttachmentSourceError: The file "${dir}" is not a regular file (a directory or a device): pass the path of a file\n` });
    const noName = await cli(['servicenow', 'incident', 'attach', incident.number as string, '-'], env, { stdin: stdinOf('x') });
    expect(noName).toMatchObject({ code: 2, stderr: expect.stringContaining('--file-name: is required when the file is read from stdin') });
    const unknown = await cli(['servicenow', 'incident', 'attach', 'INC9999999', join(dir, 'app.log'), '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404 });
    sandbox.servicenow.fake.attachments.maxSizeBytes = 4;
    try {
      const tooLarge = await cli(['servicenow', 'incident', 'attach', incident.number as string, join(dir, 'app.log'), '--json'], env);
      expect(tooLarge.code).toBe(1);
      expect(JSON.parse(tooLarge.stderr).error).toMatchObject({ name: 'AttachmentTooLargeError', fileName: 'app.log', sizeBytes: 14, source: 'server', exitCode: 1 });
    } finally {
      sandbox.servicenow.fake.attachments.maxSizeBytes = 1024 * 1024 * 1024;
    }
    expect(await sn.attachments.list('incident', incident.sysId)).toEqual([]);
  });
});

describe('jira issue attach', () => {
  it('uploads a file to an issue; --json the attachment, readable afterwards through the SDK', async () => {
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Replace the VPN concentrator' });
    const human = await cli(['jira', 'issue', 'attach', key, 'app.log'], env, { cwd: dir });
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(new RegExp(`^attached app\\.log \\(14 bytes, text/plain\\) to ${key}\n  attachment id \\d+\n$`));
    const json = await cli(['jira', 'issue', 'attach', key, '-', '--file-name', 'shot.png', '--json'], env, { stdin: stdinOf('png!') });
    expect(json.code).toBe(0);
    const attached = JSON.parse(json.stdout);
    expect(attached).toMatchObject({ issueKey: key, id: expect.any(String), fileName: 'shot.png', mimeType: 'image/png', sizeBytes: 4 });
    expect(await jira.attachments.get(attached.id)).toMatchObject({ fileName: 'shot.png', sizeBytes: 4 });
    const help = await cli(['jira', 'issue', 'attach', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('running it again attaches a second copy');
  });

  it('a missing file is exit 2; an unknown issue exit 1; over the site limit exit 2 before anything is uploaded', async () => {
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Replace the VPN concentrator' });
    const missing = await cli(['jira', 'issue', 'attach', key, join(dir, 'nope.log')], env);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/^AttachmentSourceError: The file ".*nope\.log" does not exist/) });
    const unknown = await cli(['jira', 'issue', 'attach', 'OPS-999', join(dir, 'app.log'), '--json'], env);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ name: 'NotFoundError', status: 404, platform: 'jira' });
    const limit = sandbox.jira.fake.attachments.uploadLimitBytes;
    sandbox.jira.fake.attachments.uploadLimitBytes = 10;
    try {
      const tooLarge = await cli(['jira', 'issue', 'attach', key, join(dir, 'app.log'), '--json'], env);
      expect(tooLarge.code).toBe(2);
      expect(JSON.parse(tooLarge.stderr).error).toMatchObject({ name: 'AttachmentTooLargeError', sizeBytes: 14, limitBytes: 10, source: 'client', exitCode: 2 });
    } finally {
      sandbox.jira.fake.attachments.uploadLimitBytes = limit;
    }
  });
});
