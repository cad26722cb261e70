import type { ItsmConfig } from './config-schema.js';
import { loadItsmConfig } from './config.js';

/**
 * Reads a JSON config file (such as `config/itsm_config.json`) and
 * loads it with {@link loadItsmConfig}. Node only: `node:fs` is imported when
 * this is called, so the rest of itsmkit stays runtime-neutral.
 */
export async function loadItsmConfigFile(path: string | URL): Promise<ItsmConfig> {
  const { readFile } = await import('node:fs/promises');
  return loadItsmConfig(await readFile(path, 'utf8'));
}
