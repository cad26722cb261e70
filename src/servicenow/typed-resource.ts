import { NotFoundError, ValidationError, type FieldIssue } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import type { Transport } from '../core/transport.js';
import { encodedQuery, type EncodedQuery, type QueryScalar } from './encoded-query.js';
import type { JournalElement, JournalEntry, JournalResource } from './journal.js';
import { mapRecord, toCamelCase, toWireRecord, toWireValue, type DisplayValueMode, type RawRecord, type TableSchema } from './mapper.js';
import { TableResource, type ListOptions, type Page, type RecordOptions, type WriteControls } from './table-resource.js';

/** Options of a typed search: everything a list takes except the query. */
export type ServiceNowSearchOptions<F extends string> = Omit<ListOptions<F>, 'query'>;

/** What a typed table is. */
export interface TypedTableDefinition {
  readonly table: string;
  /** A word for messages (`incident`, `change request`). */
  readonly what: string;
  readonly schema: TableSchema;
  /** Fields a caller may filter on in a typed search, camelCase -> wire. */
  readonly filterable: Readonly<Record<string, string>>;
  /** Record numbers, e.g. /^INC\d+$/. */
  readonly number: RegExp;
  /** A number for messages, e.g. `INC0010001`. */
  readonly numberExample: string;
}

const SYS_ID = /^[0-9a-f]{32}$/;

/**
 * The machinery the typed resources (incidents, change requests) share:
 * field-name checking, number-or-sys_id lookups, typed filters, correlation-id
 * reconciliation and journal access.
 *
 * ServiceNow silently ignores unknown fields in a query and returns *more*
 * rows, so a typed resource refuses field names its schema does not have.
 * The escape hatches are custom `u_` fields (always accepted) and
 * `client.table(name)` (accepts any column).
 */
export abstract class TypedResource<R, F extends string, Filter extends object> {
  protected readonly rows: TableResource<R>;

  protected constructor(
    protected readonly transport: Transport,
    protected readonly def: TypedTableDefinition,
    private readonly journal: JournalResource,
  ) {
    this.rows = new TableResource(transport, def.table, (raw, mode) => this.toRecord(raw, mode), (field) => this.fieldProblem(field));
  }

  /** Maps a raw record to the typed one. */
  protected abstract toRecord(raw: RawRecord, mode: DisplayValueMode): R;

  /** Reads a record by `sys_id` (32 hex characters) or by number. */
  async get(idOrNumber: string, options: RecordOptions<F> = {}): Promise<R> {
    if (SYS_ID.test(idOrNumber)) return this.rows.get(idOrNumber, options);
    const number = this.checkNumber(idOrNumber);
    const page = await this.rows.listRaw({ ...options, query: encodedQuery<string>().where('number', '=', number), limit: 1 });
    const raw = page.raw[0];
    if (!raw) throw this.notFound(number, page.retry);
    return this.toRecord(raw, page.mode);
  }

  /**
   * One page of records matching typed filters (each key equals its value, or
   * is one of them for an array) or an {@link EncodedQuery} over known fields.
   */
  async search(criteria: Filter | EncodedQuery<F> = {} as Filter, options: ServiceNowSearchOptions<F> = {}): Promise<Page<R>> {
    const query = this.toQuery(criteria);
    return this.rows.list({ ...options, ...(query ? { query } : {}) });
  }

  /** Every record matching, across pages (never stopping at a short page). */
  iterate(criteria: Filter | EncodedQuery<F> = {} as Filter, options: ServiceNowSearchOptions<F> = {}): AsyncGenerator<R, void, undefined> {
    const query = this.toQuery(criteria);
    return this.rows.iterate({ ...options, ...(query ? { query } : {}) });
  }

  /** Appends a work note (internal). Not re-sent after an ambiguous failure: it would post twice. */
  async addWorkNote(idOrNumber: string, text: string, options: RecordOptions<F> = {}): Promise<R> {
    return this.appendJournal(idOrNumber, 'work_notes', text, options);
  }

