import { ConfigError } from '../core/index.js';
import { type ServiceNowAuthConfig, ServiceNowClient } from '../servicenow/index.js';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import { EXIT } from './exit-codes.js';
import { httpOptions, networkOptionNames, networkSettings } from './network.js';
import { CLI_USER_AGENT, construct, requireSettings, retryOptions } from './remote.js';
import { COMMON_SETTINGS, howToSet, type ResolvedSettings, type Setting } from './settings.js';
import { INCIDENT_VERBS } from './servicenow-incident.js';
import { INCIDENT_UPDATE_VERBS } from './servicenow-incident-writes.js';
import { traceRequests } from './trace.js';
import { platformGroup, type Verb } from './verbs.js';

const URL_SETTING: Setting = { key: 'servicenow.url', flag: '--url <url>', env: 'ITSMKIT_SERVICENOW_URL', description: 'instance URL, e.g. https://acme.service-now.com' };
const AUTH: Setting = { key: 'servicenow.auth', flag: '--auth <type>', env: 'ITSMKIT_SERVICENOW_AUTH', description: 'basic, bearer, apiKey or oauth (default: from the credentials given)' };
const USERNAME: Setting = { key: 'servicenow.username', flag: '--username <name>', env: 'ITSMKIT_SERVICENOW_USERNAME', description: 'user for basic auth or the OAuth password grant' };
const PASSWORD: Setting = { key: 'servicenow.password', flag: '--password <password>', env: 'ITSMKIT_SERVICENOW_PASSWORD', description: 'password (prefer the environment: flags show in ps)', secret: true };
const TOKEN: Setting = { key: 'servicenow.token', flag: '--token <token>', env: 'ITSMKIT_SERVICENOW_TOKEN', description: 'bearer token', secret: true };
const API_KEY: Setting = { key: 'servicenow.apiKey', flag: '--api-key <key>', env: 'ITSMKIT_SERVICENOW_API_KEY', description: 'API key (x-sn-apikey)', secret: true };
const CLIENT_ID: Setting = { key: 'servicenow.clientId', flag: '--client-id <id>', env: 'ITSMKIT_SERVICENOW_CLIENT_ID', description: 'OAuth client id' };
const CLIENT_SECRET: Setting = { key: 'servicenow.clientSecret', flag: '--client-secret <secret>', env: 'ITSMKIT_SERVICENOW_CLIENT_SECRET', description: 'OAuth client secret', secret: true };
const NETWORK = networkSettings('servicenow', 'ITSMKIT_SERVICENOW');

const SETTINGS: readonly Setting[] = [URL_SETTING, AUTH, USERNAME, PASSWORD, TOKEN, API_KEY, CLIENT_ID, CLIENT_SECRET, NETWORK.proxy, NETWORK.caFile, ...COMMON_SETTINGS];

/** The auth config the resolved settings describe; `--auth` wins, else it follows from which credentials are set. */
function authConfig(s: ResolvedSettings): ServiceNowAuthConfig {
  const type = s.get(AUTH.key) ?? (s.get(TOKEN.key) ? 'bearer' : s.get(API_KEY.key) ? 'apiKey' : s.get(USERNAME.key) || s.get(PASSWORD.key) ? 'basic' : s.get(CLIENT_ID.key) ? 'oauth' : undefined);
  switch (type) {
    case undefined:
      throw new ConfigError('Missing ServiceNow credentials', [
        { field: 'servicenow.username', rule: 'required', message: `set a username and password (${howToSet(USERNAME)}; ${howToSet(PASSWORD)}), or a token, an API key or OAuth client credentials` },
      ]);
    case 'basic': {
      const [username, password] = requireSettings('ServiceNow credentials', s, [USERNAME, PASSWORD]) as [string, string];
      return { type: 'basic', username, password };
    }
    case 'bearer':
      return { type: 'bearer', token: requireSettings('ServiceNow token', s, [TOKEN])[0] as string };
    case 'apiKey':
      return { type: 'apiKey', apiKey: requireSettings('ServiceNow API key', s, [API_KEY])[0] as string };
    case 'oauth': {
      const [clientId, clientSecret] = requireSettings('ServiceNow OAuth client', s, [CLIENT_ID, CLIENT_SECRET]) as [string, string];
      const username = s.get(USERNAME.key);
      const password = s.get(PASSWORD.key);
      return username && password
        ? { type: 'oauth', grant: 'password', clientId, clientSecret, username, password }
        : { type: 'oauth', grant: 'client_credentials', clientId, clientSecret };
    }
    default:
      throw new ConfigError('Invalid ServiceNow auth type', [{ field: `${AUTH.key} (from ${s.source(AUTH.key)})`, rule: 'enum', message: `must be basic, bearer, apiKey or oauth, got ${JSON.stringify(type)}` }]);
  }
}

async function client(ctx: CliContext, call: Invocation): Promise<ServiceNowClient> {
  const s = await ctx.settings(call, SETTINGS);
  const [instanceUrl] = requireSettings('ServiceNow URL', s, [URL_SETTING]) as [string];
  const auth = authConfig(s);
  const http = await httpOptions(ctx, s, NETWORK);
  const sn = construct(
    ctx.optionNames,
    () => new ServiceNowClient({ instanceUrl, auth, retry: retryOptions(s), userAgent: CLI_USER_AGENT, ...(http ? { http } : {}) }),
    { instanceUrl: URL_SETTING, 'auth.username': USERNAME, 'auth.password': PASSWORD, 'auth.token': TOKEN, 'auth.apiKey': API_KEY, ...networkOptionNames(NETWORK) },
    s,
  );
  if (call.flags.verbose) traceRequests(sn.events, ctx.out, call.flags.json);
  return sn;
}

const test: Verb<ServiceNowClient> = {
  path: ['test'],
  description: 'check the URL, credentials and read access (lists one incident id)',
  define: (c) => c.option('--table <table>', 'table to read', 'incident'),
  run: async (sn, call, ctx) => {
    const result = await sn.testConnection({ table: String(call.options['table']), signal: ctx.signal });
    if (!result.ok) throw result.error;
    ctx.out.result(call.flags.json, { ok: true, instanceUrl: result.instanceUrl, retry: result.retry }, () => [
      `ok: connected to ${result.instanceUrl} (${result.retry.attempts} attempt${result.retry.attempts > 1 ? 's' : ''}, ${Math.round(result.retry.elapsedMs)} ms)`,
    ]);
    return EXIT.ok;
  },
};

/** `itsmkit servicenow test | incident create | get | search | update | work-note | comment | resolve | close | attach`. */
export const serviceNowCommands: CommandGroup = platformGroup({
  name: 'servicenow',
  description: 'ServiceNow: test a connection; create, read, search, update, resolve and close incidents; attach files to them',
  settings: SETTINGS,
  nouns: { incident: 'create, read, search and update incidents; add work notes and comments; resolve and close; attach files' },
  client,
  verbs: [test, ...INCIDENT_VERBS, ...INCIDENT_UPDATE_VERBS],
});
