import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { cli } from './helpers.js';

/** Starts `itsmkit sandbox` in-process and resolves what it printed first, plus a stop function. */
async function startCommand(argv: string[]) {
  const stop = new AbortController();
  let stdout = '';
  let stderr = '';
  let printed!: () => void;
  const ready = new Promise<void>((resolve) => (printed = resolve));
  const exit = run(['sandbox', '--port', '0', ...argv], {
    env: {},
    signal: stop.signal,
    stdout: { write: (s: string) => ((stdout += s), printed()) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  await Promise.race([ready, exit]);
  return { stdout: () => stdout, stderr: () => stderr, stop: async () => (stop.abort(), exit) };
}

describe('itsmkit sandbox', () => {
  it('--json prints URLs, demo credentials and the environment, serves both fakes, and stops on abort with exit 0', async () => {
    const sandbox = await startCommand(['--json']);
    const { services } = JSON.parse(sandbox.stdout());
    expect(Object.keys(services)).toEqual(['servicenow', 'jira', 'datasources', 'tickets']);
    expect(services.servicenow).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      credentials: { username: 'admin', password: 'sandbox-password' },
      env: { ITSMKIT_SERVICENOW_URL: services.servicenow.url, ITSMKIT_SERVICENOW_USERNAME: 'admin', ITSMKIT_SERVICENOW_PASSWORD: 'sandbox-password' },
    });
    expect(services.jira.env).toEqual({ ITSMKIT_JIRA_URL: services.jira.url, ITSMKIT_JIRA_EMAIL: 'demo@example.com', ITSMKIT_JIRA_API_TOKEN: 'sandbox-api-token' });

    // The printed environment is all the other commands need.
    const env = { ...services.servicenow.env, ...services.jira.env };
    expect((await cli(['servicenow', 'test'], env)).code).toBe(0);
    expect((await cli(['jira', 'test'], env)).code).toBe(0);

    expect(await sandbox.stop()).toBe(0);
    expect((await cli(['servicenow', 'test', '--retries', '0'], env)).code).toBe(1);
  });

  it('prints export lines and how to stop it for people', async () => {
    const sandbox = await startCommand([]);
    expect(sandbox.stdout()).toMatch(/^ {2}export ITSMKIT_SERVICENOW_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(sandbox.stdout()).toContain('  export ITSMKIT_JIRA_API_TOKEN=sandbox-api-token\n');
    expect(sandbox.stdout()).toContain('Press Ctrl-C to stop.');
    expect(await sandbox.stop()).toBe(0);
    expect(sandbox.stderr()).toBe('sandbox stopped\n');
  });

  it('a port in use is exit 2 (an environment error) with a hint; a bad port is exit 2', async () => {
    const first = await startCommand(['--json']);
    const port = new URL(JSON.parse(first.stdout()).services.servicenow.url).port;
    const busy = await cli(['sandbox', '--port', port]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`port ${port} (or the next one) is in use: pass --port <other> or --port 0`);
    const busyJson = await cli(['sandbox', '--port', port, '--json']);
    expect(busyJson).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(busyJson.stderr)).toEqual({ error: { name: 'ConfigError', message: expect.stringContaining(`port ${port} (or the next one) is in use`), exitCode: 2, issues: [] } });
    await first.stop();
    expect((await cli(['sandbox', '--port', 'eighty'])).code).toBe(2);
    const bad = await cli(['sandbox', '--port', 'eighty', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error).toMatchObject({ name: 'ConfigError', message: '--port must be an integer from 0 to 65535, got "eighty"', exitCode: 2 });
  });
});