  /** Appends an additional comment (customer-visible). Not re-sent after an ambiguous failure. */
  async addComment(idOrNumber: string, text: string, options: RecordOptions<F> = {}): Promise<R> {
    return this.appendJournal(idOrNumber, 'comments', text, options);
  }

  /** The record's work notes, newest first, from `sys_journal_field` (empty when its ACL hides them). */
  async workNotes(idOrNumber: string, options: { readonly signal?: AbortSignal } = {}): Promise<JournalEntry[]> {
    return this.journal.list(this.def.table, await this.resolveSysId(idOrNumber, options.signal), 'work_notes', options);
  }

  /** The record's additional comments, newest first. */
  async comments(idOrNumber: string, options: { readonly signal?: AbortSignal } = {}): Promise<JournalEntry[]> {
    return this.journal.list(this.def.table, await this.resolveSysId(idOrNumber, options.signal), 'comments', options);
  }

  /** Resolves a number to its `sys_id` (a `sys_id` is returned as is). */
  async resolveSysId(idOrNumber: string, signal?: AbortSignal): Promise<string> {
    if (SYS_ID.test(idOrNumber)) return idOrNumber;
    const number = this.checkNumber(idOrNumber);
    const page = await this.rows.listRaw({
      query: encodedQuery<string>().where('number', '=', number),
      fields: ['sys_id'],
      limit: 1,
      ...(signal ? { signal } : {}),
    });
    const sysId = page.raw[0]?.['sys_id'];
    if (typeof sysId !== 'string' || sysId === '') throw this.notFound(number, page.retry);
    return sysId;
  }

