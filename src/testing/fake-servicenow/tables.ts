import {
  CHANGE_REQUEST_TABLE,
  CHANGE_TASK_TABLE,
  CONFIGURATION_ITEM_TABLE,
  GROUP_TABLE,
  INCIDENT_TABLE,
  PROBLEM_TABLE,
  REQUESTED_ITEM_TABLE,
  type TableDeclaration,
  USER_TABLE,
} from '../../servicenow/index.js';

/**
 * The fake instance's tables: what each known table references, which fields
 * are journals or choices, its number prefix and defaults, and seed data. The
 * SDK's declared tables are modelled from their declarations. Every stored
 * value is a string, as on a real instance.
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

/** Base priority lookup: impact x urgency -> priority (ServiceNow's default data lookup rules). */
export function priorityFor(impact: string, urgency: string): string {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return '5';
  return String(i + u - 1);
}

/** Columns a new record of a table that has them gets from the insert itself. */
const ON_INSERT: Readonly<Record<string, 'now' | 'user'>> = { opened_at: 'now', opened_by: 'user', requested_by: 'user', requested_for: 'user' };

/**
 * The fake's model of a declared table (see `defineTable`): references,
 * journals, choice labels, numbering, the display column, and a new row's
 * values (each column's declared default, `sys_class_name`, and who and when
 * for `opened_by`/`opened_at` and the like).
 */
export function fakeTable(declaration: TableDeclaration): TableDefinition {
  const refs: Record<string, string> = {};
  const journal: string[] = [];
  const choices: Record<string, Readonly<Record<string, string>>> = {};
  const start: Row = {};
  for (const [wire, field] of Object.entries(declaration.fields)) {
    if (field.references) refs[wire] = field.references;
    if (field.journal) journal.push(wire);
    if (field.choice) choices[wire] = field.choice.display;
    // System columns are set by the insert itself.
    if (!wire.startsWith('sys_')) start[wire] = field.default ?? '';
  }
  if ('sys_class_name' in declaration.fields) start['sys_class_name'] = declaration.table;
  return {
    refs,
    journal,
    choices,
    ...(declaration.number ? { number: declaration.number } : {}),
    displayField: declaration.displayField,
    defaults: ({ now, user }) => {
      const row = { ...start };
      for (const [column, what] of Object.entries(ON_INSERT)) if (column in row) row[column] = what === 'now' ? now : user;
      return row;
    },
  };
}

/** The SDK's declared tables: the fake models each from its declaration. */
export const DECLARED_TABLES: readonly TableDeclaration[] = [
  INCIDENT_TABLE,
  PROBLEM_TABLE,
  CHANGE_REQUEST_TABLE,
  CHANGE_TASK_TABLE,
  REQUESTED_ITEM_TABLE,
  USER_TABLE,
  GROUP_TABLE,
  CONFIGURATION_ITEM_TABLE,
];

/** The tables the fake models specifically: the declared ones, and the journal and knowledge tables; any other table is generic. */
export const TABLES: Readonly<Record<string, TableDefinition>> = {
  ...Object.fromEntries(DECLARED_TABLES.map((d) => [d.table, fakeTable(d)])),
  sys_journal_field: {
    refs: {},
    journal: [],
    choices: {},
    displayField: 'value',
    defaults: () => ({ element_id: '', element: '', name: '', value: '' }),
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

/** Rows every fake starts with: users, groups, configuration items, a catalog request with one item, a knowledge base with two articles. */
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
  cmdb_ci: [
    { sys_id: 'b4fd7c8437201000deeabfc8bcbe5dc1', name: 'vpn-zrh-01', sys_class_name: 'cmdb_ci_netgear', category: 'Network', ip_address: '10.20.0.1' },
    { sys_id: '3a5dd3dbc0a8ce0100655f1ec66ed42c', name: 'web-01', sys_class_name: 'cmdb_ci_server', category: 'Hardware', ip_address: '10.20.1.11' },
    { sys_id: '26e44e8a0a0a0bb400a8b6d3bbe3f2a2', name: 'web-01', sys_class_name: 'cmdb_ci_appl', category: 'Software' },
  ],
  sc_request: [{ sys_id: 'd5b6c0b4c0a8016401ca1e4b6e3b5a11', number: 'REQ0000001', short_description: 'New laptop', requested_for: '62826bf03710200044e0bfc8bcbe5df1' }],
  sc_req_item: [
    {
      sys_id: 'aeed229047801200e0ef563dbb9a71c2',
      number: 'RITM0000001',
      short_description: 'Standard laptop',
      request: 'd5b6c0b4c0a8016401ca1e4b6e3b5a11',
      requested_for: '62826bf03710200044e0bfc8bcbe5df1',
      stage: 'fulfillment',
      state: '2',
    },
  ],
  kb_knowledge_base: [{ sys_id: 'a7e8a78bff0221009b20ffffffffff17', title: 'IT', name: 'IT' }],
  kb_knowledge: [
    { sys_id: '3b0fccee0a0a0b9b00d4f6a3d3bb3bd3', number: 'KB0000001', short_description: 'How to reset your VPN token', text: '<p>Open the self-service portal and choose Reset token.</p>', kb_knowledge_base: 'a7e8a78bff0221009b20ffffffffff17' },
    { sys_id: '9e2ac5b5c0a8016401f1e7b2a0e7b77d', number: 'KB0000002', short_description: 'Email not syncing on mobile', text: '<p>Remove and re-add the account.</p>', kb_knowledge_base: 'a7e8a78bff0221009b20ffffffffff17' },
  ],
};
