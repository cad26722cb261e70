import { asCallOptions, callFields, type CallOptions, type FieldIssue, NotFoundError, redactUrl, type Transport, ValidationError } from '../core/index.js';
import type { FieldOf, FilterOf, RecordOf, TableDeclaration } from './define-table.js';
import { encodedQuery, type EncodedQuery, type QueryScalar } from './encoded-query.js';
import { mapRecord, toWireRecord, toWireValue, type DisplayValueMode, type RawRecord } from './mapper.js';
import { TableResource, withRetry, type Created, type ListOptions, type Page, type RecordOptions, type WithRetry, type WriteControls } from './table-resource.js';

/** Options of a typed search: everything a list takes except the query. */
export type ServiceNowSearchOptions<F extends string> = Omit<ListOptions<F>, 'query'>;

const SYS_ID = /^[0-9a-f]{32}$/;

/**
 * The records of a declared table (see {@link defineTable}): get by `sys_id`
 * or number, typed search and iteration. Everything about the table comes
 * from its declaration; the resources of task tables and lookups build on this.
 *
 * ServiceNow silently ignores unknown fields in a query and returns *more*
 * rows, so a typed resource refuses field names its declaration does not
 * have. The escape hatches are custom `u_` fields (always accepted) and
 * `client.table(name)` (accepts any column).
 *
 * `R`, `Filter` and `F` default to the types derived from the declaration;
 * the built-in tables pass their named interfaces instead.
 */
export class RecordsResource<T extends TableDeclaration, R = RecordOf<T>, Filter extends object = FilterOf<T>, F extends string = FieldOf<T>> {
  /** The table's declaration. */
  readonly declaration: T;
  /** The table through the untyped Table API, with this resource's mapping and field checks. */
  protected readonly rows: TableResource<R>;

  constructor(
    protected readonly transport: Transport,
    declaration: T,
  ) {
    this.declaration = declaration;
    this.rows = new TableResource(transport, declaration.table, (raw, mode) => this.toRecord(raw, mode), (field) => this.fieldProblem(field), declaration.identity);
  }

