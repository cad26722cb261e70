import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunOptions } from '../../src/cli/run.js';
import type { Sandbox } from '../../src/testing/sandbox.js';

/** What one in-process CLI run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and only the environment given (never the test process's). */
export async function cli(argv: readonly string[], env: Record<string, string> = {}, options: Omit<RunOptions, 'stdout' | 'stderr' | 'env'> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    ...options,
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** The environment that points the CLI at the sandbox with its demo credentials. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  return {
    ITSMKIT_SERVICENOW_URL: sandbox.servicenow.url,
    ITSMKIT_SERVICENOW_USERNAME: sandbox.servicenow.credentials['username'] as string,
    ITSMKIT_SERVICENOW_PASSWORD: sandbox.servicenow.credentials['password'] as string,
    ITSMKIT_JIRA_URL: sandbox.jira.url,
    ITSMKIT_JIRA_EMAIL: sandbox.jira.credentials['email'] as string,
    ITSMKIT_JIRA_API_TOKEN: sandbox.jira.credentials['apiToken'] as string,
    ITSMKIT_DATASOURCES_URL: sandbox.datasources.url,
    ITSMKIT_DATASOURCES_TOKEN: sandbox.datasources.credentials['token'] as string,
  };
}

/** Text as the CLI's stdin. */
export async function* stdinOf(text: string): AsyncIterable<string> {
  yield text;
}

/** A loopback URL nothing listens on (a port that was just free). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Writes a JSON config file in a fresh directory and returns its path. */
export function configFile(content: unknown, name = 'itsmkit.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'itsmkit-cli-'));
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
