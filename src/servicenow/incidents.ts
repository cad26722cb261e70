import type { Transport } from '../core/index.js';
import { defineTable, type CreateOf, type FieldOf, type FilterOf, type RecordOf, type UpdateOf } from './define-table.js';
import type { JournalResource } from './journal.js';
import { INCIDENT_PRIORITIES, INCIDENT_STATES, type LEVELS, type TableSchema } from './mapper.js';
import type { RecordOptions, WithRetry } from './table-resource.js';
import { TASK_FIELDS } from './task-fields.js';
import { TaskResource } from './task-resource.js';

/**
 * Urgency or impact.
 * @useDeclaredType
 */
export type Level = keyof typeof LEVELS.codes;
/**
 * Incident priority (derived by the instance from impact x urgency).
 * @useDeclaredType
 */
export type IncidentPriority = keyof typeof INCIDENT_PRIORITIES.codes;
/**
 * Incident state.
 * @useDeclaredType
 */
export type IncidentState = keyof typeof INCIDENT_STATES.codes;

/** The `incident` table: its columns, what callers may set and filter on, its choice codes and numbers. */
export const INCIDENT_TABLE = /* @__PURE__ */ defineTable({
  table: 'incident',
  label: 'incident',
  number: { prefix: 'INC', start: 10001 },
  base: TASK_FIELDS,
  fields: {
    short_description: { kind: 'string', writable: true, required: true },
    state: { kind: 'choice', choice: INCIDENT_STATES, writable: 'update', filterable: true, default: '1' },
    incident_state: { kind: 'choice', choice: INCIDENT_STATES, default: '1' },
    priority: { kind: 'choice', choice: INCIDENT_PRIORITIES, filterable: true, default: '5' },
    category: { kind: 'string', writable: true, filterable: true, default: 'inquiry' },
    subcategory: { kind: 'string', writable: true, filterable: true },
    /** `phone`, `email`, `self-service`, ... (values vary per instance). */
    contact_type: { kind: 'string', writable: true, filterable: true },
    /** The caller's `sys_user` sys_id. */
    caller_id: { kind: 'reference', references: 'sys_user', writable: true, filterable: true },
    resolved_by: { kind: 'reference', references: 'sys_user' },
    resolved_at: { kind: 'datetime' },
    closed_by: { kind: 'reference', references: 'sys_user' },
    closed_at: { kind: 'datetime' },
    hold_reason: { kind: 'string', writable: 'update' },
    problem_id: { kind: 'reference', references: 'problem' },
    parent_incident: { kind: 'reference', references: 'incident' },
    reassignment_count: { kind: 'number', default: '0' },
    reopen_count: { kind: 'number', default: '0' },
    severity: { kind: 'string', default: '3' },
    made_sla: { kind: 'boolean', default: 'true' },
    approval: { kind: 'string', default: 'not requested' },
  },
});

/** The incident columns and how each is read (the declaration's `fields`). */
// A pure call rather than a property read at module level, so bundles without incidents drop it.
export const INCIDENT_SCHEMA: TableSchema = /* @__PURE__ */ (() => INCIDENT_TABLE.fields)();

/** Column names of `incident` that itsmkit knows, plus custom `u_` fields and dot-walks: what queries and `fields` accept. */
export type IncidentField = FieldOf<typeof INCIDENT_TABLE>;

/**
 * An incident, camelCased and typed. Fields left out by `fields` are
 * `undefined`; choice codes the SDK does not know come through as the code.
 * `workNotes` and `comments` read `""` unless display values were requested
 * (read the entries with `workNotes()` and `comments()`).
 */
export interface Incident extends RecordOf<typeof INCIDENT_TABLE> {}

/** Fields of a new incident. `shortDescription` is required; urgency and impact default to `low` on the instance. */
export interface IncidentCreate extends CreateOf<typeof INCIDENT_TABLE> {
  /**
   * Your own id for this incident (`correlation_id`). With it, a create that
   * fails ambiguously is looked up before any retry, so it never duplicates.
   */
  readonly correlationId?: string;
}

/** Fields to change on an incident. Use `addWorkNote`/`resolve`/`close` for those flows. */
export interface IncidentUpdate extends UpdateOf<typeof INCIDENT_TABLE> {}

/** Typed filters for {@link IncidentsResource.search}: each equals its value, or is one of a list. */
export interface IncidentFilter extends FilterOf<typeof INCIDENT_TABLE> {}

/** Resolution fields (both required by the usual data policy). */
export interface ResolveInput {
  /** `close_code`, e.g. `Solution provided` (valid codes vary per instance). */
  readonly closeCode: string;
  /** `close_notes`. */
  readonly closeNotes: string;
}

/**
 * Incidents: create (duplicate-safe with a correlation id), get by sys_id or
 * number, update, search, work notes and comments, resolve and close.
 *
 * @example
 * const inc = await sn.incidents.create({ shortDescription: 'VPN down', urgency: 'high', impact: 'medium', correlationId: 'alert-42' });
 * await sn.incidents.addWorkNote(inc.number, 'Investigating');
 * await sn.incidents.resolve(inc.sysId, { closeCode: 'Solution provided', closeNotes: 'Restarted the concentrator' });
 */
export class IncidentsResource extends TaskResource<typeof INCIDENT_TABLE, Incident, IncidentCreate, IncidentUpdate, IncidentFilter, IncidentField> {
  constructor(transport: Transport, journal: JournalResource) {
    super(transport, journal, INCIDENT_TABLE);
  }

  /** Resolves (state 6) with a resolution code and notes, both required. */
  async resolve(idOrNumber: string, resolution: ResolveInput, options: RecordOptions<IncidentField> = {}): Promise<WithRetry<Incident>> {
    const wire = this.toWire({ closeCode: resolution?.closeCode, closeNotes: resolution?.closeNotes }, this.declaration.updatable, ['closeCode', 'closeNotes']);
    return this.patch(idOrNumber, { ...wire, state: INCIDENT_STATES.codes.resolved, incident_state: INCIDENT_STATES.codes.resolved }, options);
  }

  /** Closes (state 7), optionally setting the resolution fields on the way. */
  async close(idOrNumber: string, resolution: Partial<ResolveInput> = {}, options: RecordOptions<IncidentField> = {}): Promise<WithRetry<Incident>> {
    const wire = this.toWire({ closeCode: resolution.closeCode, closeNotes: resolution.closeNotes }, this.declaration.updatable);
    return this.patch(idOrNumber, { ...wire, state: INCIDENT_STATES.codes.closed, incident_state: INCIDENT_STATES.codes.closed }, options);
  }
}
