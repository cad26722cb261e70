import type { Transport } from '../core/transport.js';
import type { JournalResource } from './journal.js';
import {
  INCIDENT_PRIORITIES,
  INCIDENT_STATES,
  type LEVELS,
  type DisplayValueMode,
  type RawRecord,
  type TableSchema,
} from './mapper.js';
import { TASK_SCHEMA } from './task-schema.js';
import type { RecordOptions } from './table-resource.js';
import { camelMap, TypedResource } from './typed-resource.js';

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

/** Column names of `incident` that itsmkit knows, plus custom `u_` fields: what queries and `fields` accept. */
export type IncidentField =
  | 'sys_id' | 'number' | 'short_description' | 'description' | 'state' | 'incident_state' | 'urgency' | 'impact'
  | 'priority' | 'category' | 'subcategory' | 'contact_type' | 'caller_id' | 'assignment_group' | 'assigned_to'
  | 'opened_by' | 'opened_at' | 'resolved_by' | 'resolved_at' | 'closed_by' | 'closed_at' | 'close_code'
  | 'close_notes' | 'correlation_id' | 'correlation_display' | 'active' | 'work_notes' | 'comments' | 'hold_reason'
  | 'cmdb_ci' | 'company' | 'location' | 'problem_id' | 'parent_incident' | 'reassignment_count' | 'reopen_count'
  | 'severity' | 'made_sla' | 'approval' | 'sys_created_on' | 'sys_updated_on' | 'sys_created_by' | 'sys_updated_by' | 'sys_mod_count'
  | 'sys_class_name' | `u_${string}` | `${'caller_id' | 'assignment_group' | 'assigned_to' | 'opened_by' | 'cmdb_ci' | 'company' | 'location'}.${string}`;

/** The incident schema: how each wire field is read. */
export const INCIDENT_SCHEMA: TableSchema = {
  ...TASK_SCHEMA,
  state: { kind: 'choice', choice: INCIDENT_STATES },
  incident_state: { kind: 'choice', choice: INCIDENT_STATES },
  priority: { kind: 'choice', choice: INCIDENT_PRIORITIES },
  subcategory: { kind: 'string' },
  contact_type: { kind: 'string' },
  caller_id: { kind: 'reference' },
  resolved_by: { kind: 'reference' },
  resolved_at: { kind: 'datetime' },
  closed_by: { kind: 'reference' },
  closed_at: { kind: 'datetime' },
  hold_reason: { kind: 'string' },
  company: { kind: 'reference' },
  location: { kind: 'reference' },
  problem_id: { kind: 'reference' },
  parent_incident: { kind: 'reference' },
  reassignment_count: { kind: 'number' },
  reopen_count: { kind: 'number' },
  severity: { kind: 'string' },
  made_sla: { kind: 'boolean' },
};

/** A value for a custom `u_` field; `null` clears it. */
export type CustomValue = string | number | boolean | Date | null;

/** Fields of a new incident. `shortDescription` is required. */
export interface IncidentCreate {
  readonly shortDescription: string;
  readonly description?: string;
  /** @default 'low' (the instance's default) */
  readonly urgency?: Level;
  /** @default 'low' (the instance's default) */
  readonly impact?: Level;
  readonly category?: string;
  readonly subcategory?: string;
  /** A `sys_user_group` sys_id. */
  readonly assignmentGroup?: string;
  /** A `sys_user` sys_id. */
  readonly assignedTo?: string;
  /** The caller's `sys_user` sys_id. */
  readonly callerId?: string;
  /** `phone`, `email`, `self-service`, ... (values vary per instance). */
  readonly contactType?: string;
  /**
   * Your own id for this incident (`correlation_id`). With it, a create that
   * fails ambiguously is looked up before any retry, so it never duplicates.
   */
  readonly correlationId?: string;
  readonly correlationDisplay?: string;
  /** A `cmdb_ci` sys_id. */
  readonly cmdbCi?: string;
  /** A first work note. */
  readonly workNotes?: string;
  /** A first additional comment. */
  readonly comments?: string;
  /** Custom `u_` fields, under their wire names (`{ u_client: 'Archer' }`). */
  readonly custom?: Readonly<Record<`u_${string}`, CustomValue>>;
}

