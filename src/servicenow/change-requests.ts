import type { Transport } from '../core/index.js';
import { defineTable, type CreateOf, type FieldOf, type FilterOf, type RecordOf, type UpdateOf } from './define-table.js';
import type { JournalResource } from './journal.js';
import { CHANGE_PRIORITIES, CHANGE_RISKS, CHANGE_STATES, CHANGE_TYPES, type TableSchema } from './mapper.js';
import { TASK_FIELDS } from './task-fields.js';
import { TaskResource } from './task-resource.js';

/**
 * Change type: standard (pre-approved), normal, emergency.
 * @useDeclaredType
 */
export type ChangeType = keyof typeof CHANGE_TYPES.codes;
/**
 * Change state (state model since Quebec).
 * @useDeclaredType
 */
export type ChangeState = keyof typeof CHANGE_STATES.codes;
/**
 * Change risk.
 * @useDeclaredType
 */
export type ChangeRisk = keyof typeof CHANGE_RISKS.codes;
/**
 * Change priority.
 * @useDeclaredType
 */
export type ChangePriority = keyof typeof CHANGE_PRIORITIES.codes;

/** The `change_request` table: its columns, what callers may set and filter on, its choice codes and numbers. */
export const CHANGE_REQUEST_TABLE = /* @__PURE__ */ defineTable({
  table: 'change_request',
  label: 'change request',
  number: { prefix: 'CHG', start: 30001 },
  base: TASK_FIELDS,
  fields: {
    type: { kind: 'choice', choice: CHANGE_TYPES, writable: true, required: true, filterable: true, default: 'normal' },
    short_description: { kind: 'string', writable: true, required: true },
    state: { kind: 'choice', choice: CHANGE_STATES, writable: 'update', filterable: true, default: '-5' },
    risk: { kind: 'choice', choice: CHANGE_RISKS, writable: true, filterable: true, default: '3' },
    priority: { kind: 'choice', choice: CHANGE_PRIORITIES, default: '4' },
    category: { kind: 'string', writable: true, filterable: true, default: 'Other' },
    requested_by: { kind: 'reference', references: 'sys_user', writable: true },
    start_date: { kind: 'datetime', writable: true },
    end_date: { kind: 'datetime', writable: true },
    justification: { kind: 'string', writable: true },
    implementation_plan: { kind: 'string', writable: true },
    backout_plan: { kind: 'string', writable: true },
    test_plan: { kind: 'string', writable: true },
    approval: { kind: 'string', default: 'not yet requested' },
  },
});

/** The change request columns and how each is read (the declaration's `fields`). */
// A pure call rather than a property read at module level, so bundles without change requests drop it.
export const CHANGE_REQUEST_SCHEMA: TableSchema = /* @__PURE__ */ (() => CHANGE_REQUEST_TABLE.fields)();

/** Column names of `change_request` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type ChangeRequestField = FieldOf<typeof CHANGE_REQUEST_TABLE>;

/** A change request, camelCased and typed (open enums: unknown codes come through as the code). */
export interface ChangeRequest extends RecordOf<typeof CHANGE_REQUEST_TABLE> {}

/** Fields of a new change request; `type` and `shortDescription` are required. */
export interface ChangeRequestCreate extends CreateOf<typeof CHANGE_REQUEST_TABLE> {
  /** Your own id: makes create safe to retry (looked up before any re-POST). */
  readonly correlationId?: string;
}

/** Fields to change on a change request. */
export interface ChangeRequestUpdate extends UpdateOf<typeof CHANGE_REQUEST_TABLE> {}

/** Typed filters for change request searches. */
export interface ChangeRequestFilter extends FilterOf<typeof CHANGE_REQUEST_TABLE> {}

/**
 * Change requests: create (standard, normal or emergency, with risk and
 * impact; duplicate-safe with a correlation id), get by sys_id or number,
 * update, search, work notes.
 */
export class ChangeRequestsResource extends TaskResource<
  typeof CHANGE_REQUEST_TABLE,
  ChangeRequest,
  ChangeRequestCreate,
  ChangeRequestUpdate,
  ChangeRequestFilter,
  ChangeRequestField
> {
  constructor(transport: Transport, journal: JournalResource) {
    super(transport, journal, CHANGE_REQUEST_TABLE);
  }
}