  /** Reads a record by `sys_id` (32 hex characters) or, on numbered tables, by number. */
  async get(idOrNumber: string, options: RecordOptions<F> = {}): Promise<WithRetry<R>> {
    if (SYS_ID.test(idOrNumber)) return this.rows.get(idOrNumber, options);
    const number = this.checkNumber(idOrNumber);
    const page = await this.rows.listRaw({ ...options, query: encodedQuery<string>().where('number', '=', number), limit: 1 });
    const raw = page.raw[0];
    if (!raw) throw this.notFound(number, page.retry);
    return withRetry(this.toRecord(raw, page.mode), page.retry);
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

  /**
   * Resolves a number to its `sys_id` (a `sys_id` is returned as is, with no request).
   * `options` are the per-call ones; a bare `AbortSignal` is still accepted.
   */
  async resolveSysId(idOrNumber: string, options?: CallOptions | AbortSignal): Promise<string> {
    if (SYS_ID.test(idOrNumber)) return idOrNumber;
    const number = this.checkNumber(idOrNumber);
    const page = await this.rows.listRaw({
      query: encodedQuery<string>().where('number', '=', number),
      fields: ['sys_id'],
      limit: 1,
      ...callFields(asCallOptions(options)),
    });
    const raw = page.raw[0];
    if (!raw) throw this.notFound(number, page.retry);
    // The decoder has checked it: a non-empty string, or the value of a display-value object.
    const sysId = raw['sys_id'];
    return typeof sysId === 'string' ? sysId : String((sysId as { value: string }).value);
  }

  /** Maps a raw record to the typed one: declared columns typed, custom `u_` fields apart, display texts and the raw record kept. */
  protected toRecord(raw: RawRecord, mode: DisplayValueMode): R {
    const { values, custom, display } = mapRecord(raw, this.declaration.fields, mode, true);
    // `values` is new: completing it in place spares a copy of every field. `sysId` is there: the decoder checked it.
    values['custom'] = custom;
    values['display'] = display;
    values['raw'] = raw;
    return values as R;
  }

  /** Maps and checks a camelCase input against `writable` (camelCase -> wire); `required` names fields that must be present. */
  protected toWire(input: object, writable: Readonly<Record<string, string>>, required: readonly string[] = []): Record<string, string> {
    const what = this.declaration.label;
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError(`Invalid ${what}`, [{ field: '(root)', rule: 'type', message: 'must be an object' }]);
    }
    const missing: FieldIssue[] = required
      .filter((key) => {
        const v = (input as Record<string, unknown>)[key];
        return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
      })
      .map((key) => ({ field: key, rule: 'required', message: 'is required' }));
    let wire: Record<string, string> = {};
    try {
      wire = toWireRecord(input as Record<string, unknown>, writable, this.declaration.fields, what);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`Invalid ${what}`, [...missing, ...error.issues]);
      throw error;
    }
    if (missing.length) throw new ValidationError(`Invalid ${what}`, missing);
    return wire;
  }

  /**
   * Creates a record. With a correlation id it happens once per id (see
   * {@link TableResource.create}): a repeat returns the first record with
   * `created: false`. Without one, an ambiguous failure is not re-sent and the error says why.
   */
  protected async createRecord(wire: Record<string, string>, options: RecordOptions<F>): Promise<Created<R>> {
    const { label } = this.declaration;
    const cancel = this.cancelCode();
    return this.rows.create(wire, {
      ...options,
      notRetriedHint: `pass a correlationId so a retry can look the ${label} up before creating it again`,
      ...(cancel === undefined
        ? {}
        : {
            closeDuplicate: async (kept, newer) => {
              const note = `Duplicate of ${String(kept['number'] ?? kept['sys_id'])} (same correlation_id); closed by itsmkit, which keeps the oldest record.`;
              await this.rows.update(String(newer['sys_id']), { state: cancel, ...('incident_state' in this.declaration.fields ? { incident_state: cancel } : {}), work_notes: note }, { ...callFields(options), operation: `${this.declaration.table}.closeDuplicate` });
            },
          }),
    });
  }

  /** The code a duplicate is closed with: the table's `canceled` state, else `closed`; none when it has no state choices. */
  private cancelCode(): string | undefined {
    const state = this.declaration.fields['state'];
    const codes = state?.kind === 'choice' ? (state.choice?.codes as Readonly<Record<string, string>> | undefined) : undefined;
    return codes?.['canceled'] ?? codes?.['cancelled'] ?? codes?.['closed'];
  }

  /** PATCHes a record by `sys_id` or number. */
  protected async patch(idOrNumber: string, wire: Record<string, string>, options: RecordOptions<F>, controls: WriteControls = {}): Promise<WithRetry<R>> {
    const sysId = await this.resolveSysId(idOrNumber, callFields(options));
    return this.rows.update(sysId, wire, { ...options, ...controls });
  }

  private toQuery(criteria: Filter | EncodedQuery<F>): EncodedQuery<F> | undefined {
    const { label, table, filterable, fields } = this.declaration;
    if (typeof criteria === 'string') {
      throw new ValidationError(`Invalid ${label} search`, [
        { field: 'query', rule: 'type', message: `use the query builder or typed filters; raw strings go through client.table('${table}')` },
      ]);
    }
    if (criteria !== null && typeof criteria === 'object' && typeof (criteria as { fields?: unknown }).fields === 'function') {
      return criteria as EncodedQuery<F>;
    }
    let query = encodedQuery<string>();
    const issues: FieldIssue[] = [];
    for (const [key, value] of Object.entries(criteria ?? {})) {
      if (value === undefined) continue;
      const wire = Object.hasOwn(filterable, key) ? filterable[key] : undefined;
      if (!wire) {
        issues.push({ field: key, rule: 'unknown_field', message: `not a ${label} filter (${Object.keys(filterable).join(', ')})` });
        continue;
      }
      const values = (Array.isArray(value) ? value : [value]).map((v: unknown) => {
        if (v instanceof Date || typeof v !== 'object') {
          const w = toWireValue(v, key, fields[wire]);
          if (typeof w === 'string') return w;
          issues.push(w);
        } else issues.push({ field: key, rule: 'type', message: 'must be a value or a list of values' });
        return '';
      });
      query = Array.isArray(value) ? query.where(wire, 'IN', values as QueryScalar[]) : query.where(wire, '=', values[0] ?? '');
    }
    if (issues.length) throw new ValidationError(`Invalid ${label} search`, issues);
    return query.isEmpty ? undefined : (query as unknown as EncodedQuery<F>);
  }

  private fieldProblem(field: string): string | undefined {
    if (field.startsWith('u_')) return undefined;
    const { table, fields } = this.declaration;
    const [head = '', ...rest] = field.split('.');
    const spec = Object.hasOwn(fields, head) ? fields[head] : undefined;
    if (!spec) {
      return `${table} has no field "${head}" that itsmkit knows; ServiceNow would ignore it and return more rows (use a u_ field, or client.table('${table}') for other columns)`;
    }
    if (rest.length && spec.kind !== 'reference') return `"${head}" is not a reference, so it cannot be dot-walked`;
    return undefined;
  }

  private checkNumber(value: string): string {
    const { label, numberPattern, numberExample } = this.declaration;
    if (typeof value !== 'string' || !numberPattern?.test(value)) {
      throw new ValidationError(`Invalid ${label} id`, [
        { field: 'id', rule: 'pattern', message: numberExample ? `must be a sys_id (32 hex characters) or a number like ${numberExample}` : 'must be a sys_id (32 hex characters)' },
      ]);
    }
    return value;
  }

  private notFound(number: string, retry: Page<R>['retry']): NotFoundError {
    const { table, label } = this.declaration;
    return new NotFoundError({
      platform: 'servicenow',
      method: 'GET',
      url: redactUrl(new URL(`api/now/table/${table}?sysparm_query=number%3D${encodeURIComponent(number)}`, this.transport.baseUrl.replace(/\/?$/, '/'))),
      status: 404,
      retry,
      platformError: { message: 'No Record found', detail: `No ${label} with number ${number}` },
    });
  }
}
