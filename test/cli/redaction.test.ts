import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { cli, configFile, sandboxEnv, type CliResult } from './helpers.js';

const CANARY = 'canary-Pw-5f1e9c7a';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

function expectNoCanary(r: CliResult): void {
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain(CANARY);
}

describe('secrets never appear in any output', () => {
  it('from the environment, a flag or the config file, on success and failure, human, --json and --verbose', async () => {
    const env = sandboxEnv(sandbox);
    const file = configFile({ servicenow: { url: sandbox.servicenow.url, username: 'admin', password: CANARY }, jira: { url: sandbox.jira.url, email: 'demo@example.com', apiToken: CANARY } });
    const runs: [string[], Record<string, string>, number?][] = [
      [['servicenow', 'test'], { ...env, ITSMKIT_SERVICENOW_PASSWORD: CANARY }],
      [['servicenow', 'test', '--json'], { ...env, ITSMKIT_SERVICENOW_PASSWORD: CANARY }],
      [['servicenow', 'test', '--verbose'], { ...env, ITSMKIT_SERVICENOW_PASSWORD: CANARY }],
      [['servicenow', 'test', '--verbose', '--password', CANARY], env],
      [['servicenow', 'test', '--verbose', `--password=${CANARY}`], env],
      [['servicenow', 'incident', 'create', '--short-description', 'x', '--json', '--verbose'], { ...env, ITSMKIT_SERVICENOW_PASSWORD: CANARY }],
      [['servicenow', 'test', '--verbose', '--config', file], {}],
      [['servicenow', 'test', '--auth', 'bearer', '--token', CANARY, '--verbose'], env],
      [['servicenow', 'test', '--auth', 'apiKey', '--api-key', CANARY, '--json'], env],
      [['jira', 'test', '--verbose'], { ...env, ITSMKIT_JIRA_API_TOKEN: CANARY }],
      // Jira treats rejected credentials on search as anonymous: an empty result, exit 0.
      [['jira', 'issue', 'search', 'project = OPS', '--json', '--verbose', '--config', file], {}, 0],
      [['jira', 'test', '--token', CANARY, '--verbose'], env],
    ];
    for (const [argv, runEnv, code = 1] of runs) {
      const r = await cli(argv, runEnv);
      expect(r.code, argv.join(' ')).toBe(code);
      expectNoCanary(r);
    }
  });

  it('even when a usage error echoes the arguments', async () => {
    const r = await cli(['servicenow', 'test', '--password', CANARY, CANARY], sandboxEnv(sandbox));
    expect(r.code).toBe(2);
    expectNoCanary(r);
    const unknown = await cli([CANARY], { ITSMKIT_JIRA_API_TOKEN: CANARY });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command '[REDACTED]'");
    expectNoCanary(unknown);
    const json = await cli([CANARY, '--json'], { ITSMKIT_JIRA_API_TOKEN: CANARY });
    expect(JSON.parse(json.stderr).error.message).toContain("unknown command '[REDACTED]'");
    expectNoCanary(json);
  });

  it('in a URL carrying credentials', async () => {
    const r = await cli(['servicenow', 'test', '--url', `https://admin:${CANARY}@acme.service-now.com`, '--password', CANARY, '--username', 'admin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('servicenow.url (from flag --url): must not carry credentials');
    expectNoCanary(r);
  });
});
