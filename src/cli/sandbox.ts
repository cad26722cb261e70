import { ConfigError } from '../core/index.js';
import { type RunningService, startSandbox } from '../testing/index.js';
import type { CommandGroup } from './context.js';
import { EXIT } from './exit-codes.js';

/** The environment variable a sandbox credential maps to (`jira` + `apiToken` -> `ITSMKIT_JIRA_API_TOKEN`). */
function envName(service: string, key: string): string {
  return `ITSMKIT_${service}_${key.replace(/[A-Z]/g, (c) => `_${c}`)}`.toUpperCase();
}

/**
 * `itsmkit sandbox`: the fake ServiceNow and Jira on loopback ports, with
 * their URLs, demo credentials and the environment to point the other
 * commands at them; runs until Ctrl-C.
 */
export const sandboxCommands: CommandGroup = {
  name: 'sandbox',
  settings: [],
  register(program, ctx) {
    program
      .command('sandbox')
      .description('start the fake ServiceNow, Jira, data-sources API and tickets API on loopback (no network, demo credentials) until Ctrl-C')
      .option('--port <port>', 'first port; services take consecutive ones (0: free ports)', '4010')
      .option('--host <host>', 'interface to listen on', '127.0.0.1')
      .action(
        ctx.action(async ({ options, flags }) => {
          const port = Number(options['port']);
          if (!Number.isInteger(port) || port < 0 || port > 65535) {
            throw new ConfigError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(options['port'])}`);
          }
          let sandbox;
          try {
            sandbox = await startSandbox({ port, host: String(options['host']) });
          } catch (error) {
            const code = (error as { code?: unknown }).code;
            if (code === 'EADDRINUSE') {
              // An environment error, not a failed operation: exit 2 like a usage error (ConfigError), JSON under --json.
              throw new ConfigError(`port ${port} (or the next one) is in use: pass --port <other> or --port 0 for free ports`, [], { cause: error });
            }
            throw error;
          }
          const running = (Object.entries(sandbox) as [string, unknown][]).filter((entry): entry is [string, RunningService<unknown>] => typeof entry[1] === 'object');
          const services = Object.fromEntries(
            running.map(([name, s]) => {
              const env: Record<string, string> = { [envName(name, 'url')]: s.url };
              for (const [key, value] of Object.entries(s.credentials)) env[envName(name, key)] = value;
              return [name, { url: s.url, credentials: s.credentials, env }];
            }),
          );
          ctx.out.result(flags.json, { services }, () => [
            'itsmkit sandbox: fake services on loopback (no network; demo credentials, never real ones)',
            '',
            ...Object.entries(services).flatMap(([name, s]) => [
              `  ${name.padEnd(11)} ${s.url}`,
              `  ${''.padEnd(11)} ${Object.entries(s.credentials).map(([k, v]) => `${k}=${v}`).join('  ')}`,
            ]),
            '',
            'Point the other commands at it:',
            ...Object.values(services).flatMap((s) => Object.entries(s.env).filter(([k]) => !/CLIENT_(ID|SECRET)$/.test(k)).map(([k, v]) => `  export ${k}=${v}`)),
            '',
            'Press Ctrl-C to stop.',
          ]);
          await new Promise<void>((resolve) => {
            if (ctx.signal.aborted) resolve();
            else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          await sandbox.close();
          if (!flags.json) ctx.out.stderr('sandbox stopped\n');
          return EXIT.ok;
        }),
      );
  },
};
