/** The fake Jira's data: projects, issue types, a small workflow, issues, comments and properties. */

/** A project the fake knows. */
export interface FakeProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
}

/** A workflow status. */
export interface FakeStatus {
  readonly id: string;
  readonly name: string;
  readonly category: 'new' | 'indeterminate' | 'done';
}

/** A comment as stored. */
export interface FakeComment {
  readonly id: string;
  readonly body: unknown;
  readonly authorAccountId: string;
  readonly created: number;
}

/** An issue as stored: `fields` is the wire shape GET returns. */
export interface FakeIssue {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string;
  readonly fields: Record<string, unknown>;
  readonly properties: Map<string, unknown>;
  readonly comments: FakeComment[];
  readonly createdMs: number;
  /** The fake's search counter when the issue was created (for search lag by count). */
  readonly searchSeq: number;
}

export const STATUSES = {
  todo: { id: '10000', name: 'To Do', category: 'new' },
  inProgress: { id: '3', name: 'In Progress', category: 'indeterminate' },
  done: { id: '10001', name: 'Done', category: 'done' },
} as const satisfies Record<string, FakeStatus>;

/** The workflow: To Do -> In Progress -> Done, with Stop Progress and Reopen back to To Do. */
export const WORKFLOW: Readonly<Record<string, readonly { id: string; name: string; to: FakeStatus }[]>> = {
  [STATUSES.todo.id]: [
    { id: '11', name: 'Start Progress', to: STATUSES.inProgress },
    { id: '31', name: 'Done', to: STATUSES.done },
  ],
  [STATUSES.inProgress.id]: [
    { id: '21', name: 'Stop Progress', to: STATUSES.todo },
    { id: '31', name: 'Done', to: STATUSES.done },
  ],
  [STATUSES.done.id]: [{ id: '41', name: 'Reopen', to: STATUSES.todo }],
};

export const ISSUE_TYPES = [
  { id: '10001', name: 'Task', subtask: false },
  { id: '10002', name: 'Bug', subtask: false },
  { id: '10003', name: 'Incident', subtask: false },
  { id: '10004', name: 'Story', subtask: false },
  { id: '10005', name: 'Sub-task', subtask: true },
] as const;

export const PRIORITIES = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
] as const;

export const RESOLUTIONS = [
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
  { id: '10003', name: 'Cannot Reproduce' },
  { id: '10004', name: 'Fixed' },
] as const;

/** Jira's timestamp format: `2022-10-06T07:32:47.000+0000`. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Wire shape of a status. */
export function statusField(status: FakeStatus): Record<string, unknown> {
  const names = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' } as const;
  return { id: status.id, name: status.name, statusCategory: { key: status.category, name: names[status.category] } };
}

/** Looks a `{id}` / `{name}` / `{key}` reference up in a list, case-insensitively by name. */
export function findRef<T extends { id: string; name?: string; key?: string }>(list: readonly T[], ref: unknown): T | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const r = ref as Record<string, unknown>;
  if (typeof r['id'] === 'string' || typeof r['id'] === 'number') return list.find((x) => x.id === String(r['id']));
  if (typeof r['key'] === 'string') return list.find((x) => x.key?.toLowerCase() === (r['key'] as string).toLowerCase());
  if (typeof r['name'] === 'string') return list.find((x) => x.name?.toLowerCase() === (r['name'] as string).toLowerCase());
  return undefined;
}

/** The fields an issue create or edit may set (others are "not on the appropriate screen"). */
export const SETTABLE_FIELDS = new Set(['project', 'issuetype', 'summary', 'description', 'priority', 'labels', 'components', 'assignee', 'reporter', 'duedate', 'parent', 'fixVersions', 'environment']);
