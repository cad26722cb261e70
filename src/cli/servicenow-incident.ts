import type { Incident, IncidentCreate, IncidentField, IncidentFilter, ServiceNowClient } from '../servicenow/index.js';
import { integerFlag, list, withoutKeys } from './remote.js';
import type { Verb } from './verbs.js';

/** An incident for `--json`: everything but the wire record. */
export function incidentJson(incident: Incident): Partial<Incident> {
  return withoutKeys(incident, ['raw']);
}

/** An incident as lines for people: number and title, sys_id, state and priority, correlation id. */
export function incidentLines(i: Incident): string[] {
  return [
    `${i.number}  ${i.shortDescription ?? ''}`,
    `  sys_id ${i.sysId}`,
    `  state ${i.state ?? '-'}, priority ${i.priority ?? '-'} (urgency ${i.urgency ?? '-'}, impact ${i.impact ?? '-'})`,
    ...(i.correlationId ? [`  correlation id ${i.correlationId}`] : []),
  ];
}

const create: Verb<ServiceNowClient> = {
  path: ['incident', 'create'],
  description: 'create an incident (pass --correlation-id to make retries safe)',
  define: (c) =>
    c
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
      .option('--work-notes <text>', 'a first work note'),
  run: async (sn, call, ctx) => {
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
    ctx.out.result(call.flags.json, incidentJson(created), () => [created.created ? 'created' : 'already exists (same correlation id): nothing created', ...incidentLines(created)]);
  },
};

const get: Verb<ServiceNowClient> = {
  path: ['incident', 'get'],
  description: 'read an incident by number (INC0010001) or sys_id',
  define: (c) => c.argument('<id>', 'number or sys_id').option('--fields <list>', 'comma-separated wire field names to return (default: all)'),
  run: async (sn, call, ctx) => {
    const fields = list(call.options['fields']) as IncidentField[] | undefined;
    const found = await sn.incidents.get(call.args[0] as string, { ...(fields ? { fields } : {}), signal: ctx.signal });
    ctx.out.result(call.flags.json, incidentJson(found), () => incidentLines(found));
  },
};

const search: Verb<ServiceNowClient> = {
  path: ['incident', 'search'],
  description: 'list incidents matching filters (lists are comma-separated: --state new,inProgress)',
  define: (c) =>
    c
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
      .option('--fields <list>', 'comma-separated wire field names to return (default: all)'),
  run: async (sn, call, ctx) => {
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
  },
};

/** `servicenow incident create | get | search`. */
export const INCIDENT_VERBS: readonly Verb<ServiceNowClient>[] = [create, get, search];
