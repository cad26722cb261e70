import { adfToText, textToAdf } from './adf.js';
import type {
  CreateIssueInput,
  JiraComment,
  JiraDeployment,
  JiraIssue,
  JiraNamed,
  JiraRichText,
  JiraStatus,
  JiraTransition,
  JiraUser,
  UpdateIssueInput,
} from './types.js';

/** Public (camelCase) field names and the Jira wire fields they map to: the one place the two meet. */
const WIRE_NAMES = {
  projectKey: 'project',
  issueType: 'issuetype',
  summary: 'summary',
  description: 'description',
  priority: 'priority',
  labels: 'labels',
  components: 'components',
  assigneeAccountId: 'assignee',
  dueDate: 'duedate',
  parent: 'parent',
  resolution: 'resolution',
} as const;

/** The camelCase name of a Jira wire field (`issuetype` -> `issueType`); custom fields keep their id. */
export function publicFieldName(wire: string): string {
  // A scan of a dozen names, not a Map built at load: that would stay in every bundle, Jira or not.
  return Object.entries(WIRE_NAMES).find(([, name]) => name === wire)?.[0] ?? wire;
}

const isId = (value: string) => /^\d+$/.test(value);
/** `{id}` for a numeric value, `{name}` otherwise: how Jira takes issue types, priorities, components. */
const idOrName = (value: string) => (isId(value) ? { id: value } : { name: value });

/** A rich-text value in the shape the deployment takes: ADF on Cloud, a string on Data Center. */
export function toWireRichText(value: JiraRichText, deployment: JiraDeployment): unknown {
  if (deployment === 'datacenter') return typeof value === 'string' ? value : adfToText(value);
  return typeof value === 'string' ? textToAdf(value) : value;
}

/** The `fields` object of a create body. */
export function toCreateFields(input: CreateIssueInput, deployment: JiraDeployment, extraLabels: readonly string[] = []): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    [WIRE_NAMES.projectKey]: isId(input.projectKey) ? { id: input.projectKey } : { key: input.projectKey },
    [WIRE_NAMES.issueType]: idOrName(input.issueType),
    [WIRE_NAMES.summary]: input.summary,
  };
  const labels = [...(input.labels ?? []), ...extraLabels];
  if (labels.length) fields[WIRE_NAMES.labels] = labels;
  if (input.parent !== undefined) fields[WIRE_NAMES.parent] = isId(input.parent) ? { id: input.parent } : { key: input.parent };
  Object.assign(fields, commonFields({ ...input, labels: undefined }, deployment));
  return fields;
}

/** The `fields` object of an edit (PUT) body: only what was given, `null` clears. */
export function toUpdateFields(input: UpdateIssueInput, deployment: JiraDeployment): Record<string, unknown> {
  const fields = commonFields(input, deployment);
  if (input.summary !== undefined) fields[WIRE_NAMES.summary] = input.summary;
  if (input.issueType !== undefined) fields[WIRE_NAMES.issueType] = idOrName(input.issueType);
  return fields;
}

type Common = Omit<UpdateIssueInput, 'summary' | 'issueType' | 'labels'> & { readonly labels?: readonly string[] | undefined };

function commonFields(input: Common, deployment: JiraDeployment): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (input.description !== undefined) fields[WIRE_NAMES.description] = input.description === null ? null : toWireRichText(input.description, deployment);
  if (input.priority !== undefined) fields[WIRE_NAMES.priority] = input.priority === null ? null : idOrName(input.priority);
  if (input.labels !== undefined) fields[WIRE_NAMES.labels] = [...input.labels];
  if (input.components !== undefined) fields[WIRE_NAMES.components] = input.components.map(idOrName);
  if (input.assigneeAccountId !== undefined) {
    // Cloud references users by account id; Data Center by user name.
    fields[WIRE_NAMES.assigneeAccountId] = input.assigneeAccountId === null ? null : deployment === 'cloud' ? { id: input.assigneeAccountId } : { name: input.assigneeAccountId };
  }
  if (input.dueDate !== undefined) fields[WIRE_NAMES.dueDate] = input.dueDate;
  if (input.customFields) Object.assign(fields, input.customFields);
  return fields;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

function named(value: unknown): JiraNamed | undefined {
  if (!isObject(value)) return undefined;
  const name = str(value['name']) ?? str(value['value']);
  return name === undefined ? undefined : { id: str(value['id']), name };
}

function status(value: unknown): JiraStatus | undefined {
  const base = named(value);
  if (!base || !isObject(value)) return undefined;
  const category = isObject(value['statusCategory']) ? str(value['statusCategory']['key']) : undefined;
  return { ...base, category };
}

/** A Jira user reference (`assignee`, `author`, `/myself`). */
export function fromWireUser(value: unknown): JiraUser | undefined {
  if (!isObject(value)) return undefined;
  return { accountId: str(value['accountId']) ?? str(value['name']), displayName: str(value['displayName']), emailAddress: str(value['emailAddress']) };
}

/** Parses Jira's timestamps (`2022-10-06T07:32:47.000+0000`, offset without a colon). */
export function parseJiraTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An issue from the wire, mapped to camelCase. Lenient: unknown fields stay in `fields` and `raw`. */
export function fromWireIssue(raw: unknown): JiraIssue {
  const issue = isObject(raw) ? raw : {};
  const fields = isObject(issue['fields']) ? issue['fields'] : {};
  const project = isObject(fields['project']) ? fields['project'] : {};
  const parent = isObject(fields['parent']) ? fields['parent'] : {};
  const description = fields['description'];
  return {
    id: str(issue['id']) ?? '',
    key: str(issue['key']) ?? '',
    self: str(issue['self']),
    projectKey: str(project['key']),
    summary: str(fields['summary']),
    description: description === undefined || description === null ? undefined : adfToText(description),
    issueType: named(fields['issuetype']),
    status: status(fields['status']),
    priority: named(fields['priority']),
    resolution: named(fields['resolution']),
    labels: Array.isArray(fields['labels']) ? fields['labels'].filter((l): l is string => typeof l === 'string') : [],
    components: Array.isArray(fields['components']) ? fields['components'].map(named).filter((c): c is JiraNamed => c !== undefined) : [],
    assignee: fromWireUser(fields['assignee']),
    dueDate: str(fields['duedate']),
    parentKey: str(parent['key']),
    created: parseJiraTime(fields['created']),
    updated: parseJiraTime(fields['updated']),
    fields,
    raw,
  };
}

/** A transition from `GET .../transitions`. */
export function fromWireTransition(raw: unknown): JiraTransition {
  const t = isObject(raw) ? raw : {};
  return { id: str(t['id']) ?? '', name: str(t['name']) ?? '', to: status(t['to']), raw };
}

/** A comment (ADF body on Cloud, a string on Data Center), body read back as text. */
export function fromWireComment(raw: unknown): JiraComment {
  const c = isObject(raw) ? raw : {};
  return {
    id: str(c['id']) ?? '',
    body: adfToText(c['body']),
    author: fromWireUser(c['author']),
    created: parseJiraTime(c['created']),
    updated: parseJiraTime(c['updated']),
    raw,
  };
}
