import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { ServiceNowAuthConfig } from '../servicenow/auth.js';
import { ServiceNowClient } from '../servicenow/client.js';
import type { Incident, IncidentCreate, IncidentField, IncidentFilter } from '../servicenow/incidents.js';
import type { CliContext, CommandGroup, Invocation } from './context.js';
import { EXIT } from './exit-codes.js';
import { httpOptions, networkOptionNames, networkSettings } from './network.js';
import { CLI_USER_AGENT, construct, integerFlag, list, requireSettings, retryOptions, withoutKeys } from './remote.js';
import { addSettingOptions, COMMON_SETTINGS, howToSet, type ResolvedSettings, type Setting } from './settings.js';
import { traceRequests } from './trace.js';

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

/** An incident for `--json`: everything but the wire record. */
function incidentJson(incident: Incident): Partial<Incident> {
  return withoutKeys(incident, ['raw']);
}

function incidentLines(i: Incident): string[] {
  return [
    `${i.number}  ${i.shortDescription ?? ''}`,
    `  sys_id ${i.sysId}`,
    `  state ${i.state ?? '-'}, priority ${i.priority ?? '-'} (urgency ${i.urgency ?? '-'}, impact ${i.impact ?? '-'})`,
    ...(i.correlationId ? [`  correlation id ${i.correlationId}`] : []),
  ];
}

/** A command that talks to the platform; its connection flags are added last so they list after its own. */
function leaf(leaves: Command[], parent: Command, name: string, description: string): Command {
  const command = parent.command(name).description(description);
  leaves.push(command);
  return command;
}

/** `itsmkit servicenow test | incident create | incident get | incident search`. */
export const serviceNowCommands: CommandGroup = {
  name: 'servicenow',
  settings: SETTINGS,
  register(program, ctx) {
    const leaves: Command[] = [];
    const group = program.command('servicenow').description('ServiceNow: test a connection, create, read and search incidents');

    leaf(leaves, group, 'test', 'check the URL, credentials and read access (lists one incident id)')
      .option('--table <table>', 'table to read', 'incident')
      .action(
        ctx.action(async (call) => {
          const sn = await client(ctx, call);
          const result = await sn.testConnection({ table: String(call.options['table']), signal: ctx.signal });
          if (result.ok) {
            ctx.out.result(call.flags.json, { ok: true, instanceUrl: result.instanceUrl, retry: result.retry }, () => [
              `ok: connected to ${result.instanceUrl} (${result.retry.attempts} attempt${result.retry.attempts > 1 ? 's' : ''}, ${Math.round(result.retry.elapsedMs)} ms)`,
            ]);
            return EXIT.ok;
          }
          throw result.error;
        }),
      );

    const incident = group.command('incident').description('create, read and search incidents');

    leaf(leaves, incident, 'create', 'create an incident (pass --correlation-id to make retries safe)')
      .requiredOption('--short-description <text>', 'the title')
      .option('--description <text>', 'the long description')
      .option('--urgency <level>', 'high, medium or low')
      .option('--impact <level>', 'high, medium or low')
      .option('--category <name>', 'category')
      .option('--subcategory <name>', 'subcategory')
      .option('--caller-id <sys_id>', 'the caller (sys_user sys_id)')
      .option('--assignment-group <sys_id>', 'assignment group (sys_user_group sys_id)')
      .option('--assigned-to <sys_id>', 'assignee (sys_user sys_id)')
      .option('--contact-type <type>', 'phone, email, self-service, ...')
      .option('--correlation-id <id>', 'your id for it: a retry after an ambiguous failure looks it up instead of creating a second one')
      .option('--work-notes <text>', 'a first work note')
      .action(
        ctx.action(async (call) => {
          const sn = await client(ctx, call);
          const o = call.options;
          const input = withoutKeys(
            {
              shortDescription: o['shortDescription'],
              description: o['description'],
              urgency: o['urgency'],
              impact: o['impact'],
              category: o['category'],
              subcategory: o['subcategory'],
              callerId: o['callerId'],
              assignmentGroup: o['assignmentGroup'],
              assignedTo: o['assignedTo'],
              contactType: o['contactType'],
              correlationId: o['correlationId'],
              workNotes: o['workNotes'],
            },
            [],
          ) as unknown as IncidentCreate;
          const created = await sn.incidents.create(input, { signal: ctx.signal });
          ctx.out.result(call.flags.json, incidentJson(created), () => [
            created.created ? 'created' : 'already exists (same correlation id): nothing created',
            ...incidentLines(created),
          ]);
        }),
      );

    leaf(leaves, incident, 'get', 'read an incident by number (INC0010001) or sys_id')
      .argument('<id>', 'number or sys_id')
      .option('--fields <list>', 'comma-separated wire field names to return (default: all)')
      .action(
        ctx.action(async (call) => {
          const sn = await client(ctx, call);
          const fields = list(call.options['fields']) as IncidentField[] | undefined;
          const found = await sn.incidents.get(call.args[0] as string, { ...(fields ? { fields } : {}), signal: ctx.signal });
          ctx.out.result(call.flags.json, incidentJson(found), () => incidentLines(found));
        }),
      );

    leaf(leaves, incident, 'search', 'list incidents matching filters (lists are comma-separated: --state new,inProgress)')
      .option('--number <numbers>', 'incident numbers')
      .option('--state <states>', 'new, inProgress, onHold, resolved, closed, canceled')
      .option('--priority <priorities>', 'critical, high, moderate, low, planning')
      .option('--urgency <levels>', 'high, medium, low')
      .option('--impact <levels>', 'high, medium, low')
      .option('--category <names>', 'categories')
      .option('--assignment-group <sys_ids>', 'assignment groups')
      .option('--correlation-id <ids>', 'correlation ids')
      .option('--active', 'only active incidents')
      .option('--no-active', 'only inactive incidents')
      .option('--limit <n>', 'records to return', '20')
      .option('--offset <n>', 'records to skip')
      .option('--fields <list>', 'comma-separated wire field names to return (default: all)')
      .action(
        ctx.action(async (call) => {
          const sn = await client(ctx, call);
          const o = call.options;
          const filter = withoutKeys(
            {
              number: list(o['number']),
              state: list(o['state']),
              priority: list(o['priority']),
              urgency: list(o['urgency']),
              impact: list(o['impact']),
              category: list(o['category']),
              assignmentGroup: list(o['assignmentGroup']),
              correlationId: list(o['correlationId']),
              active: o['active'],
            },
            [],
          ) as IncidentFilter;
          const fields = list(o['fields']) as IncidentField[] | undefined;
          const limit = integerFlag(o['limit'], '--limit');
          const offset = integerFlag(o['offset'], '--offset');
          const page = await sn.incidents.search(filter, {
            ...(fields ? { fields } : {}),
            ...(limit === undefined ? {} : { limit }),
            ...(offset === undefined ? {} : { offset }),
            signal: ctx.signal,
          });
          ctx.out.result(call.flags.json, { total: page.total ?? null, nextOffset: page.nextOffset ?? null, records: page.records.map(incidentJson) }, () => [
            ...page.records.map((i) => `${i.number.padEnd(12)} ${String(i.state ?? '-').padEnd(12)} ${String(i.priority ?? '-').padEnd(9)} ${i.shortDescription ?? ''}`),
            `${page.records.length} shown${page.total === undefined ? '' : ` of ${page.total}`}${page.nextOffset === undefined ? '' : ` (more: --offset ${page.nextOffset})`}`,
          ]);
        }),
      );
    for (const command of leaves) addSettingOptions(command, SETTINGS);
  },
};