  /** Maps and checks a camelCase input against `writable` (camelCase -> wire); `required` names fields that must be present. */
  protected toWire(input: object, writable: Readonly<Record<string, string>>, required: readonly string[] = []): Record<string, string> {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError(`Invalid ${this.def.what}`, [{ field: '(root)', rule: 'type', message: 'must be an object' }]);
    }
    const missing: FieldIssue[] = required
      .filter((key) => {
        const v = (input as Record<string, unknown>)[key];
        return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
      })
      .map((key) => ({ field: key, rule: 'required', message: 'is required' }));
    let wire: Record<string, string> = {};
    try {
      wire = toWireRecord(input as Record<string, unknown>, writable, this.def.schema, this.def.what);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`Invalid ${this.def.what}`, [...missing, ...error.issues]);
      throw error;
    }
    if (missing.length) throw new ValidationError(`Invalid ${this.def.what}`, missing);
    return wire;
  }

  /**
   * Creates a record. With a correlation id, an ambiguous failure (timeout,
   * reset or 5xx after the body was sent) is followed by a lookup on
   * `correlation_id` before any re-POST, and the record found is returned.
   * Without one, the create is not re-sent and the error says why.
   */
  protected async createRecord(wire: Record<string, string>, options: RecordOptions<F>): Promise<R> {
    const correlationId = wire['correlation_id'];
    const what = this.def.what;
    const controls: WriteControls = correlationId
      ? {
          operation: `${this.def.table}.create`,
          reconcile: this.rows.reconcileByCorrelationId(correlationId, options),
        }
      : {
          operation: `${this.def.table}.create`,
          notRetriedHint: `pass a correlationId so a retry can look the ${what} up before creating it again`,
        };
    return this.rows.create(wire, { ...options, ...controls });
  }

  /** PATCHes a record by `sys_id` or number. */
  protected async patch(idOrNumber: string, wire: Record<string, string>, options: RecordOptions<F>, controls: WriteControls = {}): Promise<R> {
    const sysId = await this.resolveSysId(idOrNumber, options.signal);
    return this.rows.update(sysId, wire, { ...options, ...controls });
  }

  /** Maps a raw record into the typed record's common parts. */
  protected mapped(raw: RawRecord, mode: DisplayValueMode): Record<string, unknown> {
    const { values, custom, display } = mapRecord(raw, this.def.schema, mode, true);
    // `values` is new: completing it in place spares a copy of every field.
    values['sysId'] = typeof values['sysId'] === 'string' ? values['sysId'] : '';
    values['custom'] = custom;
    values['display'] = display;
    values['raw'] = raw;
    return values;
  }

  private async appendJournal(idOrNumber: string, element: JournalElement, text: string, options: RecordOptions<F>): Promise<R> {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new ValidationError(`Invalid ${element === 'work_notes' ? 'work note' : 'comment'}`, [{ field: 'text', rule: 'required', message: 'must be non-empty text' }]);
    }
    return this.patch(idOrNumber, { [element]: text }, options, {
      idempotent: false,
      operation: `${this.def.table}.${element === 'work_notes' ? 'addWorkNote' : 'addComment'}`,
      notRetriedHint: `a journal entry appends, so sending it again could post it twice; read ${element === 'work_notes' ? 'workNotes' : 'comments'}() to see whether it landed`,
    });
  }

  private toQuery(criteria: Filter | EncodedQuery<F>): EncodedQuery<F> | undefined {
    if (typeof criteria === 'string') {
      throw new ValidationError(`Invalid ${this.def.what} search`, [
        { field: 'query', rule: 'type', message: `use the query builder or typed filters; raw strings go through client.table('${this.def.table}')` },
      ]);
    }
    if (criteria !== null && typeof criteria === 'object' && typeof (criteria as { fields?: unknown }).fields === 'function') {
      return criteria as EncodedQuery<F>;
    }
    let query = encodedQuery<string>();
    const issues: FieldIssue[] = [];
    for (const [key, value] of Object.entries(criteria ?? {})) {
      if (value === undefined) continue;
      const wire = this.def.filterable[key];
      if (!wire) {
        issues.push({ field: key, rule: 'unknown_field', message: `not a ${this.def.what} filter (${Object.keys(this.def.filterable).join(', ')})` });
        continue;
      }
      const values = (Array.isArray(value) ? value : [value]).map((v: unknown) => {
        if (v instanceof Date || typeof v !== 'object') {
          const w = toWireValue(v, key, this.def.schema[wire]);
          if (typeof w === 'string') return w;
          issues.push(w);
        } else issues.push({ field: key, rule: 'type', message: 'must be a value or a list of values' });
        return '';
      });
      query = Array.isArray(value) ? query.where(wire, 'IN', values as QueryScalar[]) : query.where(wire, '=', values[0] ?? '');
    }
    if (issues.length) throw new ValidationError(`Invalid ${this.def.what} search`, issues);
    return query.isEmpty ? undefined : (query as unknown as EncodedQuery<F>);
  }

  private fieldProblem(field: string): string | undefined {
    if (field.startsWith('u_')) return undefined;
    const [head, ...rest] = field.split('.');
    const spec = this.def.schema[head ?? ''];
    if (!spec) {
      return `${this.def.table} has no field "${head}" that itsmkit knows; ServiceNow would ignore it and return more rows (use a u_ field, or client.table('${this.def.table}') for other columns)`;
    }
    if (rest.length && spec.kind !== 'reference') return `"${head}" is not a reference, so it cannot be dot-walked`;
    return undefined;
  }

  private checkNumber(value: string): string {
    if (typeof value !== 'string' || !this.def.number.test(value)) {
      throw new ValidationError(`Invalid ${this.def.what} id`, [
        { field: 'id', rule: 'pattern', message: `must be a sys_id (32 hex characters) or a number like ${this.def.numberExample}` },
      ]);
    }
    return value;
  }

  private notFound(number: string, retry: Page<R>['retry']): NotFoundError {
    return new NotFoundError({
      platform: 'servicenow',
      method: 'GET',
      url: redactUrl(new URL(`api/now/table/${this.def.table}?sysparm_query=number%3D${encodeURIComponent(number)}`, this.transport.baseUrl.replace(/\/?$/, '/'))),
      status: 404,
      retry,
      platformError: { message: 'No Record found', detail: `No ${this.def.what} with number ${number}` },
    });
  }
}

/** `{ shortDescription: 'short_description', ... }` for a list of wire names. */
export function camelMap(wireNames: readonly string[]): Record<string, string> {
  return Object.fromEntries(wireNames.map((w) => [toCamelCase(w), w]));
}
