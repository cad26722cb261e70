import type { Transport } from '../core/index.js';
import { defineTable, type CreateOf, type FieldOf, type FilterOf, type RecordOf, type UpdateOf } from './define-table.js';
import type { JournalResource } from './journal.js';
import { defineChoices, INCIDENT_PRIORITIES } from './mapper.js';
import { TASK_FIELDS } from './task-fields.js';
import { TaskResource } from './task-resource.js';

/** Problem states of the state model since Madrid. */
export const PROBLEM_STATES = /* @__PURE__ */ defineChoices({
  new: ['101', 'New'],
  assess: ['102', 'Assess'],
  rootCauseAnalysis: ['103', 'Root Cause Analysis'],
  fixInProgress: ['104', 'Fix in Progress'],
  resolved: ['106', 'Resolved'],
  closed: ['107', 'Closed'],
});
/** Why a problem was resolved (stored value = snake_case name). */
export const PROBLEM_RESOLUTION_CODES = /* @__PURE__ */ defineChoices({
  fixApplied: ['fix_applied', 'Fix Applied'],
  riskAccepted: ['risk_accepted', 'Risk Accepted'],
  duplicate: ['duplicate', 'Duplicate'],
  canceled: ['canceled', 'Canceled'],
});

/**
 * Problem state.
 * @useDeclaredType
 */
export type ProblemState = keyof typeof PROBLEM_STATES.codes;
/**
 * Problem resolution code.
 * @useDeclaredType
 */
export type ProblemResolutionCode = keyof typeof PROBLEM_RESOLUTION_CODES.codes;

/** The `problem` table: its columns, what callers may set and filter on, its choice codes and numbers. */
export const PROBLEM_TABLE = /* @__PURE__ */ defineTable({
  table: 'problem',
  label: 'problem',
  number: { prefix: 'PRB', start: 40001 },
  base: TASK_FIELDS,
  fields: {
    short_description: { kind: 'string', writable: true, required: true },
    state: { kind: 'choice', choice: PROBLEM_STATES, writable: 'update', filterable: true, default: '101' },
    priority: { kind: 'choice', choice: INCIDENT_PRIORITIES, filterable: true, default: '5' },
    subcategory: { kind: 'string', writable: true, filterable: true },
    known_error: { kind: 'boolean', writable: true, filterable: true, default: 'false' },
    major_problem: { kind: 'boolean', writable: true, filterable: true, default: 'false' },
    workaround: { kind: 'string', writable: true },
    cause_notes: { kind: 'string', writable: true },
    fix_notes: { kind: 'string', writable: true },
    resolution_code: { kind: 'choice', choice: PROBLEM_RESOLUTION_CODES, writable: 'update', filterable: true },
    duplicate_of: { kind: 'reference', references: 'problem', writable: 'update' },
    first_reported_by_task: { kind: 'reference', references: 'task', writable: 'create' },
    rfc: { kind: 'reference', references: 'change_request', writable: true },
    related_incidents: { kind: 'number', default: '0' },
    resolved_by: { kind: 'reference', references: 'sys_user' },
    resolved_at: { kind: 'datetime' },
    closed_by: { kind: 'reference', references: 'sys_user' },
    closed_at: { kind: 'datetime' },
    approval: { kind: 'string', default: 'not requested' },
  },
});

/** Column names of `problem` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type ProblemField = FieldOf<typeof PROBLEM_TABLE>;
/** A problem, camelCased and typed (open enums: unknown codes come through as the code). */
export interface Problem extends RecordOf<typeof PROBLEM_TABLE> {}
/** Fields of a new problem; `shortDescription` is required. */
export interface ProblemCreate extends CreateOf<typeof PROBLEM_TABLE> {}
/** Fields to change on a problem (`state`, `resolutionCode`, `causeNotes`, `fixNotes`, ...). */
export interface ProblemUpdate extends UpdateOf<typeof PROBLEM_TABLE> {}
/** Typed filters for problem searches. */
export interface ProblemFilter extends FilterOf<typeof PROBLEM_TABLE> {}

/**
 * Problems: create (duplicate-safe with a correlation id), get by sys_id or
 * number, update (state, root cause, fix, resolution), search, work notes and
 * comments.
 *
 * @example
 * const prb = await sn.problems.create({ shortDescription: 'Recurring VPN drops', correlationId: 'rca-vpn-2026' });
 * await sn.problems.update(prb.number, { state: 'rootCauseAnalysis', causeNotes: 'Firmware leak' });
 */
export class ProblemsResource extends TaskResource<typeof PROBLEM_TABLE, Problem, ProblemCreate, ProblemUpdate, ProblemFilter, ProblemField> {
  constructor(transport: Transport, journal: JournalResource) {
    super(transport, journal, PROBLEM_TABLE);
  }
}
