import type { Transport } from '../core/transport.js';
import type { CustomValue, Level } from './incidents.js';
import type { JournalResource } from './journal.js';
import {
  CHANGE_PRIORITIES,
  CHANGE_RISKS,
  CHANGE_STATES,
  CHANGE_TYPES,
  type DisplayValueMode,
  type RawRecord,
  type TableSchema,
} from './mapper.js';
import { TASK_SCHEMA } from './task-schema.js';
import type { RecordOptions } from './table-resource.js';
import { camelMap, TypedResource } from './typed-resource.js';

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

/** Column names of `change_request` that itsmkit knows, plus custom `u_` fields. */
export type ChangeRequestField =
  | 'sys_id' | 'number' | 'short_description' | 'description' | 'type' | 'state' | 'risk' | 'impact' | 'urgency'
  | 'priority' | 'category' | 'assignment_group' | 'assigned_to' | 'requested_by' | 'opened_by' | 'opened_at'
  | 'start_date' | 'end_date' | 'justification' | 'implementation_plan' | 'backout_plan' | 'test_plan' | 'close_code'
  | 'close_notes' | 'correlation_id' | 'correlation_display' | 'active' | 'approval' | 'work_notes' | 'comments'
  | 'cmdb_ci' | 'sys_created_on' | 'sys_updated_on' | 'sys_created_by' | 'sys_updated_by' | 'sys_mod_count'
  | 'sys_class_name' | `u_${string}` | `${'assignment_group' | 'assigned_to' | 'requested_by' | 'cmdb_ci'}.${string}`;

/** The change request schema: how each wire field is read. */
export const CHANGE_REQUEST_SCHEMA: TableSchema = {
  ...TASK_SCHEMA,
  type: { kind: 'choice', choice: CHANGE_TYPES },
  state: { kind: 'choice', choice: CHANGE_STATES },
  risk: { kind: 'choice', choice: CHANGE_RISKS },
  priority: { kind: 'choice', choice: CHANGE_PRIORITIES },
  requested_by: { kind: 'reference' },
  start_date: { kind: 'datetime' },
  end_date: { kind: 'datetime' },
  justification: { kind: 'string' },
  implementation_plan: { kind: 'string' },
  backout_plan: { kind: 'string' },
  test_plan: { kind: 'string' },
};

/** Fields of a new change request; `type` and `shortDescription` are required. */
export interface ChangeRequestCreate {
  readonly type: ChangeType;
  readonly shortDescription: string;
  readonly description?: string;
  readonly risk?: ChangeRisk;
  readonly impact?: Level;
  readonly urgency?: Level;
  readonly category?: string;
  /** A `sys_user_group` sys_id (the state model needs one past New). */
  readonly assignmentGroup?: string;
  readonly assignedTo?: string;
  readonly requestedBy?: string;
  readonly startDate?: Date;
  readonly endDate?: Date;
  readonly justification?: string;
  readonly implementationPlan?: string;
  readonly backoutPlan?: string;
  readonly testPlan?: string;
  readonly cmdbCi?: string;
  /** Your own id: makes create safe to retry (looked up before any re-POST). */
  readonly correlationId?: string;
  readonly correlationDisplay?: string;
  /** Custom `u_` fields under their wire names. */
  readonly custom?: Readonly<Record<`u_${string}`, CustomValue>>;
}

/** Fields to change on a change request. */
export interface ChangeRequestUpdate extends Partial<ChangeRequestCreate> {
  readonly state?: ChangeState;
  /** `successful`, `successful_issues` or `unsuccessful`; needed before Closed. */
  readonly closeCode?: string;
  readonly closeNotes?: string;
}

/** Typed filters for change request searches. */
export interface ChangeRequestFilter {
  readonly number?: string | readonly string[];
  readonly type?: ChangeType | readonly ChangeType[];
  readonly state?: ChangeState | readonly ChangeState[];
  readonly risk?: ChangeRisk | readonly ChangeRisk[];
  readonly impact?: Level | readonly Level[];
  readonly assignmentGroup?: string | readonly string[];
  readonly correlationId?: string | readonly string[];
  readonly active?: boolean;
}

/** A change request, camelCased and typed (open enums: unknown codes come through as the code). */
export interface ChangeRequest {
  readonly sysId: string;
  readonly number?: string;
  readonly shortDescription?: string;
  readonly description?: string;
  readonly type?: ChangeType | (string & {});
  readonly state?: ChangeState | (string & {});
  readonly risk?: ChangeRisk | (string & {});
  readonly impact?: Level | (string & {});
  readonly urgency?: Level | (string & {});
  readonly priority?: ChangePriority | (string & {});
  readonly category?: string;
  readonly assignmentGroup?: string;
  readonly assignedTo?: string;
  readonly requestedBy?: string;
  readonly openedBy?: string;
  readonly openedAt?: Date;
  readonly startDate?: Date;
  readonly endDate?: Date;
  readonly justification?: string;
  readonly implementationPlan?: string;
  readonly backoutPlan?: string;
  readonly testPlan?: string;
  readonly closeCode?: string;
  readonly closeNotes?: string;
  readonly correlationId?: string;
  readonly active?: boolean;
  readonly approval?: string;
  readonly cmdbCi?: string;
  readonly sysCreatedOn?: Date;
  readonly sysUpdatedOn?: Date;
  readonly sysModCount?: number;
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
  'type', 'short_description', 'description', 'risk', 'impact', 'urgency', 'category', 'assignment_group', 'assigned_to',
  'requested_by', 'start_date', 'end_date', 'justification', 'implementation_plan', 'backout_plan', 'test_plan', 'cmdb_ci',
  'correlation_id', 'correlation_display',
]);
const UPDATABLE = /* @__PURE__ */ Object.assign({}, WRITABLE, /* @__PURE__ */ camelMap(['state', 'close_code', 'close_notes']));
const FILTERABLE = /* @__PURE__ */ camelMap(['number', 'type', 'state', 'risk', 'impact', 'assignment_group', 'correlation_id', 'active']);

/**
 * Change requests: create (standard, normal or emergency, with risk and
 * impact; duplicate-safe with a correlation id), get by sys_id or number,
 * update, search, work notes.
 */
export class ChangeRequestsResource extends TypedResource<ChangeRequest, ChangeRequestField, ChangeRequestFilter> {
  constructor(transport: Transport, journal: JournalResource) {
    super(
      transport,
      {
        table: 'change_request',
        what: 'change request',
        schema: CHANGE_REQUEST_SCHEMA,
        filterable: FILTERABLE,
        number: /^CHG\d+$/,
        numberExample: 'CHG0030001',
      },
      journal,
    );
  }

  /** Creates a change request. */
  async create(input: ChangeRequestCreate, options: RecordOptions<ChangeRequestField> = {}): Promise<ChangeRequest> {
    return this.createRecord(this.toWire(input, WRITABLE, ['type', 'shortDescription']), options);
  }

  /** Changes fields of a change request, by sys_id or number. */
  async update(idOrNumber: string, changes: ChangeRequestUpdate, options: RecordOptions<ChangeRequestField> = {}): Promise<ChangeRequest> {
    return this.patch(idOrNumber, this.toWire(changes, UPDATABLE), options);
  }

  protected toRecord(raw: RawRecord, mode: DisplayValueMode): ChangeRequest {
    return this.mapped(raw, mode) as unknown as ChangeRequest;
  }
}
