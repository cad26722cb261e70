import { callFields, type CallOptions, type Transport } from '../core/index.js';
import { encodedQuery } from './encoded-query.js';
import { mapRecord, type DisplayValueMode, type RawRecord, type TableSchema } from './mapper.js';
import { TableResource } from './table-resource.js';

/** The journal fields of task tables: work notes (internal) and additional comments (customer-visible). */
export type JournalElement = 'work_notes' | 'comments';

/** One journal entry, read from `sys_journal_field`. */
export interface JournalEntry {
  readonly sysId: string;
  /** The record the entry belongs to. */
  readonly elementId: string;
  readonly element: JournalElement | (string & {});
  /** The table of that record (`name` on the wire). */
  readonly table: string | undefined;
  readonly text: string;
  readonly createdOn: Date | undefined;
  readonly createdBy: string | undefined;
  readonly raw: RawRecord;
}

const JOURNAL_SCHEMA: TableSchema = {
  sys_id: { kind: 'string' },
  element_id: { kind: 'string' },
  element: { kind: 'string' },
  name: { kind: 'string' },
  value: { kind: 'string' },
  sys_created_on: { kind: 'datetime' },
  sys_created_by: { kind: 'string' },
};

/** Columns every entry carries; the response decoder refuses rows without them. */
const IDENTITY = ['sys_id', 'element_id', 'element'];

function toEntry(raw: RawRecord, mode: DisplayValueMode): JournalEntry {
  const v = mapRecord(raw, JOURNAL_SCHEMA, mode, false).values;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return {
    sysId: v['sysId'] as string,
    elementId: v['elementId'] as string,
    element: v['element'] as string,
    table: str(v['name']),
    text: str(v['value']) ?? '',
    createdOn: v['sysCreatedOn'] instanceof Date ? v['sysCreatedOn'] : undefined,
    createdBy: str(v['sysCreatedBy']),
    raw,
  };
}

/**
 * Reads journal entries (work notes, comments) as rows of `sys_journal_field`.
 * Reading the journal field on the record itself gives `""` unless display
 * values are requested, and then one concatenated text; the rows are the
 * structured form. Note: `sys_journal_field` has its own read ACL, and a
 * caller without it gets an empty list, not an error.
 */
export class JournalResource {
  private readonly rows: TableResource<JournalEntry>;

  constructor(transport: Transport) {
    this.rows = new TableResource(
      transport,
      'sys_journal_field',
      toEntry,
      (field) => (Object.hasOwn(JOURNAL_SCHEMA, field) ? undefined : 'not a sys_journal_field column itsmkit reads'),
      IDENTITY,
    );
  }

  /** Every entry of one record (every page, gathered), newest first; `element` narrows to work notes or comments. */
  async entries(table: string, sysId: string, element?: JournalElement, options: CallOptions = {}): Promise<JournalEntry[]> {
    let query = encodedQuery<keyof typeof JOURNAL_SCHEMA & string>().where('element_id', '=', sysId).where('name', '=', table);
    if (element) query = query.where('element', '=', element);
    const out: JournalEntry[] = [];
    for await (const entry of this.rows.iterate({ query: query.orderByDesc('sys_created_on'), ...callFields(options) })) {
      out.push(entry);
    }
    return out;
  }
}
