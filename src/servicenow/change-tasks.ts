import type { Transport } from '../core/index.js';
import { defineTable, type CreateOf, type FieldOf, type FilterOf, type RecordOf, type UpdateOf } from './define-table.js';
import type { JournalResource } from './journal.js';
import { CHANGE_PRIORITIES, defineChoices } from './mapper.js';
import { TASK_FIELDS } from './task-fields.js';
import { TaskResource } from './task-resource.js';

/** Change task states. */
export const CHANGE_TASK_STATES = /* @__PURE__ */ defineChoices({
  pending: ['-5', 'Pending'],
  open: ['1', 'Open'],
  inProgress: ['2', 'In Progress'],
  closed: ['3', 'Closed'],
  canceled: ['4', 'Canceled'],
});
/** Change task types (stored value = name). */
export const CHANGE_TASK_TYPES = /* @__PURE__ */ defineChoices({
  planning: ['planning', 'Planning'],
  implementation: ['implementation', 'Implementation'],
  testing: ['testing', 'Testing'],
  review: ['review', 'Review'],
});

/**
 * Change task state.
 * @useDeclaredType
 */
export type ChangeTaskState = keyof typeof CHANGE_TASK_STATES.codes;
/**
 * Change task type.
 * @useDeclaredType
 */
export type ChangeTaskType = keyof typeof CHANGE_TASK_TYPES.codes;

/** The `change_task` table: its columns, what callers may set and filter on, its choice codes and numbers. */
export const CHANGE_TASK_TABLE = /* @__PURE__ */ defineTable({
  table: 'change_task',
  label: 'change task',
  number: { prefix: 'CTASK', start: 10001 },
  base: TASK_FIELDS,
  fields: {
    /** The parent change request's sys_id. */
    change_request: { kind: 'reference', references: 'change_request', writable: 'create', required: true, filterable: true },
    short_description: { kind: 'string', writable: true, required: true },
    change_task_type: { kind: 'choice', choice: CHANGE_TASK_TYPES, writable: true, filterable: true, default: 'implementation' },
    state: { kind: 'choice', choice: CHANGE_TASK_STATES, writable: 'update', filterable: true, default: '1' },
    priority: { kind: 'choice', choice: CHANGE_PRIORITIES, default: '4' },
    planned_start_date: { kind: 'datetime', writable: true },
    planned_end_date: { kind: 'datetime', writable: true },
    on_hold: { kind: 'boolean', writable: 'update', default: 'false' },
    on_hold_reason: { kind: 'string', writable: 'update' },
    closed_by: { kind: 'reference', references: 'sys_user' },
    closed_at: { kind: 'datetime' },
  },
});

/** Column names of `change_task` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type ChangeTaskField = FieldOf<typeof CHANGE_TASK_TABLE>;
/** A change task, camelCased and typed (open enums: unknown codes come through as the code). */
export interface ChangeTask extends RecordOf<typeof CHANGE_TASK_TABLE> {}
/** Fields of a new change task; `changeRequest` (the parent's sys_id) and `shortDescription` are required. */
export interface ChangeTaskCreate extends CreateOf<typeof CHANGE_TASK_TABLE> {}
/** Fields to change on a change task. */
export interface ChangeTaskUpdate extends UpdateOf<typeof CHANGE_TASK_TABLE> {}
/** Typed filters for change task searches (`changeRequest` finds a change's tasks). */
export interface ChangeTaskFilter extends FilterOf<typeof CHANGE_TASK_TABLE> {}

/**
 * Change tasks: the work items of a change request. Create under a change
 * (by its sys_id), get by sys_id or number, update, search, work notes.
 *
 * @example
 * const chg = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Replace the VPN concentrator' });
 * await sn.changeTasks.create({ changeRequest: chg.sysId, shortDescription: 'Swap the hardware', changeTaskType: 'implementation' });
 * const tasks = await sn.changeTasks.search({ changeRequest: chg.sysId });
 */
export class ChangeTasksResource extends TaskResource<
  typeof CHANGE_TASK_TABLE,
  ChangeTask,
  ChangeTaskCreate,
  ChangeTaskUpdate,
  ChangeTaskFilter,
  ChangeTaskField
> {
  constructor(transport: Transport, journal: JournalResource) {
    super(transport, journal, CHANGE_TASK_TABLE);
  }
}
