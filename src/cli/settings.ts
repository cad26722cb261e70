import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { Option, type Command } from 'commander';
import * as z from 'zod/mini';
import { ConfigError, parseJsonInput, zodIssues } from '../core/index.js';

/**
 * One configurable value, settable three ways. Precedence: the flag, then the
 * environment variable, then the config file key.
 */
export interface Setting {
  /** The config file key, dotted (`servicenow.url`); top-level keys have no dot. */
  readonly key: string;
  /** The flag, e.g. `--url <url>`; commander's camelCase attribute is derived from it. */
  readonly flag: string;
  /** The environment variable, e.g. `ITSMKIT_SERVICENOW_URL`. */
  readonly env: string;
  readonly description: string;
  /** Secrets are scrubbed from every line the CLI prints. */
  readonly secret?: boolean;
  /** @default 'string' */
  readonly type?: 'string' | 'integer';
}

/** Settings every remote command takes. */
export const COMMON_SETTINGS: readonly Setting[] = [
  { key: 'retries', flag: '--retries <n>', env: 'ITSMKIT_RETRIES', description: 'retries after the first attempt (SDK default 5)', type: 'integer' },
  { key: 'timeoutMs', flag: '--timeout <ms>', env: 'ITSMKIT_TIMEOUT_MS', description: 'total time budget per call, retries included (SDK default 60000)', type: 'integer' },
];

/** The environment variable naming the config file when `--config` is not given. */
export const CONFIG_ENV = 'ITSMKIT_CONFIG';

/** A config file's contents after validation: sections of settings by key. */
export type ConfigData = Readonly<Record<string, unknown>>;

/** Where a resolved value came from, for `--verbose` and error hints. */
export type SettingSource = `flag ${string}` | `env ${string}` | `config ${string}`;

/** Values of a set of settings after precedence was applied. */
export interface ResolvedSettings {
  /** The value of a setting by its key (`servicenow.url`). */
  get(key: string): string | undefined;
  /** An integer setting (already checked). */
  integer(key: string): number | undefined;
  /** Where a value came from. */
  source(key: string): SettingSource | undefined;
}

/** The camelCase attribute commander stores a flag under (`--api-token <t>` -> `apiToken`). */
export function flagAttribute(flag: string): string {
  const long = flag.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? flag;
  return long.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The long flag without its argument (`--url`). */
export function flagName(flag: string): string {
  return flag.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? flag;
}

/** How to set a setting, for messages: `--url, ITSMKIT_SERVICENOW_URL or "servicenow.url" in the config file`. */
export function howToSet(setting: Setting): string {
  return `${flagName(setting.flag)}, ${setting.env} or "${setting.key}" in the config file`;
}

/** Adds the settings' flags to a command under `heading` in its help (never with defaults, so "not given" stays visible). */
export function addSettingOptions(command: Command, settings: readonly Setting[], heading = 'Connection'): Command {
  for (const s of settings) command.addOption(new Option(s.flag, `${s.description} [env ${s.env}]`).helpGroup(`${heading} (flag > environment > config file):`));
  return command;
}

/**
 * Applies flag > environment > config file to `settings`. Integer settings are
 * checked here; a bad value is a {@link ConfigError} naming where it came from.
 */
export function resolveSettings(
  settings: readonly Setting[],
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  file: { readonly path: string; readonly data: ConfigData } | undefined,
): ResolvedSettings {
  const values = new Map<string, { value: string; source: SettingSource }>();
  const issues = [];
  for (const s of settings) {
    const flag = flags[flagAttribute(s.flag)];
    const fromEnv = env[s.env];
    const fromFile = file ? readKey(file.data, s.key) : undefined;
    const found =
      flag !== undefined && flag !== ''
        ? { value: String(flag), source: `flag ${flagName(s.flag)}` as const }
        : fromEnv !== undefined && fromEnv !== ''
          ? { value: fromEnv, source: `env ${s.env}` as const }
          : fromFile !== undefined
            ? { value: String(fromFile), source: `config ${s.key}` as const }
            : undefined;
    if (!found) continue;
    if (s.type === 'integer' && !/^\d+$/.test(found.value.trim())) {
      issues.push({ field: found.source.replace(/^\w+ /, ''), rule: 'integer', message: `must be a non-negative integer, got ${JSON.stringify(found.value)}` });
      continue;
    }
    values.set(s.key, found);
  }
  if (issues.length) throw new ConfigError('Invalid setting', issues);
  return {
    get: (key) => values.get(key)?.value,
    integer: (key) => {
      const v = values.get(key)?.value;
      return v === undefined ? undefined : Number(v);
    },
    source: (key) => values.get(key)?.source,
  };
}

function readKey(data: ConfigData, key: string): unknown {
  let node: unknown = data;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Reads and checks a JSON config file against every registered setting:
 * unknown keys are errors (a typo would otherwise be silently ignored).
 */
export async function loadConfigFile(path: string, cwd: string, settings: readonly Setting[]): Promise<{ path: string; data: ConfigData }> {
  const full = isAbsolute(path) ? path : resolvePath(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(`Cannot read the config file ${full}${typeof code === 'string' ? ` (${code})` : ''}`, [], { cause: error });
  }
  // The parser's message may quote the file around the error, secrets included: parseJsonInput keeps only the position.
  const raw = parseJsonInput(text, `The config file ${full}`);
  const parsed = configSchema(settings).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid config file ${full}`, zodIssues(parsed.error));
  return { path: full, data: parsed.data as ConfigData };
}

function configSchema(settings: readonly Setting[]): z.ZodMiniType {
  const shape: Record<string, z.ZodMiniType> = { $schema: z.optional(z.string('must be a string')) };
  const sections: Record<string, Record<string, z.ZodMiniType>> = {};
  for (const s of settings) {
    const value = z.optional(
      s.type === 'integer'
        ? z.number('must be a number').check(z.int('must be an integer'), z.gte(0, 'must not be negative'))
        : z.string('must be a string'),
    );
    const [section, name] = s.key.split('.') as [string, string | undefined];
    if (name === undefined) shape[section] = value;
    else (sections[section] ??= {})[name] = value;
  }
  for (const [section, fields] of Object.entries(sections)) shape[section] = z.optional(z.strictObject(fields, 'must be an object'));
  return z.strictObject(shape, 'must be a JSON object');
}
