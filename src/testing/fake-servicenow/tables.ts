/**
 * The fake instance's tables: what each known table references, which fields
 * are journals or choices, its number prefix and defaults, and seed data.
 * Every stored value is a string, as on a real instance.
 */

/** A stored row: database values, all strings. */
export type Row = Record<string, string>;

/** What the fake knows about one table. */
export interface TableDefinition {
  /** Reference fields -> referenced table. */
  readonly refs: Readonly<Record<string, string>>;
  /** Journal fields (write appends, read `""`). */
  readonly journal: readonly string[];
  /** Choice fields -> code -> label. */
  readonly choices: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Number prefix and first number (`INC`, 10001 -> `INC0010001`). */
  readonly number?: { readonly prefix: string; readonly start: number };
  /** The field shown as a reference's display value. */
  readonly displayField: string;
  /** Values a new row starts with (before system fields). */
  readonly defaults: (ctx: { now: string; user: string }) => Row;
}

const LEVEL_LABELS = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };
const INCIDENT_STATE_LABELS = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' };

/** Base priority lookup: impact x urgency -> priority (ServiceNow's default data lookup rules). */
export function priorityFor(impact: string, urgency: string): string {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return '5';
  return String(i + u - 1);
}

const TASK_REFS = { assignment_group: 'sys_user_group', assigned_to: 'sys_user', opened_by: 'sys_user', cmdb_ci: 'cmdb_ci', company: 'core_company', location: 'cmn_location' };