/** Fields to change on an incident. Use `addWorkNote`/`resolve`/`close` for those flows. */
export interface IncidentUpdate extends Partial<Omit<IncidentCreate, 'workNotes' | 'comments'>> {
  readonly state?: IncidentState;
  readonly closeCode?: string;
  readonly closeNotes?: string;
  readonly holdReason?: string;
}

/** Typed filters for {@link IncidentsResource.search}: each equals its value, or is one of a list. */
export interface IncidentFilter {
  readonly number?: string | readonly string[];
  readonly state?: IncidentState | readonly IncidentState[];
  readonly urgency?: Level | readonly Level[];
  readonly impact?: Level | readonly Level[];
  readonly priority?: IncidentPriority | readonly IncidentPriority[];
  readonly category?: string | readonly string[];
  readonly subcategory?: string | readonly string[];
  readonly assignmentGroup?: string | readonly string[];
  readonly assignedTo?: string | readonly string[];
  readonly callerId?: string | readonly string[];
  readonly contactType?: string | readonly string[];
  readonly correlationId?: string | readonly string[];
  readonly active?: boolean;
}

/** Resolution fields (both required by the usual data policy). */
export interface ResolveInput {
  /** `close_code`, e.g. `Solution provided` (valid codes vary per instance). */
  readonly closeCode: string;
  /** `close_notes`. */
  readonly closeNotes: string;
}

/**
 * An incident, camelCased and typed. Fields left out by `fields` are
 * `undefined`; choice codes the SDK does not know come through as the code.
 */
export interface Incident {
  readonly sysId: string;
  readonly number?: string;
  readonly shortDescription?: string;
  readonly description?: string;
  readonly state?: IncidentState | (string & {});
  readonly incidentState?: IncidentState | (string & {});
  readonly urgency?: Level | (string & {});
  readonly impact?: Level | (string & {});
  readonly priority?: IncidentPriority | (string & {});
  readonly category?: string;
  readonly subcategory?: string;
  readonly contactType?: string;
  readonly callerId?: string;
  readonly assignmentGroup?: string;
  readonly assignedTo?: string;
  readonly openedBy?: string;
  readonly openedAt?: Date;
  readonly resolvedBy?: string;
  readonly resolvedAt?: Date;
  readonly closedBy?: string;
  readonly closedAt?: Date;
  readonly closeCode?: string;
  readonly closeNotes?: string;
  readonly correlationId?: string;
  readonly correlationDisplay?: string;
  readonly active?: boolean;
  /** `""` unless display values were requested; read entries with `workNotes()`. */
  readonly workNotes?: string;
  readonly comments?: string;
  readonly holdReason?: string;
  readonly cmdbCi?: string;
  readonly company?: string;
  readonly location?: string;
  readonly problemId?: string;
  readonly parentIncident?: string;
  readonly reassignmentCount?: number;
  readonly reopenCount?: number;
  readonly severity?: string;
  readonly madeSla?: boolean;
  readonly approval?: string;
  readonly sysCreatedOn?: Date;
  readonly sysUpdatedOn?: Date;
  readonly sysCreatedBy?: string;
  readonly sysUpdatedBy?: string;
  readonly sysModCount?: number;
  readonly sysClassName?: string;
  /** Custom `u_` fields under their wire names. */
  readonly custom: Readonly<Record<string, unknown>>;
  /** Display texts by camelCase name, when `displayValue` was `true` or `'all'`. */
  readonly display: Readonly<Record<string, string>> | undefined;
  /** The record exactly as the instance sent it. */
  readonly raw: RawRecord;
  /** Any other column the instance sent, as a string. */
  readonly [field: string]: unknown;
}

