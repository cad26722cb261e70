import type { CreateIssueInput, JiraClient, JiraIssue } from '../jira/index.js';
import { integerFlag, list, withoutKeys } from './remote.js';
import type { Verb } from './verbs.js';

/** An issue for `--json`: the mapped fields, without the wire copies (`fields`, `raw`). */
function issueJson(issue: JiraIssue): Partial<JiraIssue> {
  return withoutKeys(issue, ['raw', 'fields']);
}

const create: Verb<JiraClient> = {
  path: ['issue', 'create'],
  description: 'create an issue (pass --correlation-key to make retries safe)',
  define: (c) =>
    c
      .requiredOption('--project <key>', 'project key, e.g. OPS')
      .requiredOption('--type <name>', 'issue type, e.g. Task or Incident')
      .requiredOption('--summary <text>', 'the title (1 to 255 characters)')
      .option('--description <text>', 'plain text (converted to ADF on Cloud)')
      .option('--priority <name>', 'e.g. High')
      .option('--labels <list>', 'comma-separated labels')
      .option('--components <list>', 'comma-separated component names')
      .option('--correlation-key <key>', 'your id for it: a retry after an ambiguous failure searches for it instead of creating a second one'),
  run: async (jira, call, ctx) => {
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
  },
};

const get: Verb<JiraClient> = {
  path: ['issue', 'get'],
  description: 'read an issue by key (OPS-1) or id',
  define: (c) => c.argument('<key>', 'issue key or id'),
  run: async (jira, call, ctx) => {
    const found = await jira.issues.get(call.args[0] as string, { signal: ctx.signal });
    ctx.out.result(call.flags.json, issueJson(found), () => [
      `${found.key}  ${found.summary ?? ''}`,
      `  ${found.issueType?.name ?? '-'}, ${found.status?.name ?? '-'}, priority ${found.priority?.name ?? '-'}${found.labels.length ? `, labels ${found.labels.join(', ')}` : ''}`,
      ...(found.description ? ['', ...found.description.split('\n').map((l) => `  ${l}`)] : []),
    ]);
  },
};

const search: Verb<JiraClient> = {
  path: ['issue', 'search'],
  description: 'list issues matching a JQL query (Cloud needs a restriction such as project = KEY)',
  define: (c) =>
    c
      .argument('<jql>', 'the query, e.g. "project = OPS AND statusCategory != Done"')
      .option('--limit <n>', 'issues to return at most', '50')
      .option('--fields <list>', 'comma-separated fields to fetch (default: navigable fields)'),
  run: async (jira, call, ctx) => {
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
  },
};

/** `jira issue create | get | search`. */
export const ISSUE_VERBS: readonly Verb<JiraClient>[] = [create, get, search];
