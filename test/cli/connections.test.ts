import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { cli, configFile, stdinOf, type CliResult } from './helpers.js';

const CANARY = 'canary-Cred-8d2f4b1e';

let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = { ITSMKIT_DATASOURCES_URL: sandbox.datasources.url, ITSMKIT_DATASOURCES_TOKEN: 'demo-member-token' };
});
afterAll(() => sandbox.close());

function expectNoCanary(r: CliResult): void {
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain(CANARY);
}

const credentials = (apiToken: string) => configFile({ credentials: { email: 'bot@example.com', apiToken }, config: { projects: ['OPS'] } }, 'credentials.json');

describe('itsmkit connections', () => {
  it('has help for the group and every command', async () => {
    for (const path of [['connections'], ...['seed', 'list', 'enable', 'disable', 'verify', 'sync'].map((c) => ['connections', c])]) {
      const r = await cli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: itsmkit ${path.join(' ')}`);
    }
    const verify = await cli(['connections', 'verify', '--help']);
    expect(verify.stdout).toContain('--credentials <path>');
    expect(verify.stdout).toContain('[env ITSMKIT_DATASOURCES_TOKEN]');
    expect((await cli(['connections', 'sync', '--help'])).stdout).toContain('--wait');
  });

  it('seed, list (human and --json, filtered) and enable', async () => {
    const empty = await cli(['connections', 'list'], env);
    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(empty.stdout).toContain('0 connections (a new organization has none until "itsmkit connections seed")');

    const seeded = await cli(['connections', 'seed', '--json'], env);
    expect(JSON.parse(seeded.stdout)).toMatchObject({ created: 6, existing: 0 });
    expect((await cli(['connections', 'seed'], env)).stdout).toBe('created 0, 6 existed already\n');

    const list = await cli(['connections', 'list', '--json'], env);
    const { connections } = JSON.parse(list.stdout);
    expect(connections.map((c: { type: string }) => c.type)).toEqual(['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira']);
    expect(connections[0]).toMatchObject({ status: 'idle', enabled: false, lastSyncStatus: null, lastVerificationAt: null });

    const jira = await cli(['connections', 'list', '--type', 'jira'], env);
    expect(jira.stdout).toMatch(/^jira +idle +disabled +Jira {2}\([0-9a-f-]{36}\)\n +never synced; not verified\n1 connection\n$/);

    const enabled = await cli(['connections', 'enable', 'jira', '--json'], env);
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout)).toMatchObject({ type: 'jira', enabled: true });
    expect((await cli(['connections', 'list', '--enabled', '--json'], env)).stdout).toContain('"type": "jira"');
    const bad = await cli(['connections', 'list', '--status', 'sleeping'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^HttpError: datasources GET .* failed with 400/);
  });

  it('a sync of a connection that was never verified is refused (409), exit 1', async () => {
    const r = await cli(['connections', 'sync', 'jira', '--wait'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed with 409: Connection not configured');
  });

  it('verify --wait reads credentials from a file, sends them, shows the live status and the result, and never prints them', async () => {
    const org = sandbox.datasources.fake.actors.member.organizationId;
    const file = credentials(CANARY);
    for (const flags of [[], ['--verbose']]) {
      const r = await cli(['connections', 'verify', 'jira', '--credentials', file, '--wait', ...flags], env);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('jira "Jira": verifying (verify requested)');
      expect(r.stderr).toContain('jira "Jira": idle (verification success)');
      expect(r.stdout).toMatch(/^jira "Jira": verified \S+Z; projects: OPS, SUP\n$/);
      expectNoCanary(r);
    }
    const id = (await sandbox.datasources.fake.store.list(org, { type: 'jira' }))[0]!.id;
    expect(sandbox.datasources.fake.syncService.hasCredentials(org, id, 'jira')).toBe(true);
    const json = await cli(['connections', 'verify', id, '--credentials', file, '--wait', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ id, type: 'jira', ok: true, state: { status: 'idle', lastVerificationError: null, latestOptions: { projects: ['OPS', 'SUP'] } } });
    expectNoCanary(json);
  });

  it('verify takes credentials on stdin; a rejected verification is exit 1 with the reason, credentials still unprinted', async () => {
    const body = JSON.stringify({ apiToken: 'invalid', password: CANARY });
    const r = await cli(['connections', 'verify', 'confluence', '--credentials', '-', '--wait', '--verbose'], env, { stdin: stdinOf(body) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^confluence "Confluence": verification failed \S+: Invalid API token or insufficient permissions\n$/);
    expectNoCanary(r);
    const started = await cli(['connections', 'verify', 'confluence', '--credentials', '-', '--json'], env, { stdin: stdinOf(JSON.stringify({ credentials: { token: CANARY } })) });
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ status: 'verifying', message: 'Verification in progress' });
    expectNoCanary(started);
  });

  it('a credentials file that is not JSON, not an object or missing is exit 2 without echoing it', async () => {
    const broken = await cli(['connections', 'verify', 'jira', '--credentials', '-'], env, { stdin: stdinOf(`{"apiToken": ${CANARY}}`) });
    expect(broken).toMatchObject({ code: 2, stderr: 'ConfigError: The credentials is not valid JSON\n' });
    const list = await cli(['connections', 'verify', 'jira', '--credentials', '-'], env, { stdin: stdinOf(`["${CANARY}"]`) });
    expect(list.code).toBe(2);
    expectNoCanary(list);
    const missing = await cli(['connections', 'verify', 'jira', '--credentials', '/no/such/credentials.json'], env);
    expect(missing).toMatchObject({ code: 2, stderr: 'ConfigError: Cannot read --credentials /no/such/credentials.json (ENOENT)\n' });
    expect((await cli(['connections', 'verify', 'jira'], env)).stderr).toContain("required option '--credentials <path>' not specified");
  });

  it('sync --wait follows the sync live and prints the end state; --json prints the final state only', async () => {
    const human = await cli(['connections', 'sync', 'jira', '--wait'], env);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('jira "Jira": syncing (sync requested)');
    expect(human.stderr).toContain('jira "Jira": idle (sync completed, 42 documents)');
    expect(human.stdout).toMatch(/^jira "Jira": synced \S+Z(, 42 documents)?\n$/);

    const json = await cli(['connections', 'sync', 'jira', '--wait', '--json'], env);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ status: 'syncing', ok: true, state: { status: 'idle', lastSyncStatus: 'completed', lastSyncError: null } });
    expect(Date.parse(out.state.lastSyncAt)).toBeGreaterThanOrEqual(Date.parse(out.triggeredAt));

    const tickets = await cli(['connections', 'sync', 'jira', '--tickets', '--json'], env);
    expect(JSON.parse(tickets.stdout)).toMatchObject({ status: 'syncing', triggeredAt: expect.any(String) });
  });

  it('a failed sync is exit 1 with its error; ticket sync of a knowledge source is exit 2 before any request', async () => {
    const sync = sandbox.datasources.fake.syncService;
    sync.failSyncsWith = 'Jira answered 503';
    try {
      // the ticket sync started above may still be running: wait for it with a forced start
      const r = await cli(['connections', 'sync', 'jira', '--wait', '--force'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^jira "Jira": sync failed \S+: Jira answered 503\n$/);
      const json = await cli(['connections', 'sync', 'jira', '--wait', '--json', '--force'], env);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, state: { lastSyncStatus: 'failed', lastSyncError: 'Jira answered 503' } });
    } finally {
      sync.failSyncsWith = undefined;
    }
    const websearch = await cli(['connections', 'sync', 'websearch', '--tickets'], env);
    expect(websearch.code).toBe(2);
    expect(websearch.stderr).toContain("type: 'websearch' is not one of: servicenow_itsm, jira");
  });

  it('settings: missing URL or token is exit 2 naming them; a wrong token is exit 1; the token is never printed', async () => {
    const none = await cli(['connections', 'list']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('datasources.url: set --url, ITSMKIT_DATASOURCES_URL or "datasources.url" in the config file');
    expect(none.stderr).toContain('datasources.token: set --token, ITSMKIT_DATASOURCES_TOKEN');
    const wrong = await cli(['connections', 'list', '--verbose'], { ...env, ITSMKIT_DATASOURCES_TOKEN: CANARY });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('AuthError');
    expectNoCanary(wrong);
    const flag = await cli(['connections', 'list', '--json', '--token', CANARY], { ITSMKIT_DATASOURCES_URL: sandbox.datasources.url });
    expect(flag.code).toBe(1);
    expectNoCanary(flag);
    const file = configFile({ datasources: { url: sandbox.datasources.url, token: 'demo-member-token' } });
    expect((await cli(['connections', 'list', '--config', file])).code).toBe(0);
    const unknown = await cli(['connections', 'sync', '6f1c2b9a-0000-4000-8000-00000000ffff'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('failed with 404');
  });

});
