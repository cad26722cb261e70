import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { JiraAuthConfig } from '../jira/auth.js';
import { JiraClient } from '../jira/client.js';
import type { CreateIssueInput, JiraDeployment, JiraIssue } from '../jira/types.js';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import { EXIT } from './exit-codes.js';
import { httpOptions, networkOptionNames, networkSettings } from './network.js';
import { CLI_USER_AGENT, construct, integerFlag, list, requireSettings, retryOptions, withoutKeys } from './remote.js';
import { addSettingOptions, COMMON_SETTINGS, howToSet, type ResolvedSettings, type Setting } from './settings.js';
import { traceRequests } from './trace.js';

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

/** An issue for `--json`: the mapped fields, without the wire copies (`fields`, `raw`). */
function issueJson(issue: JiraIssue): Partial<JiraIssue> {
  return withoutKeys(issue, ['raw', 'fields']);
}

/** A command that talks to the platform; its connection flags are added last so they list after its own. */
function leaf(leaves: Command[], parent: Command, name: string, description: string): Command {
  const command = parent.command(name).description(description);
  leaves.push(command);
  return command;
}

/** `itsmkit jira test | issue create | issue get | issue search`. */
export const jiraCommands: CommandGroup = {
  name: 'jira',
  settings: SETTINGS,
  register(program, ctx) {
    const leaves: Command[] = [];
    const group = program.command('jira').description('Jira: test a connection, create, read and search issues');

    leaf(leaves, group, 'test', 'check the URL and credentials (GET /myself)').action(
      ctx.action(async (call) => {
        const jira = await client(ctx, call);
        const result = await jira.testConnection({ signal: ctx.signal });
        if (!result.ok) throw result.error;
        ctx.out.result(call.flags.json, { ok: true, deployment: result.deployment, user: result.user ?? null }, () => [
          `ok: connected to Jira ${result.deployment === 'cloud' ? 'Cloud' : 'Data Center'} as ${result.user?.displayName ?? result.user?.accountId ?? 'an unnamed user'}`,
        ]);
        return EXIT.ok;
      }),
    );

    const issue = group.command('issue').description('create, read and search issues');

    leaf(leaves, issue, 'create', 'create an issue (pass --correlation-key to make retries safe)')
      .requiredOption('--project <key>', 'project key, e.g. OPS')
      .requiredOption('--type <name>', 'issue type, e.g. Task or Incident')
      .requiredOption('--summary <text>', 'the title (1 to 255 characters)')
      .option('--description <text>', 'plain text (converted to ADF on Cloud)')
      .option('--priority <name>', 'e.g. High')
      .option('--labels <list>', 'comma-separated labels')
      .option('--components <list>', 'comma-separated component names')
      .option('--correlation-key <key>', 'your id for it: a retry after an ambiguous failure searches for it instead of creating a second one')
      .action(
        ctx.action(async (call) => {
          const jira = await client(ctx, call);
          const o = call.options;
          const input = withoutKeys(
            {
              projectKey: o['project'],
              issueType: o['type'],
              summary: o['summary'],
              description: o['description'],
              priority: o['priority'],
              labels: list(o['labels']),
              components: list(o['components']),
              correlationKey: o['correlationKey'],
            },
            [],
          ) as unknown as CreateIssueInput;
          const created = await jira.issues.create(input, { signal: ctx.signal });
          ctx.out.result(call.flags.json, withoutKeys(created, ['raw']), () => [
            `${created.created ? 'created' : 'already exists (same correlation key): nothing created,'} ${created.key} (id ${created.id})${created.reconciled ? ', found by its correlation key after an ambiguous failure' : ''}`,
          ]);
        }),
      );

    leaf(leaves, issue, 'get', 'read an issue by key (OPS-1) or id')
      .argument('<key>', 'issue key or id')
      .action(
        ctx.action(async (call) => {
          const jira = await client(ctx, call);
          const found = await jira.issues.get(call.args[0] as string, { signal: ctx.signal });
          ctx.out.result(call.flags.json, issueJson(found), () => [
            `${found.key}  ${found.summary ?? ''}`,
            `  ${found.issueType?.name ?? '-'}, ${found.status?.name ?? '-'}, priority ${found.priority?.name ?? '-'}${found.labels.length ? `, labels ${found.labels.join(', ')}` : ''}`,
            ...(found.description ? ['', ...found.description.split('\n').map((l) => `  ${l}`)] : []),
          ]);
        }),
      );

    leaf(leaves, issue, 'search', 'list issues matching a JQL query (Cloud needs a restriction such as project = KEY)')
      .argument('<jql>', 'the query, e.g. "project = OPS AND statusCategory != Done"')
      .option('--limit <n>', 'issues to return at most', '50')
      .option('--fields <list>', 'comma-separated fields to fetch (default: navigable fields)')
      .action(
        ctx.action(async (call) => {
          const jira = await client(ctx, call);
          const fields = list(call.options['fields']);
          const limit = integerFlag(call.options['limit'], '--limit');
          const issues: JiraIssue[] = [];
          for await (const found of jira.issues.iterate(call.args[0] as string, { ...(fields ? { fields } : {}), ...(limit === undefined ? {} : { limit }), signal: ctx.signal })) {
            issues.push(found);
          }
          ctx.out.result(call.flags.json, { issues: issues.map(issueJson) }, () => [
            ...issues.map((i) => `${i.key.padEnd(10)} ${`[${i.status?.name ?? '-'}]`.padEnd(14)} ${i.summary ?? ''}`),
            `${issues.length} issue${issues.length === 1 ? '' : 's'}`,
          ]);
        }),
      );
    for (const command of leaves) addSettingOptions(command, SETTINGS);
  },
};
