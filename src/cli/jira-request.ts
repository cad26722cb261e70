import { Option } from 'commander';
import { ConfigError, NoMatchError, parseJsonObject } from '../core/index.js';
import type { CustomerRequest, JiraClient } from '../jira/index.js';
import type { CliContext, Invocation } from './context.js';
import { withoutKeys } from './remote.js';
import { textArgument } from './text-argument.js';
import type { Verb } from './verbs.js';

/** A request for `--json`: everything but the wire copy. */
function requestJson(request: CustomerRequest): Partial<CustomerRequest> {
  return withoutKeys(request, ['raw']);
}

function requestLine(what: string, request: CustomerRequest): string {
  const status = request.currentStatus?.status;
  return `${what} ${request.issueKey} (desk ${request.serviceDeskId}, request type ${request.requestTypeId}${status ? `, ${status}` : ''})${request.summary ? `: ${request.summary}` : ''}`;
}

/** The request's fields: the `-f` object, then each `--field id=value` (text), then `--summary` and `--description`. */
async function requestFields(ctx: CliContext, call: Invocation): Promise<Record<string, unknown>> {
  const o = call.options;
  const fields: Record<string, unknown> = typeof o['jsonInput'] === 'string' ? { ...parseJsonObject(await ctx.readInput(o['jsonInput'], '--json-input'), 'The --json-input') } : {};
  for (const assignment of (o['field'] as string[] | undefined) ?? []) {
    const at = assignment.indexOf('=');
    if (at < 1) throw new ConfigError('Invalid option', [{ field: '--field', rule: 'format', message: `must be id=value, got ${JSON.stringify(assignment)}` }]);
    fields[assignment.slice(0, at).trim()] = assignment.slice(at + 1);
  }
  if (typeof o['summary'] === 'string') fields['summary'] = o['summary'];
  if (typeof o['description'] === 'string') fields['description'] = o['description'];
  return fields;
}

/**
 * The service desk id for `--desk`: as given when it is one (digits), else
 * the id of the desk whose project key it is (JSM's create takes the id only).
 */
async function deskId(jira: JiraClient, desk: string, signal: AbortSignal): Promise<string> {
  if (/^\d+$/.test(desk)) return desk;
  const keys: string[] = [];
  for await (const d of jira.serviceDesk.iterateDesks({ signal })) {
    if (d.projectKey.toUpperCase() === desk.toUpperCase()) return d.id;
    keys.push(`${d.projectKey} (${d.id})`);
  }
  throw new NoMatchError({ platform: 'jira', what: 'service desk', query: desk, hint: keys.length ? `give a desk id or project key: ${keys.join(', ')}` : 'these credentials see no service desk' });
}

const create: Verb<JiraClient> = {
  path: ['request', 'create'],
  description:
    'raise a customer request in Jira Service Management; the required fields of the request type are checked before anything is sent. Not idempotent: running it again raises a second request',
  define: (c) =>
    c
      .requiredOption('--desk <id>', 'service desk id, or its project key (ITSM)')
      .requiredOption('--request-type <id>', 'request type id')
      .option('--summary <text>', 'the summary field')
      .option('--description <text>', 'the description field')
      .option('--field <id=value>', 'another field by Jira field id (customfield_10010=...), repeatable; a value is text (give select, user and other object values with -f)', (value: string, previous: string[] = []) => [...previous, value])
      .option('-f, --json-input <file>', "the request's fields as a JSON object by field id (Jira's input formats), from a file or - for stdin; --summary, --description and --field win over it")
      .option('--on-behalf-of <customer>', 'raise it for this customer (account id on Cloud, user name on Data Center); agents only'),
  run: async (jira, call, ctx) => {
    const o = call.options;
    const fields = await requestFields(ctx, call);
    const created = await jira.serviceDesk.createRequest(
      {
        serviceDeskId: await deskId(jira, String(o['desk']), ctx.signal),
        requestTypeId: String(o['requestType']),
        fields,
        ...(typeof o['onBehalfOf'] === 'string' ? { raiseOnBehalfOf: o['onBehalfOf'] } : {}),
      },
      { signal: ctx.signal },
    );
    ctx.out.result(call.flags.json, requestJson(created), () => [requestLine('raised', created)]);
  },
};

const comment: Verb<JiraClient> = {
  path: ['request', 'comment'],
  description:
    'add a public reply (the customer sees it) or an internal note (agents only) to a customer request; one of --public or --internal is required. Not idempotent: running it again posts a second comment',
  define: (c) =>
    c
      .argument('<key>', 'request issue key (ITSM-12) or id')
      .argument('<text>', 'the comment, or - to read it from stdin')
      .addOption(new Option('--public', 'a reply the customer sees and is notified of').conflicts('internal'))
      .addOption(new Option('--internal', 'an internal note only agents see')),
  run: async (jira, call, ctx) => {
    const [key, text] = call.args as [string, string];
    const o = call.options;
    if (o['public'] !== true && o['internal'] !== true) {
      throw new ConfigError('Say who sees the comment', [{ field: '--public', rule: 'required', message: 'give --public (the customer sees it) or --internal (agents only)' }]);
    }
    const isPublic = o['public'] === true;
    const added = await jira.serviceDesk.addComment(key, { body: await textArgument(ctx, text), public: isPublic }, { signal: ctx.signal });
    ctx.out.result(call.flags.json, { issueKey: key, ...withoutKeys(added, ['raw']) }, () => [`${isPublic ? 'public reply' : 'internal note'} ${added.id} added to ${key}`]);
  },
};

/** `jira request create | comment`: Jira Service Management customer requests. */
export const REQUEST_VERBS: readonly Verb<JiraClient>[] = [create, comment];
