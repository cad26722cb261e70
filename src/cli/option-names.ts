import { howToSet, flagName, type ResolvedSettings, type Setting, type SettingSource } from './settings.js';

/** The CLI setting an SDK option stands for, as `--json` error output shows it. */
export interface SettingRef {
  /** The config file key (`servicenow.url`). */
  readonly key: string;
  /** The long flag (`--url`). */
  readonly flag: string;
  readonly env: string;
  /** Where this run's value came from; `null` when it was not set. */
  readonly source: SettingSource | null;
}

/**
 * The SDK's option names (`instanceUrl`, `http.proxy`) mapped to the CLI
 * settings that set them in this run, so errors that name an option to fix
 * tell the user the flag, variable or config key instead.
 */
export class OptionNames {
  private readonly names = new Map<string, { readonly setting: Setting; readonly source: SettingSource | undefined }>();

  /** Records that each SDK option in `options` is set by that CLI setting (with where its value came from). */
  add(options: Readonly<Record<string, Setting>>, resolved: ResolvedSettings): void {
    for (const [option, setting] of Object.entries(options)) {
      this.names.set(option, { setting, source: resolved.source(setting.key) });
    }
  }

  /** The CLI setting for an SDK option, when this run has one. */
  setting(option: string): SettingRef | undefined {
    const found = this.names.get(option);
    if (!found) return undefined;
    const { setting, source } = found;
    return { key: setting.key, flag: flagName(setting.flag), env: setting.env, source: source ?? null };
  }

  /**
   * `text` with each SDK option name replaced by its CLI setting: the key and
   * where its value came from (`servicenow.url (from flag --url)`), or every way
   * to set it when it was not set (`--proxy, ITSMKIT_SERVICENOW_PROXY or "servicenow.proxy" in the config file`).
   * Plain lowercase words (`token`) are left alone: they are more likely prose than an option.
   */
  translate(text: string): string {
    let out = text;
    for (const [option, { setting, source }] of this.names) {
      // Only names that read as option names (`instanceUrl`, `http.proxy`), never a plain word such as `token`.
      if (/^[a-z]+$/.test(option)) continue;
      const name = source ? `${setting.key} (from ${source})` : howToSet(setting);
      // Whole names only: `http.tls.ca` must not match inside `http.tls.cert`, nor `baseUrl` inside a longer word.
      out = out.replace(new RegExp(`(?<![\\w.])${option.replace(/\./g, '\\.')}(?![\\w])`, 'g'), name);
    }
    return out;
  }
}
