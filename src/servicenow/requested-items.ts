import type { Transport } from '../core/index.js';
import { defineTable, type FieldOf, type FilterOf, type RecordOf } from './define-table.js';
import type { JournalResource } from './journal.js';
import { defineChoices } from './mapper.js';
import { TASK_FIELDS } from './task-fields.js';
import { TaskRecordsResource } from './task-resource.js';

/** Requested item states (those of the base `task` table). */
export const REQUESTED_ITEM_STATES = /* @__PURE__ */ defineChoices({
  pending: ['-5', 'Pending'],
  open: ['1', 'Open'],
  workInProgress: ['2', 'Work in Progress'],
  closedComplete: ['3', 'Closed Complete'],
  closedIncomplete: ['4', 'Closed Incomplete'],
  closedSkipped: ['7', 'Closed Skipped'],
});

/**
 * Requested item state.
 * @useDeclaredType
 */
export type RequestedItemState = keyof typeof REQUESTED_ITEM_STATES.codes;

/** The `sc_req_item` table (requested items of service catalog requests): its columns, filters, choice codes and numbers. */
export const REQUESTED_ITEM_TABLE = /* @__PURE__ */ defineTable({
  table: 'sc_req_item',
  label: 'requested item',
  number: { prefix: 'RITM', start: 10001 },
  base: TASK_FIELDS,
  fields: {
    /** The catalog request (`sc_request`) this item belongs to. */
    request: { kind: 'reference', references: 'sc_request', filterable: true },
    /** The catalog item (`sc_cat_item`) that was ordered. */
    cat_item: { kind: 'reference', references: 'sc_cat_item', filterable: true },
    requested_for: { kind: 'reference', references: 'sys_user', filterable: true },
    state: { kind: 'choice', choice: REQUESTED_ITEM_STATES, filterable: true, default: '1' },
    stage: { kind: 'string', filterable: true, default: 'request_approved' },
    quantity: { kind: 'number', default: '1' },
    price: { kind: 'string' },
    due_date: { kind: 'datetime' },
    approval: { kind: 'string', filterable: true, default: 'approved' },
  },
});

/** Column names of `sc_req_item` that itsmkit knows, plus custom `u_` fields and dot-walks. */
export type RequestedItemField = FieldOf<typeof REQUESTED_ITEM_TABLE>;
/** A requested item, camelCased and typed. */
export interface RequestedItem extends RecordOf<typeof REQUESTED_ITEM_TABLE> {}
/** Typed filters for requested item searches (`request`, `requestedFor`, `state`, ...). */
export interface RequestedItemFilter extends FilterOf<typeof REQUESTED_ITEM_TABLE> {}

/**
 * Requested items (`sc_req_item`, `RITM...`): what a service catalog order
 * asked for. Read them (by sys_id or number, search, iterate) and add work
 * notes or comments; they are created by ordering from the catalog, not here.
 *
 * @example
 * const ritm = await sn.requestedItems.get('RITM0010001');
 * await sn.requestedItems.addWorkNote(ritm.sysId, 'Laptop imaged and shipped');
 */
export class RequestedItemsResource extends TaskRecordsResource<typeof REQUESTED_ITEM_TABLE, RequestedItem, RequestedItemFilter, RequestedItemField> {
  constructor(transport: Transport, journal: JournalResource) {
    super(transport, journal, REQUESTED_ITEM_TABLE);
  }
}
