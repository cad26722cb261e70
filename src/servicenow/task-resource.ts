import { callFields, type CallOptions, type Transport, ValidationError } from '../core/index.js';
import type { CreateOf, FieldOf, FilterOf, RecordOf, TableDeclaration, UpdateOf } from './define-table.js';
import type { JournalElement, JournalEntry, JournalResource } from './journal.js';
import { RecordsResource } from './records-resource.js';
import type { Created, RecordOptions, WithRetry } from './table-resource.js';

/**
 * The records of a declared task table (one that extends ServiceNow's
 * `task`): reads, plus work notes and comments, which append and are read
 * back as entries of `sys_journal_field`.
 */
export class TaskRecordsResource<T extends TableDeclaration, R = RecordOf<T>, Filter extends object = FilterOf<T>, F extends string = FieldOf<T>> extends RecordsResource<
  T,
  R,
  Filter,
  F
> {
  constructor(
    transport: Transport,
    private readonly journal: JournalResource,
    declaration: T,
  ) {
    super(transport, declaration);
  }

  /** Appends a work note (internal). Not re-sent after an ambiguous failure: it would post twice. */
  async addWorkNote(idOrNumber: string, text: string, options: RecordOptions<F> = {}): Promise<WithRetry<R>> {
    return this.appendJournal(idOrNumber, 'work_notes', text, options);
  }

  /** Appends an additional comment (customer-visible). Not re-sent after an ambiguous failure. */
  async addComment(idOrNumber: string, text: string, options: RecordOptions<F> = {}): Promise<WithRetry<R>> {
    return this.appendJournal(idOrNumber, 'comments', text, options);
  }

  /** The record's work notes, newest first, from `sys_journal_field` (empty when its ACL hides them). */
  async workNotes(idOrNumber: string, options: CallOptions = {}): Promise<JournalEntry[]> {
    return this.journal.entries(this.declaration.table, await this.resolveSysId(idOrNumber, callFields(options)), 'work_notes', options);
  }

  /** The record's additional comments, newest first. */
  async comments(idOrNumber: string, options: CallOptions = {}): Promise<JournalEntry[]> {
    return this.journal.entries(this.declaration.table, await this.resolveSysId(idOrNumber, callFields(options)), 'comments', options);
  }

  private async appendJournal(idOrNumber: string, element: JournalElement, text: string, options: RecordOptions<F>): Promise<WithRetry<R>> {
    const note = element === 'work_notes';
    if (typeof text !== 'string' || text.trim() === '') {
      throw new ValidationError(`Invalid ${note ? 'work note' : 'comment'}`, [{ field: 'text', rule: 'required', message: 'must be non-empty text' }]);
    }
    return this.patch(idOrNumber, { [element]: text }, options, {
      idempotent: false,
      operation: `${this.declaration.table}.${note ? 'addWorkNote' : 'addComment'}`,
      notRetriedHint: `a journal entry appends, so sending it again could post it twice; read ${note ? 'workNotes' : 'comments'}() to see whether it landed`,
    });
  }
}

/**
 * A declared task table with writes: create (duplicate-safe with a
 * correlation id), update by `sys_id` or number, reads, work notes and
 * comments. Problems and change tasks are this, as is any task table you
 * declare yourself.
 *
 * @example
 * const problems = new TaskResource(sn.transport, sn.journal, PROBLEM_TABLE);
 * const prb = await problems.create({ shortDescription: 'Recurring VPN drops', correlationId: 'rca-17' });
 */
export class TaskResource<
  T extends TableDeclaration,
  R = RecordOf<T>,
  Create extends object = CreateOf<T>,
  Update extends object = UpdateOf<T>,
  Filter extends object = FilterOf<T>,
  F extends string = FieldOf<T>,
> extends TaskRecordsResource<T, R, Filter, F> {
  /**
   * Creates a record. With a `correlationId` the create happens once per id:
   * a repeat (or a concurrent duplicate) gets the first record back with
   * `created: false`, and an ambiguous failure is looked up instead of re-sent.
   */
  async create(input: Create, options: RecordOptions<F> = {}): Promise<Created<R>> {
    return this.createRecord(this.toWire(input, this.declaration.creatable, this.declaration.required), options);
  }

  /** Changes fields of a record, by `sys_id` or number. */
  async update(idOrNumber: string, changes: Update, options: RecordOptions<F> = {}): Promise<WithRetry<R>> {
    return this.patch(idOrNumber, this.toWire(changes, this.declaration.updatable), options);
  }
}
