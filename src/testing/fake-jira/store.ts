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

/** A person or app in the fake's user directory. */
export interface FakeDirectoryUser {
  /** The Cloud account id. */
  readonly accountId: string;
  /** The Data Center user key. */
  readonly key: string;
  /** The Data Center user name. */
  readonly name: string;
  readonly displayName: string;
  /** Empty for apps. */
  readonly emailAddress: string;
  /** `atlassian` (a person), `app` or `customer`. */
  readonly accountType: 'atlassian' | 'app' | 'customer';
  active: boolean;
  /** False when the person's profile visibility hides the address on Cloud (Data Center always shows it). */
  readonly emailVisible: boolean;
}

/**
 * The seeded directory: the demo user, people with visible and hidden
 * addresses, two whose names and addresses share a prefix, one who left
 * (inactive), an app and a service-desk customer.
 */
export function seedUsers(demoEmail: string): FakeDirectoryUser[] {
  const person = (accountId: string, n: number, name: string, displayName: string, emailAddress: string, more: Partial<FakeDirectoryUser> = {}): FakeDirectoryUser => ({
    accountId,
    key: `JIRAUSER${10000 + n}`,
    name,
    displayName,
    emailAddress,
    accountType: 'atlassian',
    active: true,
    emailVisible: true,
    ...more,
  });
  return [
    person('557058:demo-account', 0, 'demo', 'Demo User', demoEmail),
    person('5b10ac8d82e05b22cc7d4ef5', 1, 'sam.lee', 'Sam Lee', 'sam.lee@example.com'),
    person('5b10a2844c20165700ede21g', 2, 'ops', 'Ops On-Call', 'ops@example.com'),
    person('60e5a86a471e61006a0d7a11', 3, 'priya.raman', 'Priya Raman', 'priya.raman@example.com', { emailVisible: false }),
    person('60e5a86a471e61006a0d7a12', 4, 'alex.kim', 'Alex Kim', 'alex.kim@example.com'),
    person('60e5a86a471e61006a0d7a13', 5, 'alex.kimura', 'Alex Kimura', 'alex.kimura@example.com', { emailVisible: false }),
    person('60e5a86a471e61006a0d7a14', 6, 'jordan.doe', 'Jordan Doe', 'jordan.doe@example.com', { active: false }),
    person('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', 7, 'automation', 'Automation for Jira', '', { accountType: 'app' }),
    person('qm:1a2b3c4d:customer-casey', 8, 'casey', 'Casey Customer', 'casey@customer.example.com', { accountType: 'customer' }),
  ];
}

/** Whether a user search `query` matches: a prefix of the display name or one of its words, the address or (Data Center) the user name, case-insensitively. */
export function userMatches(user: FakeDirectoryUser, query: string, withName: boolean): boolean {
  const q = query.toLowerCase();
  const starts = (value: string) => value !== '' && value.toLowerCase().startsWith(q);
  return starts(user.displayName) || user.displayName.split(/\s+/).some(starts) || starts(user.emailAddress) || (withName && starts(user.name));
}
