import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { VERSION } from '../../src/version.js';
import { cli, configFile, deadUrl, sandboxEnv } from './helpers.js';

let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox);
});
afterAll(() => sandbox.close());

const LEAVES = [
  ['sandbox'],
  ['servicenow', 'test'],
  ['servicenow', 'incident', 'create'],
  ['servicenow', 'incident', 'get'],
  ['servicenow', 'incident', 'search'],
  ['servicenow', 'incident', 'update'],
  ['servicenow', 'incident', 'work-note'],
  ['servicenow', 'incident', 'comment'],
  ['servicenow', 'incident', 'resolve'],
  ['servicenow', 'incident', 'close'],
  ['jira', 'test'],
  ['jira', 'issue', 'create'],
  ['jira', 'issue', 'get'],
  ['jira', 'issue', 'search'],
  ['jira', 'issue', 'comment'],
  ['jira', 'issue', 'transition'],
  ['jira', 'issue', 'assign'],
];

describe('usage', () => {
  it('prints help for the program and every command, exit 0', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: itsmkit');
    expect(top.stdout).toContain('Exit codes: 0 ok, 1 the operation failed, 2 usage');
    for (const path of [...LEAVES, ['servicenow'], ['servicenow', 'incident'], ['jira'], ['jira', 'issue']]) {
      const r = await cli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: itsmkit ${path.join(' ')}`);
      // Every platform command lists its connection settings.
      if (LEAVES.includes(path) && path[0] !== 'sandbox') expect(r.stdout, path.join(' ')).toMatch(/Connection \(flag > environment > config file\):\n {2}--url <url>/);
    }
    const leaf = await cli(['servicenow', 'incident', 'create', '--help']);
    expect(leaf.stdout).toContain('--short-description <text>');
    expect(leaf.stdout).toContain('[env ITSMKIT_SERVICENOW_URL]');
    expect(leaf.stdout).toContain('--json');
  });

  it('prints the version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('exits 2 on a missing command, an unknown command, an unknown option or a missing required option', async () => {
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['servicenw']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain("unknown command 'servicenw'");
    expect(unknown.stderr).toContain('servicenow');
    expect((await cli(['jira', 'test', '--no-such-flag'], env)).code).toBe(2);
    const missing = await cli(['jira', 'issue', 'create', '--project', 'OPS', '--type', 'Task'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--summary <text>' not specified");
  });

  it('with --json, a usage error is one JSON document on stderr, exit 2', async () => {
    const unknown = await cli(['servicenw', '--json']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(unknown.stderr)).toEqual({
      error: { name: 'UsageError', message: expect.stringContaining("unknown command 'servicenw'"), code: 'commander.unknownCommand', exitCode: 2 },
    });
    const missing = await cli(['jira', 'issue', 'create', '--project', 'OPS', '--type', 'Task', '--json'], env);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ name: 'UsageError', message: "required option '--summary <text>' not specified", exitCode: 2 });
    const none = await cli(['--json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stderr).error).toMatchObject({ name: 'UsageError', code: 'commander.help', exitCode: 2 });
    const count = await cli(['servicenow', 'incident', 'search', '--limit', 'ten', '--json'], env);
    expect(count.code).toBe(2);
    expect(JSON.parse(count.stderr).error).toMatchObject({ name: 'ConfigError', exitCode: 2 });
  });

  it('exits 2 when a count flag is not a number', async () => {
    const r = await cli(['servicenow', 'incident', 'search', '--limit', 'ten'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ConfigError: Invalid option: --limit: must be a non-negative integer, got "ten"\n');
  });
});

describe('servicenow', () => {
  it('test: human and --json output', async () => {
    const human = await cli(['servicenow', 'test'], env);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(new RegExp(`^ok: connected to ${sandbox.servicenow.url} \\(1 attempt, \\d+ ms\\)\\n$`));
    const json = await cli(['servicenow', 'test', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, instanceUrl: sandbox.servicenow.url, retry: { attempts: 1, elapsedMs: expect.any(Number), delaysMs: [] } });
  });

  it('incident create, get and search with --json', async () => {
    const created = await cli(
      ['servicenow', 'incident', 'create', '--short-description', 'VPN down in Zurich', '--urgency', 'high', '--impact', 'medium', '--correlation-id', 'cli-corr-1', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const incident = JSON.parse(created.stdout);
    expect(incident).toMatchObject({ shortDescription: 'VPN down in Zurich', urgency: 'high', impact: 'medium', priority: 'high', state: 'new', correlationId: 'cli-corr-1', custom: {} });
    expect(incident.number).toMatch(/^INC\d{7}$/);
    expect(incident.sysId).toMatch(/^[0-9a-f]{32}$/);
    expect(incident).not.toHaveProperty('raw');
    const row = sandbox.servicenow.fake.store.find('incident', incident.sysId);
    expect(row).toMatchObject({ short_description: 'VPN down in Zurich', urgency: '1', impact: '2', correlation_id: 'cli-corr-1' });

    // Run again (a new process, so a new memory store): the incident is found by its correlation id, not created twice.
    const again = await cli(['servicenow', 'incident', 'create', '--short-description', 'VPN down in Zurich', '--urgency', 'high', '--impact', 'medium', '--correlation-id', 'cli-corr-1'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^already exists \(same correlation id\): nothing created\n/);
    expect(again.stdout).toContain(incident.number);
    expect(sandbox.servicenow.fake.table('incident').filter((r) => r['correlation_id'] === 'cli-corr-1')).toHaveLength(1);
    expect(incident.created).toBe(true);

    const got = await cli(['servicenow', 'incident', 'get', incident.number, '--fields', 'number,short_description', '--json'], env);
    expect(got.code).toBe(0);
    // sys_id is always asked for, so the record has its id even when --fields leaves it out.
    expect(JSON.parse(got.stdout)).toEqual({ sysId: incident.sysId, number: incident.number, shortDescription: 'VPN down in Zurich', custom: {}, retry: { attempts: 1, elapsedMs: expect.any(Number), delaysMs: [] } });

    const search = await cli(['servicenow', 'incident', 'search', '--correlation-id', 'cli-corr-1', '--active', '--json'], env);
    expect(search.code).toBe(0);
    const page = JSON.parse(search.stdout);
    expect(page).toMatchObject({ total: 1, nextOffset: null });
    expect(page.records.map((r: { number: string }) => r.number)).toEqual([incident.number]);

    const human = await cli(['servicenow', 'incident', 'search', '--correlation-id', 'cli-corr-1'], env);
    expect(human.stdout).toContain(`${incident.number}  `);
    expect(human.stdout).toContain('1 shown of 1');
  });

  it('a record that does not exist is exit 1 with the status; bad input is exit 2 and nothing is sent', async () => {
    const missing = await cli(['servicenow', 'incident', 'get', 'INC0999999'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^NotFoundError: servicenow GET .* failed with 404: No Record found\n {2}status 404\n$/);
    const before = sandbox.servicenow.fake.requests.length;
    const bad = await cli(['servicenow', 'incident', 'search', '--state', 'open'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ValidationError: Invalid incident search: state: must be one of new, inProgress');
    expect(sandbox.servicenow.fake.requests.length).toBe(before);
  });

  it('wrong credentials: AuthError with status, exit 1; --json puts the error on stderr as JSON', async () => {
    const r = await cli(['servicenow', 'test', '--json'], { ...env, ITSMKIT_SERVICENOW_PASSWORD: 'wrong-password' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const { error } = JSON.parse(r.stderr);
    expect(error).toMatchObject({ name: 'AuthError', status: 401, exitCode: 1, method: 'GET', platform: 'servicenow', retry: { attempts: 1 } });
    expect(error.url).toContain('/api/now/table/incident');
  });
});

describe('jira', () => {
  it('test, issue create, get and search with --json', async () => {
    const test = await cli(['jira', 'test', '--json'], env);
    expect(test.code).toBe(0);
    expect(JSON.parse(test.stdout)).toMatchObject({ ok: true, deployment: 'cloud', user: { displayName: expect.any(String) } });

    const created = await cli(['jira', 'issue', 'create', '--project', 'OPS', '--type', 'Incident', '--summary', 'Disk full on db-1', '--labels', 'database,cli', '--correlation-key', 'cli-1', '--json'], env);
    expect(created.code).toBe(0);
    const issue = JSON.parse(created.stdout);
    expect(issue).toEqual({ id: expect.any(String), key: expect.stringMatching(/^OPS-\d+$/), self: expect.any(String), created: true, reconciled: false, retry: { attempts: 1, elapsedMs: expect.any(Number), delaysMs: [] } });
    expect(sandbox.jira.fake.issue(issue.key)?.fields['labels']).toEqual(['database', 'cli', 'itsmkit-corr-cli-1']);

    const got = await cli(['jira', 'issue', 'get', issue.key, '--json'], env);
    expect(JSON.parse(got.stdout)).toMatchObject({ key: issue.key, summary: 'Disk full on db-1', issueType: { name: 'Incident' }, status: { name: 'To Do' } });
    expect(JSON.parse(got.stdout)).not.toHaveProperty('raw');

    const search = await cli(['jira', 'issue', 'search', 'project = OPS AND labels = cli', '--json'], env);
    expect(search.code).toBe(0);
    expect(JSON.parse(search.stdout).issues.map((i: { key: string }) => i.key)).toEqual([issue.key]);
    const human = await cli(['jira', 'issue', 'search', 'project = OPS AND labels = cli'], env);
    expect(human.stdout).toMatch(new RegExp(`^${issue.key} +\\[To Do\\] +Disk full on db-1\\n1 issue\\n$`));
  });

  it('an unbounded JQL query is exit 2 before any request', async () => {
    const r = await cli(['jira', 'issue', 'search', 'ORDER BY created'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ValidationError: Invalid search: jql: Jira Cloud refuses unbounded queries');
  });

  it('a wrong API token fails the connection test with exit 1', async () => {
    const r = await cli(['jira', 'test'], { ...env, ITSMKIT_JIRA_API_TOKEN: 'not-the-token' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^AuthError: jira GET .*\/rest\/api\/3\/myself failed with 401/);
  });
});

describe('configuration', () => {
  it('flag > environment > config file, for the URL and for credentials', async () => {
    const dead = await deadUrl();
    const sn = sandbox.servicenow;
    const fast = ['--retries', '0'];
    // flag beats env
    expect((await cli(['servicenow', 'test', '--url', sn.url, ...fast], { ...env, ITSMKIT_SERVICENOW_URL: dead })).code).toBe(0);
    expect((await cli(['servicenow', 'test', '--url', dead, ...fast], env)).code).toBe(1);
    // env beats config file
    const good = configFile({ servicenow: { url: sn.url, username: 'admin', password: 'sandbox-password' } });
    expect((await cli(['servicenow', 'test', '--config', good, ...fast], { ITSMKIT_SERVICENOW_URL: dead })).code).toBe(1);
    // the config file alone is enough
    expect((await cli(['servicenow', 'test', '--config', good])).code).toBe(0);
    // credentials: a wrong password in the file is overridden by the environment, a wrong one in the environment by the flag
    const wrongPassword = configFile({ servicenow: { url: sn.url, username: 'admin', password: 'wrong-one' } });
    expect((await cli(['servicenow', 'test', '--config', wrongPassword])).code).toBe(1);
    expect((await cli(['servicenow', 'test', '--config', wrongPassword], { ITSMKIT_SERVICENOW_PASSWORD: 'sandbox-password' })).code).toBe(0);
    expect((await cli(['servicenow', 'test', '--config', wrongPassword, '--password', 'sandbox-password'], { ITSMKIT_SERVICENOW_PASSWORD: 'wrong-two' })).code).toBe(0);
  });

  it('--verbose says where each setting came from, never a secret value, and traces requests', async () => {
    const file = configFile({ servicenow: { username: 'admin' }, jira: { url: 'https://unused.example.com' } });
    const r = await cli(['servicenow', 'test', '--verbose', '--url', sandbox.servicenow.url, '--config', file], { ITSMKIT_SERVICENOW_PASSWORD: 'sandbox-password' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('# servicenow.url from flag --url\n');
    expect(r.stderr).toContain('# servicenow.username from config servicenow.username\n');
    expect(r.stderr).toContain('# servicenow.password from env ITSMKIT_SERVICENOW_PASSWORD (secret, not shown)\n');
    expect(r.stderr).toMatch(new RegExp(`> GET ${sandbox.servicenow.url}/api/now/table/incident\\?\\S+ \\(attempt 1\\): 200 in \\d+ ms\\n`));
  });

  it('reads the config file named by ITSMKIT_CONFIG, and relative --config paths from cwd', async () => {
    const file = configFile({ jira: { url: sandbox.jira.url, email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
    expect((await cli(['jira', 'test'], { ITSMKIT_CONFIG: file })).code).toBe(0);
    const dir = file.slice(0, file.lastIndexOf('/'));
    expect((await cli(['jira', 'test', '--config', 'itsmkit.json'], {}, { cwd: dir })).code).toBe(0);
  });

  it('a config file with an unknown key, a wrong type, bad JSON or no file at all is exit 2 with the reason', async () => {
    const typo = await cli(['servicenow', 'test', '--config', configFile({ servicenow: { url: sandbox.servicenow.url, usename: 'admin' } })]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^ConfigError: Invalid config file .*itsmkit\.json: servicenow\.usename: unknown key "usename"\n$/);
    const type = await cli(['servicenow', 'test', '--config', configFile({ retries: 'three' })]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('retries: ');
    const json = await cli(['servicenow', 'test', '--config', configFile('{ "servicenow": ')]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('is not valid JSON');
    const none = await cli(['servicenow', 'test', '--config', '/no/such/itsmkit.json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('ConfigError: Cannot read the config file /no/such/itsmkit.json (ENOENT)\n');
  });

  it('a missing URL or missing credentials name every way to set them, exit 2', async () => {
    const noUrl = await cli(['servicenow', 'test']);
    expect(noUrl).toMatchObject({ code: 2, stdout: '' });
    expect(noUrl.stderr).toBe(
      'ConfigError: Missing ServiceNow URL: servicenow.url: set --url, ITSMKIT_SERVICENOW_URL or "servicenow.url" in the config file\n',
    );
    const noCredentials = await cli(['servicenow', 'test', '--url', sandbox.servicenow.url]);
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain('ConfigError: Missing ServiceNow credentials');
    expect(noCredentials.stderr).toContain('ITSMKIT_SERVICENOW_PASSWORD');
    const noPassword = await cli(['servicenow', 'test', '--url', sandbox.servicenow.url, '--username', 'admin']);
    expect(noPassword.stderr).toBe(
      'ConfigError: Missing ServiceNow credentials: servicenow.password: set --password, ITSMKIT_SERVICENOW_PASSWORD or "servicenow.password" in the config file\n',
    );
    const jira = await cli(['jira', 'test', '--url', sandbox.jira.url, '--email', 'demo@example.com']);
    expect(jira.code).toBe(2);
    expect(jira.stderr).toContain('jira.apiToken: set --api-token, ITSMKIT_JIRA_API_TOKEN');
  });

  it('a malformed URL names the setting and where it came from, exit 2', async () => {
    const r = await cli(['servicenow', 'test', '--url', 'acme.service-now.com'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ConfigError: Invalid configuration: servicenow.url (from flag --url): is not an absolute URL such as https://acme.service-now.com\n',
    );
    const path = await cli(['servicenow', 'test'], { ...env, ITSMKIT_SERVICENOW_URL: `${sandbox.servicenow.url}/api/now` });
    expect(path.stderr).toContain('servicenow.url (from env ITSMKIT_SERVICENOW_URL): is the instance root');
    const auth = await cli(['servicenow', 'test', '--auth', 'kerberos'], env);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toContain('servicenow.auth (from flag --auth): must be basic, bearer, apiKey or oauth, got "kerberos"');
  });

  it('an unreachable instance is a ConnectionError naming --url, exit 1, at once (no retries, whatever --retries says)', async () => {
    const r = await cli(['servicenow', 'test', '--url', await deadUrl(), '--retries', '3', '--json'], env);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stderr);
    expect(error).toMatchObject({ name: 'ConnectionError', exitCode: 1, retry: { attempts: 1 } });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toMatch(/Nothing accepts connections at 127\.0\.0\.1:\d+: check the host and port of servicenow\.url \(from flag --url\), and that the service is running/);
    // The SDK's option stays, with the CLI setting for it.
    expect(error).toMatchObject({ reason: 'refused', option: 'instanceUrl', setting: { key: 'servicenow.url', flag: '--url', env: 'ITSMKIT_SERVICENOW_URL', source: 'flag --url' } });
    const human = await cli(['jira', 'test'], { ...env, ITSMKIT_JIRA_URL: await deadUrl() });
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^ConnectionError: jira GET http:\/\/127\.0\.0\.1:\d+\/rest\/api\/3\/myself: network failure \(ECONNREFUSED\)\. Nothing accepts connections at 127\.0\.0\.1:\d+: check the host and port of jira\.url \(from env ITSMKIT_JIRA_URL\), and that the service is running\n$/);
  });
});
