import { ConfigError } from '../core/index.js';
import { type JiraAuthConfig, JiraClient, type JiraDeployment } from '../jira/index.js';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import { EXIT } from './exit-codes.js';
import { httpOptions, networkOptionNames, networkSettings } from './network.js';
import { ISSUE_UPDATE_VERBS } from './jira-issue-writes.js';
import { ISSUE_VERBS } from './jira-issue.js';
import { REQUEST_VERBS } from './jira-request.js';
import { CLI_USER_AGENT, construct, requireSettings, retryOptions } from './remote.js';
import { COMMON_SETTINGS, howToSet, type ResolvedSettings, type Setting } from './settings.js';
import { traceRequests } from './trace.js';
import { platformGroup, type Verb } from './verbs.js';

const URL_SETTING: Setting = { key: 'jira.url', flag: '--url <url>', env: 'ITSMKIT_JIRA_URL', description: 'site URL, e.g. https://acme.atlassian.net (or the Data Center base URL)' };
const DEPLOYMENT: Setting = { key: 'jira.deployment', flag: '--deployment <kind>', env: 'ITSMKIT_JIRA_DEPLOYMENT', description: 'cloud or datacenter (default cloud)' };
const EMAIL: Setting = { key: 'jira.email', flag: '--email <email>', env: 'ITSMKIT_JIRA_EMAIL', description: 'Atlassian account email (Cloud, with an API token)' };
const API_TOKEN: Setting = { key: 'jira.apiToken', flag: '--api-token <token>', env: 'ITSMKIT_JIRA_API_TOKEN', description: 'API token (prefer the environment: flags show in ps)', secret: true };
const TOKEN: Setting = { key: 'jira.token', flag: '--token <token>', env: 'ITSMKIT_JIRA_TOKEN', description: 'personal access token (Data Center) or OAuth access token, sent as Bearer', secret: true };
const NETWORK = networkSettings('jira', 'ITSMKIT_JIRA');

const SETTINGS: readonly Setting[] = [URL_SETTING, DEPLOYMENT, EMAIL, API_TOKEN, TOKEN, NETWORK.proxy, NETWORK.caFile, ...COMMON_SETTINGS];

function authConfig(s: ResolvedSettings): JiraAuthConfig {
  if (s.get(TOKEN.key)) return { type: 'bearer', token: s.get(TOKEN.key) as string };
  if (!s.get(EMAIL.key) && !s.get(API_TOKEN.key)) {
    throw new ConfigError('Missing Jira credentials', [
      { field: 'jira.email', rule: 'required', message: `set an email and API token (${howToSet(EMAIL)}; ${howToSet(API_TOKEN)}), or a token (${howToSet(TOKEN)})` },
    ]);
  }
  const [email, apiToken] = requireSettings('Jira credentials', s, [EMAIL, API_TOKEN]) as [string, string];
  return { type: 'basic', email, apiToken };
}

async function client(ctx: CliContext, call: Invocation): Promise<JiraClient> {
  const s = await ctx.settings(call, SETTINGS);
  const [baseUrl] = requireSettings('Jira URL', s, [URL_SETTING]) as [string];
  const deployment = (s.get(DEPLOYMENT.key) ?? 'cloud') as JiraDeployment;
  const auth = authConfig(s);
  const http = await httpOptions(ctx, s, NETWORK);
  const jira = construct(
    ctx.optionNames,
    () => new JiraClient({ baseUrl, deployment, auth, retry: retryOptions(s), userAgent: CLI_USER_AGENT, ...(http ? { http } : {}) }),
    { baseUrl: URL_SETTING, deployment: DEPLOYMENT, 'auth.email': EMAIL, 'auth.apiToken': API_TOKEN, 'auth.token': TOKEN, ...networkOptionNames(NETWORK) },
    s,
  );
  if (call.flags.verbose) traceRequests(jira.events, ctx.out, call.flags.json);
  return jira;
}

const test: Verb<JiraClient> = {
  path: ['test'],
  description: 'check the URL and credentials (GET /myself)',
  run: async (jira, call, ctx) => {
    const result = await jira.testConnection({ signal: ctx.signal });
    if (!result.ok) throw result.error;
    ctx.out.result(call.flags.json, { ok: true, deployment: result.deployment, user: result.user ?? null }, () => [
      `ok: connected to Jira ${result.deployment === 'cloud' ? 'Cloud' : 'Data Center'} as ${result.user?.displayName ?? result.user?.accountId ?? 'an unnamed user'}`,
    ]);
    return EXIT.ok;
  },
};

/** `itsmkit jira test | issue create | get | search | comment | transition | assign | attach | request create | comment`. */
export const jiraCommands: CommandGroup = platformGroup({
  name: 'jira',
  description: 'Jira: test a connection; create, read, search, comment on, transition, assign and attach files to issues; raise and comment on service desk requests',
  settings: SETTINGS,
  nouns: {
    issue: 'create, read and search issues; comment on, transition and assign them; attach files',
    request: 'Jira Service Management customer requests: raise one, reply or add an internal note',
  },
  client,
  verbs: [test, ...ISSUE_VERBS, ...ISSUE_UPDATE_VERBS, ...REQUEST_VERBS],
});
