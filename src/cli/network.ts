import { ConfigError, type HttpOptions } from '../core/index.js';
import type { CliContext } from './context.js';
import type { ResolvedSettings, Setting } from './settings.js';

/** The proxy and private-CA settings of one platform's commands. */
export interface NetworkSettings {
  /** `--proxy <url>`: every request through this proxy (else HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply). */
  readonly proxy: Setting;
  /** `--ca-file <path>`: a PEM file of the certificate authorities to trust (a private CA). */
  readonly caFile: Setting;
}

/**
 * The `--proxy` and `--ca-file` settings under a config section (`jira`) and
 * an environment prefix (`ITSMKIT_JIRA`).
 */
export function networkSettings(section: string, envPrefix: string): NetworkSettings {
  return {
    proxy: {
      key: `${section}.proxy`,
      flag: '--proxy <url>',
      env: `${envPrefix}_PROXY`,
      description: 'HTTP proxy for every request, e.g. http://user:password@proxy.corp:3128 (default: HTTPS_PROXY, HTTP_PROXY and NO_PROXY)',
    },
    caFile: {
      key: `${section}.caFile`,
      flag: '--ca-file <path>',
      env: `${envPrefix}_CA_FILE`,
      description: "PEM file of the certificate authority to trust instead of Node's bundled ones (a private CA)",
    },
  };
}

/** The SDK options {@link networkSettings} set, for naming them in errors. */
export function networkOptionNames(settings: NetworkSettings): Readonly<Record<string, Setting>> {
  return { 'http.proxy': settings.proxy, 'http.tls.ca': settings.caFile };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;

/**
 * The client's `http` options from the resolved settings, or `undefined` when
 * neither is set. The CA file is read here (relative to the working directory);
 * the proxy URL's password was registered as a secret when the settings were
 * resolved, so no message prints it.
 */
export async function httpOptions(ctx: CliContext, resolved: ResolvedSettings, settings: NetworkSettings): Promise<HttpOptions | undefined> {
  const proxy = resolved.get(settings.proxy.key);
  const caFile = resolved.get(settings.caFile.key);
  if (proxy === undefined && caFile === undefined) return undefined;
  let ca: string | undefined;
  if (caFile !== undefined) {
    const where = `${settings.caFile.key} (from ${resolved.source(settings.caFile.key)})`;
    ca = await ctx.readInput(caFile, where);
    if (!PEM_CERTIFICATE.test(ca)) {
      throw new ConfigError('Invalid CA file', [{ field: where, rule: 'pem', message: `${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` }]);
    }
  }
  return { ...(proxy === undefined ? {} : { proxy }), ...(ca === undefined ? {} : { tls: { ca } }) };
}

/** The password of a URL with credentials (`http://user:p%40ss@host`), decoded (its encoded forms are scrubbed too); `undefined` when none. */
export function urlPassword(value: string | undefined): string | undefined {
  if (!value?.includes('@')) return undefined;
  try {
    const { password } = new URL(value);
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
