import type { FieldDeclarations } from './define-table.js';
import { LEVELS } from './mapper.js';

/**
 * Columns of ServiceNow's `task` table, which incidents, problems, change
 * requests, change tasks and requested items extend. Task table
 * declarations name it as their `base` and add (or override) their own columns.
 */
export const TASK_FIELDS = {
  number: { kind: 'string', filterable: true },
  short_description: { kind: 'string', writable: true },
  description: { kind: 'string', writable: true },
  urgency: { kind: 'choice', choice: LEVELS, writable: true, filterable: true, default: '3' },
  impact: { kind: 'choice', choice: LEVELS, writable: true, filterable: true, default: '3' },
  category: { kind: 'string', writable: true, filterable: true },
  /** A `sys_user_group` sys_id. */
  assignment_group: { kind: 'reference', references: 'sys_user_group', writable: true, filterable: true },
  /** A `sys_user` sys_id. */
  assigned_to: { kind: 'reference', references: 'sys_user', writable: true, filterable: true },
  opened_by: { kind: 'reference', references: 'sys_user' },
  opened_at: { kind: 'datetime' },
  close_code: { kind: 'string', writable: 'update' },
  close_notes: { kind: 'string', writable: 'update' },
  /**
   * Your own id for the record. With it, a create that fails ambiguously is
   * looked up before any retry, so it never duplicates.
   */
  correlation_id: { kind: 'string', writable: true, filterable: true },
  correlation_display: { kind: 'string', writable: true },
  active: { kind: 'boolean', filterable: true, default: 'true' },
  approval: { kind: 'string' },
  /** A first work note on create; read entries with `workNotes()`. */
  work_notes: { kind: 'string', journal: true, writable: 'create' },
  /** A first additional comment on create; read entries with `comments()`. */
  comments: { kind: 'string', journal: true, writable: 'create' },
  /** A `cmdb_ci` sys_id. */
  cmdb_ci: { kind: 'reference', references: 'cmdb_ci', writable: true },
  company: { kind: 'reference', references: 'core_company' },
  location: { kind: 'reference', references: 'cmn_location' },
  sys_class_name: { kind: 'string' },
} as const satisfies FieldDeclarations;
