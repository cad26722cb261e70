import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, PROXY_VARIABLES } from '../core/index.js';
import { VERSION } from '../version.js';
import type { CliContext, GlobalFlags, Invocation } from './context.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { urlPassword } from './network.js';
import { OptionNames } from './option-names.js';
import { Output, type TextSink } from './output.js';
import { commandGroups } from './registry.js';
import { describeError, errorJson, exitCodeFor } from './report-error.js';
import { CONFIG_ENV, flagName, loadConfigFile, resolveSettings, type ConfigData, type Setting } from './settings.js';

/** Where {@link run} reads and writes; every field defaults to the process's own. */
export interface RunOptions {
  /** @default process.stdout */
  readonly stdout?: TextSink;
  /** @default process.stderr */
  readonly stderr?: TextSink;
  /** What `-` reads for commands that take input on stdin. @default process.stdin */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative `--config` paths resolve against it. @default process.cwd() */
  readonly cwd?: string;
  /** Ends long-running commands (`sandbox`). The bin aborts it on SIGINT/SIGTERM. @default never aborted */
  readonly signal?: AbortSignal;
}

/**
 * Runs the `itsmkit` CLI in-process and resolves its exit code (see
 * `exit-codes.ts`); never calls `process.exit`.
 *
 * @example
 * const code = await run(['servicenow', 'test', '--json'], { env: { ITSMKIT_SERVICENOW_URL: url, ... } });
 */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const out = new Output(options.stdout ?? process.stdout, options.stderr ?? process.stderr);
  const cwd = options.cwd ?? process.cwd();
  const allSettings = commandGroups.flatMap((g) => g.settings);
  registerKnownSecrets(out, allSettings, argv, env);
  const flags = globalFlags(argv);
  const optionNames = new OptionNames();
  let exitCode: ExitCode = EXIT.ok;
  let configFile: Promise<{ path: string; data: ConfigData } | undefined> | undefined;

  const program = new Command('itsmkit')
    .description('ServiceNow, Jira and data-source connections from the command line; ticket validation, templates and classification; a local sandbox of them all.')
    .version(VERSION, '-V, --version')
    .option('--config <path>', `JSON config file (lowest precedence, below flags and environment) [env ${CONFIG_ENV}]`)
    .option('--json', 'machine output: one JSON document on stdout, errors as JSON on stderr')
    .option('--verbose', 'one stderr line per HTTP attempt and per setting source (JSON objects with --json), stacks on errors')
    .exitOverride()
    // With --json, commander's own error text is replaced by the JSON document below.
    .configureOutput({ writeOut: (s) => out.stdout(s), writeErr: (s) => (flags.json ? undefined : out.stderr(s)) })
    .showSuggestionAfterError()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      '\nSettings: flags override environment variables, which override the config file.\nExit codes: 0 ok, 1 the operation failed, 2 usage, configuration or input error.',
    );

  const ctx: CliContext = {
    env,
    out,
    cwd,
    optionNames,
    signal: options.signal ?? new AbortController().signal,
    action: (fn) => async (...params) => {
      const command = params[params.length - 1] as Command;
      const args = params.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
      const all = command.optsWithGlobals();
      const call: Invocation = { command, args, options: all, flags };
      const code = await fn(call);
      if (code !== undefined) exitCode = code;
    },
    settings: async (call, settings) => {
      const path = (call.options['config'] as string | undefined) ?? (env[CONFIG_ENV] || undefined);
      configFile ??= path ? loadConfigFile(path, cwd, allSettings) : Promise.resolve(undefined);
      const resolved = resolveSettings(settings, call.options, env, await configFile);
      for (const s of settings) out.addSecret(s.secret ? resolved.get(s.key) : urlPassword(resolved.get(s.key)));
      if (flags.verbose) {
        for (const s of settings) {
          const source = resolved.source(s.key);
          if (!source) continue;
          if (flags.json) out.stderr(`${JSON.stringify({ trace: 'setting', key: s.key, source, secret: s.secret === true })}\n`);
          else out.stderr(`# ${s.key} from ${source}${s.secret ? ' (secret, not shown)' : ''}\n`);
        }
      }
      return resolved;
    },
    readInput: (path, flag) => (path === '-' ? readAll(options.stdin ?? process.stdin) : readInputFile(isAbsolute(path) ? path : resolvePath(cwd, path), flag)),
    stdinBytes: () => bytesOf(options.stdin ?? process.stdin),
  };
  for (const group of commandGroups) group.register(program, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      // Without --json, commander printed the message (or the help) already.
      if (flags.json) out.stderr(`${JSON.stringify(errorJson(error))}\n`);
      return EXIT.usage;
    }
    if (flags.json) out.stderr(`${JSON.stringify(errorJson(error, optionNames))}\n`);
    else out.stderr(describeError(error, flags.verbose, optionNames).map((l) => `${l}\n`).join(''));
    return exitCodeFor(error);
  }
}

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** The chunks of a stream as bytes (text chunks UTF-8 encoded). */
async function* bytesOf(stream: AsyncIterable<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of stream) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

async function readInputFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(`Cannot read ${flag} ${path}${typeof code === 'string' ? ` (${code})` : ''}`, [], { cause: error });
  }
}

/** `--json` and `--verbose` anywhere before `--` (they are global, and needed even when parsing fails). */
function globalFlags(argv: readonly string[]): GlobalFlags {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  return { json: head.includes('--json'), verbose: head.includes('--verbose') };
}

/**
 * Secrets from the environment and the command line are scrubbed from all
 * output from the start, so even a usage error that echoes an argument cannot
 * print one; so are the passwords of URLs with credentials (a proxy's).
 */
function registerKnownSecrets(out: Output, settings: readonly Setting[], argv: readonly string[], env: Readonly<Record<string, string | undefined>>): void {
  for (const arg of argv) out.addSecret(urlPassword(arg.replace(/^--[\w-]+=/, '')));
  for (const name of [...PROXY_VARIABLES, ...settings.map((s) => s.env)]) out.addSecret(urlPassword(env[name]));
  for (const s of settings) {
    if (!s.secret) continue;
    out.addSecret(env[s.env]);
    const name = flagName(s.flag);
    argv.forEach((arg, i) => {
      if (arg === name) out.addSecret(argv[i + 1]);
      else if (arg.startsWith(`${name}=`)) out.addSecret(arg.slice(name.length + 1));
    });
  }
}
