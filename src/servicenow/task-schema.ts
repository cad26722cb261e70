import { LEVELS, type TableSchema } from './mapper.js';

/**
 * Fields of ServiceNow's `task` table, which `incident` and `change_request`
 * extend: how each is read. Table schemas spread it and add their own.
 */
export const TASK_SCHEMA: TableSchema = {
  sys_id: { kind: 'string' },
  number: { kind: 'string' },
  short_description: { kind: 'string' },
  description: { kind: 'string' },
  urgency: { kind: 'choice', choice: LEVELS },
  impact: { kind: 'choice', choice: LEVELS },
  category: { kind: 'string' },
  assignment_group: { kind: 'reference' },
  assigned_to: { kind: 'reference' },
  opened_by: { kind: 'reference' },
  opened_at: { kind: 'datetime' },
  close_code: { kind: 'string' },
  close_notes: { kind: 'string' },
  correlation_id: { kind: 'string' },
  correlation_display: { kind: 'string' },
  active: { kind: 'boolean' },
  approval: { kind: 'string' },
  work_notes: { kind: 'string' },
  comments: { kind: 'string' },
  cmdb_ci: { kind: 'reference' },
  sys_created_on: { kind: 'datetime' },
  sys_updated_on: { kind: 'datetime' },
  sys_created_by: { kind: 'string' },
  sys_updated_by: { kind: 'string' },
  sys_mod_count: { kind: 'number' },
  sys_class_name: { kind: 'string' },
};