/** The tables the fake models specifically; any other table is generic. */
export const TABLES: Readonly<Record<string, TableDefinition>> = {
  incident: {
    refs: { ...TASK_REFS, caller_id: 'sys_user', resolved_by: 'sys_user', closed_by: 'sys_user', problem_id: 'problem', parent_incident: 'incident' },
    journal: ['work_notes', 'comments'],
    choices: {
      state: INCIDENT_STATE_LABELS,
      incident_state: INCIDENT_STATE_LABELS,
      urgency: LEVEL_LABELS,
      impact: LEVEL_LABELS,
      priority: { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low', '5': '5 - Planning' },
    },
    number: { prefix: 'INC', start: 10001 },
    displayField: 'number',
    defaults: ({ now, user }) => ({
      short_description: '', description: '', state: '1', incident_state: '1', urgency: '3', impact: '3', priority: '5',
      category: 'inquiry', subcategory: '', contact_type: '', caller_id: '', assignment_group: '', assigned_to: '',
      opened_by: user, opened_at: now, resolved_by: '', resolved_at: '', closed_by: '', closed_at: '', close_code: '',
      close_notes: '', correlation_id: '', correlation_display: '', active: 'true', work_notes: '', comments: '',
      hold_reason: '', cmdb_ci: '', company: '', location: '', problem_id: '', parent_incident: '', reassignment_count: '0',
      reopen_count: '0', severity: '3', approval: 'not requested', made_sla: 'true', sys_class_name: 'incident',
    }),
  },
  change_request: {
    refs: { ...TASK_REFS, requested_by: 'sys_user' },
    journal: ['work_notes', 'comments'],
    choices: {
      type: { standard: 'Standard', normal: 'Normal', emergency: 'Emergency' },
      state: { '-5': 'New', '-4': 'Assess', '-3': 'Authorize', '-2': 'Scheduled', '-1': 'Implement', '0': 'Review', '3': 'Closed', '4': 'Canceled' },
      risk: { '1': 'Very High', '2': 'High', '3': 'Moderate', '4': 'Low' },
      impact: LEVEL_LABELS,
      urgency: LEVEL_LABELS,
      priority: { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low' },
    },
    number: { prefix: 'CHG', start: 30001 },
    displayField: 'number',
    defaults: ({ now, user }) => ({
      short_description: '', description: '', type: 'normal', state: '-5', risk: '3', impact: '3', urgency: '3', priority: '4',
      category: 'Other', assignment_group: '', assigned_to: '', requested_by: user, opened_by: user, opened_at: now,
      start_date: '', end_date: '', justification: '', implementation_plan: '', backout_plan: '', test_plan: '',
      close_code: '', close_notes: '', correlation_id: '', correlation_display: '', active: 'true',
      approval: 'not yet requested', work_notes: '', comments: '', cmdb_ci: '', company: '', location: '',
      sys_class_name: 'change_request',
    }),
  },
  sys_journal_field: {
    refs: {},
    journal: [],
    choices: {},
    displayField: 'value',
    defaults: () => ({ element_id: '', element: '', name: '', value: '' }),
  },
  sys_user: {
    refs: { manager: 'sys_user' },
    journal: [],
    choices: {},
    displayField: 'name',
    defaults: () => ({ user_name: '', name: '', first_name: '', last_name: '', email: '', active: 'true', manager: '' }),
  },
  sys_user_group: {
    refs: { manager: 'sys_user' },
    journal: [],
    choices: {},
    displayField: 'name',
    defaults: () => ({ name: '', description: '', email: '', active: 'true', manager: '' }),
  },
  kb_knowledge: {
    refs: { author: 'sys_user', kb_knowledge_base: 'kb_knowledge_base' },
    journal: [],
    choices: { workflow_state: { draft: 'Draft', published: 'Published', retired: 'Retired' } },
    number: { prefix: 'KB', start: 10001 },
    displayField: 'short_description',
    defaults: ({ user }) => ({ short_description: '', text: '', workflow_state: 'published', author: user, kb_knowledge_base: '', active: 'true' }),
  },
};

/** A table the fake has no model of: no references, no journal, no choices. */
export const GENERIC_TABLE: TableDefinition = {
  refs: {},
  journal: [],
  choices: {},
  displayField: 'name',
  defaults: () => ({}),
};

/** The admin user every fake has (ServiceNow's well-known demo sys_id). */
export const ADMIN_SYS_ID = '6816f79cc0a8016401c5a33be04be441';

/** Rows every fake starts with: users, groups, a knowledge base with two articles. */
export const SEED: Readonly<Record<string, readonly Row[]>> = {
  sys_user: [
    { sys_id: ADMIN_SYS_ID, user_name: 'admin', name: 'System Administrator', first_name: 'System', last_name: 'Administrator', email: 'admin@example.com' },
    { sys_id: '62826bf03710200044e0bfc8bcbe5df1', user_name: 'abel.tuter', name: 'Abel Tuter', first_name: 'Abel', last_name: 'Tuter', email: 'abel.tuter@example.com' },
    { sys_id: '46d44a23a9fe19810012d100cca80666', user_name: 'beth.anglin', name: 'Beth Anglin', first_name: 'Beth', last_name: 'Anglin', email: 'beth.anglin@example.com' },
  ],
  sys_user_group: [
    { sys_id: 'd625dccec0a8016700a222a0f7900d06', name: 'Service Desk', description: 'First line support' },
    { sys_id: '287ebd7da9fe198100f92cc8d1d2154e', name: 'Network', description: 'Network operations' },
    { sys_id: '8a5055c9c61122780043563ef53438e3', name: 'Software', description: 'Application support' },
  ],
  kb_knowledge_base: [{ sys_id: 'a7e8a78bff0221009b20ffffffffff17', title: 'IT', name: 'IT' }],
  kb_knowledge: [
    { sys_id: '3b0fccee0a0a0b9b00d4f6a3d3bb3bd3', number: 'KB0000001', short_description: 'How to reset your VPN token', text: '<p>Open the self-service portal and choose Reset token.</p>', kb_knowledge_base: 'a7e8a78bff0221009b20ffffffffff17' },
    { sys_id: '9e2ac5b5c0a8016401f1e7b2a0e7b77d', number: 'KB0000002', short_description: 'Email not syncing on mobile', text: '<p>Remove and re-add the account.</p>', kb_knowledge_base: 'a7e8a78bff0221009b20ffffffffff17' },
  ],
};
