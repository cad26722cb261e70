import { ConfigError, type FieldIssue, isConfigError, type RetryPolicyOptions } from '../core/index.js';
import { VERSION } from '../version.js';
import type { OptionNames } from './option-names.js';
import { howToSet, type ResolvedSettings, type Setting } from './settings.js';

/** What the clients the CLI builds send in their User-Agent. */
export const CLI_USER_AGENT = `itsmkit-cli/${VERSION}`;

/** Retry options from `--retries` / `--timeout` (or their env and config), when given; refused connections fail at once. */
export function retryOptions(settings: ResolvedSettings): RetryPolicyOptions {
  const retries = settings.integer('retries');
  const timeoutMs = settings.integer('timeoutMs');
  return {
    // A refused connection from the CLI is a wrong URL or a sandbox not started: said at once, not after the retries.
    retryRefused: false,
    ...(retries === undefined ? {} : { retries }),
    ...(timeoutMs === undefined ? {} : { totalBudgetMs: timeoutMs, attemptTimeoutMs: timeoutMs }),
  };
}

/** Values of required settings; every missing one is named in one {@link ConfigError}. */
export function requireSettings(what: string, resolved: ResolvedSettings, required: readonly Setting[]): string[] {
  const issues: FieldIssue[] = required
    .filter((s) => resolved.get(s.key) === undefined)
    .map((s) => ({ field: s.key, rule: 'required', message: `set ${howToSet(s)}` }));
  if (issues.length) throw new ConfigError(`Missing ${what}`, issues);
  return required.map((s) => resolved.get(s.key) as string);
}

/**
 * Builds a client, translating the SDK's option names in a {@link ConfigError}
 * (`instanceUrl`) into the CLI setting and where its value came from. The
 * names are also recorded in `names`, for errors the client throws later
 * (a `ConnectionError` saying which option to check).
 */
export function construct<T>(names: OptionNames, build: () => T, fields: Readonly<Record<string, Setting>>, resolved: ResolvedSettings): T {
  names.add(fields, resolved);
  try {
    return build();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    const issues = error.issues.map((issue) => {
      const setting = fields[issue.field];
      if (!setting) return issue;
      const source = resolved.source(setting.key);
      return { ...issue, field: source ? `${setting.key} (from ${source})` : setting.key };
    });
    throw new ConfigError('Invalid configuration', issues, { cause: error });
  }
}

/** A comma-separated flag as a list (`a, b` -> `['a', 'b']`), or undefined when not given. */
export function list(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** A record for `--json` without `raw` (the wire form) and other noisy keys. */
export function withoutKeys<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !keys.includes(k) && v !== undefined)) as Partial<T>;
}

/** Parses a non-negative integer flag, or throws a {@link ConfigError} naming it. */
export function integerFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new ConfigError('Invalid option', [{ field: flag, rule: 'integer', message: `must be a non-negative integer, got ${JSON.stringify(value)}` }]);
  return Number(value);
}