const WRITABLE = /* @__PURE__ */ camelMap([
  'short_description', 'description', 'urgency', 'impact', 'category', 'subcategory', 'assignment_group', 'assigned_to',
  'caller_id', 'contact_type', 'correlation_id', 'correlation_display', 'cmdb_ci', 'work_notes', 'comments',
]);
const UPDATABLE = /* @__PURE__ */ camelMap([
  'short_description', 'description', 'urgency', 'impact', 'category', 'subcategory', 'assignment_group', 'assigned_to',
  'caller_id', 'contact_type', 'correlation_id', 'correlation_display', 'cmdb_ci', 'state', 'close_code', 'close_notes', 'hold_reason',
]);
const FILTERABLE = /* @__PURE__ */ camelMap([
  'number', 'state', 'urgency', 'impact', 'priority', 'category', 'subcategory', 'assignment_group', 'assigned_to',
  'caller_id', 'contact_type', 'correlation_id', 'active',
]);

/**
 * Incidents: create (duplicate-safe with a correlation id), get by sys_id or
 * number, update, search, work notes and comments, resolve and close.
 *
 * @example
 * const inc = await sn.incidents.create({ shortDescription: 'VPN down', urgency: 'high', impact: 'medium', correlationId: 'alert-42' });
 * await sn.incidents.addWorkNote(inc.number!, 'Investigating');
 * await sn.incidents.resolve(inc.sysId, { closeCode: 'Solution provided', closeNotes: 'Restarted the concentrator' });
 */
export class IncidentsResource extends TypedResource<Incident, IncidentField, IncidentFilter> {
  constructor(transport: Transport, journal: JournalResource) {
    super(
      transport,
      {
        table: 'incident',
        what: 'incident',
        schema: INCIDENT_SCHEMA,
        filterable: FILTERABLE,
        number: /^INC\d+$/,
        numberExample: 'INC0010001',
      },
      journal,
    );
  }

  /** Creates an incident (see {@link IncidentCreate.correlationId} for retries without duplicates). */
  async create(input: IncidentCreate, options: RecordOptions<IncidentField> = {}): Promise<Incident> {
    return this.createRecord(this.toWire(input, WRITABLE, ['shortDescription']), options);
  }

  /** Changes fields of an incident, by sys_id or number. */
  async update(idOrNumber: string, changes: IncidentUpdate, options: RecordOptions<IncidentField> = {}): Promise<Incident> {
    return this.patch(idOrNumber, this.toWire(changes, UPDATABLE), options);
  }

  /** Resolves (state 6) with a resolution code and notes, both required. */
  async resolve(idOrNumber: string, resolution: ResolveInput, options: RecordOptions<IncidentField> = {}): Promise<Incident> {
    const wire = this.toWire({ closeCode: resolution?.closeCode, closeNotes: resolution?.closeNotes }, UPDATABLE, ['closeCode', 'closeNotes']);
    return this.patch(idOrNumber, { ...wire, state: INCIDENT_STATES.codes.resolved, incident_state: INCIDENT_STATES.codes.resolved }, options);
  }

  /** Closes (state 7), optionally setting the resolution fields on the way. */
  async close(idOrNumber: string, resolution: Partial<ResolveInput> = {}, options: RecordOptions<IncidentField> = {}): Promise<Incident> {
    const wire = this.toWire({ closeCode: resolution.closeCode, closeNotes: resolution.closeNotes }, UPDATABLE);
    return this.patch(idOrNumber, { ...wire, state: INCIDENT_STATES.codes.closed, incident_state: INCIDENT_STATES.codes.closed }, options);
  }

  protected toRecord(raw: RawRecord, mode: DisplayValueMode): Incident {
    return this.mapped(raw, mode) as unknown as Incident;
  }
}
