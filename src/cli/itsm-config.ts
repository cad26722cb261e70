import { isAbsolute, resolve as resolvePath } from 'node:path';
import { type ItsmConfig, loadItsmConfig, parseItsmConfig } from '../tickets/index.js';
import type { CliContext, Invocation } from './context.js';
import { parseJsonInput } from '../core/index.js';
import type { Setting } from './settings.js';

/** The ITSM config file `classify`, `template` and `validate` read (field mappings, templates, classification rules). */
export const ITSM_CONFIG_SETTING: Setting = {
  key: 'itsmConfig',
  flag: '--itsm-config <path>',
  env: 'ITSMKIT_ITSM_CONFIG',
  description: 'ITSM config file (JSON, snake_case or camelCase: field_mapping, templates, classification, ...), merged over the built-in defaults',
};

/**
 * The ITSM config in force for a call: the file named by `--itsm-config`
 * (environment, config file), snake_case or camelCase as `loadItsmConfig`
 * reads it, merged over the defaults, or the defaults alone.
 * A bad file is a `ConfigError` naming every bad key.
 */
export async function itsmConfig(ctx: CliContext, call: Invocation): Promise<{ config: ItsmConfig; source: string }> {
  const settings = await ctx.settings(call, [ITSM_CONFIG_SETTING]);
  const path = settings.get(ITSM_CONFIG_SETTING.key);
  if (path === undefined) return { config: loadItsmConfig({}), source: 'the built-in defaults' };
  const full = path === '-' || isAbsolute(path) ? path : resolvePath(ctx.cwd, path);
  const raw = parseJsonInput(await ctx.readInput(full, '--itsm-config'), `the ITSM config ${full}`);
  return { config: parseItsmConfig(raw), source: full };
}
