import {
  type AnswerSource,
  callFields,
  type CallOptions,
  type CreateOutcome,
  type Fetched,
  fingerprintOf,
  isNotFoundError,
  path,
  type QueryValue,
  redactUrl,
  type RequestSpec,
  type RetryMetadata,
  type Transport,
  ValidationError,
} from '../core/index.js';
import { decodeRecord, decodeRecords } from './envelope.js';
import { encodedQuery, type EncodedQuery } from './encoded-query.js';
import { mapRecord, type DisplayValueMode, type RawRecord, type TableSchema } from './mapper.js';

/** Options for reading or writing one record, with the per-call ones ({@link CallOptions}). */
export interface RecordOptions<F extends string = string> extends CallOptions {
  /** Only these fields (`sysparm_fields`; the identity columns, `sys_id` and on numbered tables `number`, are always added); dot-walks allowed. @default every field */
  readonly fields?: readonly F[];
  /** `sysparm_display_value`. @default false */
  readonly displayValue?: DisplayValueMode;
  /** `sysparm_exclude_reference_link`: references without their `link`. @default false */
  readonly excludeReferenceLink?: boolean;
}

/** Options for listing records. */
export interface ListOptions<F extends string = string> extends RecordOptions<F> {
  /** An encoded query: a builder, or (on `table()` only) a raw string you built yourself. */
  readonly query?: string | EncodedQuery<F>;
  /** Page size (`sysparm_limit`); ServiceNow applies it before ACLs, so a page may hold fewer rows. @default 10000 (the instance's) for list, 1000 for iterate */
  readonly limit?: number;
  /** Rows to skip (`sysparm_offset`). @default 0 */
  readonly offset?: number;
}

/** One page of a list. */
export interface Page<R> {
  readonly records: R[];
  /** `X-Total-Count`: rows matching the query on the instance, when it sent one. */
  readonly total: number | undefined;
  /** The offset of the next page, or `undefined` when this was the last one. */
  readonly nextOffset: number | undefined;
  readonly retry: RetryMetadata;
}

/** Extra controls the typed resources pass to writes. */
export interface WriteControls {
  readonly notRetriedHint?: string;
  readonly idempotent?: boolean;
  readonly operation?: string;
  /** For a keyed create that finds newer duplicates, with `closeDuplicates` on: closes one of them. */
  readonly closeDuplicate?: (kept: RawRecord, newer: RawRecord) => Promise<void>;
}

/** A record as a call returned it, with the call's retry metadata (attempts, time, waits). */
export type WithRetry<R> = R & { readonly retry: RetryMetadata };

/** A created record, with whether it was created now and the call's retry metadata. */
export type Created<R> = R & CreateOutcome;

/** A record of any table: camelCased values (strings, references as ids, `sys_` dates and counts typed) plus the raw record. */
export interface TableRecord {
  /** The record's `sys_id` (always requested, so always there). */
  readonly sysId: string;
  /** Field values by camelCase name. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Display texts by camelCase name, when `displayValue` was `true` or `'all'`. */
  readonly display: Readonly<Record<string, string>> | undefined;
  /** The record exactly as the instance sent it. */
  readonly raw: RawRecord;
}

/** Maps a raw record in a display mode. */
export type RecordMapper<R> = (raw: RawRecord, mode: DisplayValueMode) => R;

/** The system columns every table has: generic records get typed dates and counts from them, and `defineTable` adds them to every declaration. */
export const SYSTEM_FIELDS = {
  sys_id: { kind: 'string' },
  sys_created_on: { kind: 'datetime' },
  sys_updated_on: { kind: 'datetime' },
  sys_created_by: { kind: 'string' },
  sys_updated_by: { kind: 'string' },
  sys_mod_count: { kind: 'number' },
} as const satisfies TableSchema;

/** The generic mapper behind `client.table(name)`; the response decoder has checked `sys_id`. */
export const mapTableRecord: RecordMapper<TableRecord> = (raw, mode) => {
  const { values, display } = mapRecord(raw, SYSTEM_FIELDS, mode, false);
  return { sysId: values['sysId'] as string, fields: values, display, raw };
};

const TABLE_NAME = /^[a-z0-9_]+$/;
/** ServiceNow's `correlation_id` column holds 100 characters. */
const MAX_CORRELATION_ID = 100;
/** Tickets with one key a keyed create reads, to spot duplicates. */
const DUPLICATE_SCAN = 10;
const FIELD_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const JOURNAL_FIELDS = ['work_notes', 'comments', 'comments_and_work_notes'];
const ITERATE_PAGE = 1000;
const INSTANCE_DEFAULT_LIMIT = 10_000;

/** Checks a table name; names with anything but lower-case letters, digits and `_` are refused. */
export function checkTableName(table: unknown): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new ValidationError('Invalid table name', [
      { field: 'table', rule: 'pattern', message: 'table names are lower-case letters, digits and _ (e.g. incident, u_my_table)' },
    ]);
  }
  return table;
}

/**
 * One Table API table: get, list, create, update (PATCH), replace (PUT),
 * delete, and an async iterator over every matching record.
 *
 * @example
 * for await (const user of client.table('sys_user').iterate({ query: 'active=true', fields: ['user_name'] })) { ... }
 */
export class TableResource<R = TableRecord> implements AsyncIterable<R> {
  readonly table: string;

  constructor(
    private readonly transport: Transport,
    table: string,
    private readonly map: RecordMapper<R>,
    /** Returns a sentence when a field name is not acceptable for this resource. */
    private readonly checkField: (field: string) => string | undefined = () => undefined,
    /** Columns every record carries (`sys_id`, and `number` on numbered tables): always requested, and an answer without them is an UnexpectedResponseError. */
    private readonly identity: readonly string[] = ['sys_id'],
  ) {
    this.table = checkTableName(table);
  }

  /** Reads one record by `sys_id`; a missing one is a {@link NotFoundError}. */
  async get(sysId: string, options: RecordOptions = {}): Promise<WithRetry<R>> {
    const { raw, mode, retry } = await this.getRaw(sysId, options);
    return withRetry(this.map(raw, mode), retry);
  }

  /** Reads one page. */
  async list(options: ListOptions = {}): Promise<Page<R>> {
    const page = await this.listRaw(options);
    return { records: page.raw.map((r) => this.map(r, page.mode)), total: page.total, nextOffset: page.nextOffset, retry: page.retry };
  }

  /**
   * Every matching record, page by page. Follows `Link rel="next"` and
   * `X-Total-Count`; never stops at a short page, because the instance applies
   * the limit before ACLs and a page can be short (even empty) with more to come.
   */
  async *iterate(options: ListOptions = {}): AsyncGenerator<R, void, undefined> {
    let offset = options.offset ?? 0;
    const limit = options.limit ?? ITERATE_PAGE;
    for (;;) {
      const page = await this.listRaw({ ...options, offset, limit });
      for (const raw of page.raw) yield this.map(raw, page.mode);
      if (page.nextOffset === undefined) return;
      offset = page.nextOffset;
    }
  }

  /** Same as `iterate()` with no options. */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    return this.iterate();
  }

  /**
   * Creates a record (POST, 201). With a non-empty `correlation_id`, the
   * create happens once per key: a record that already carries the key is
   * returned (`created: false`), a concurrent create with the key waits for
   * the first, and an ambiguous failure is settled by lookups on
   * `correlation_id` before anything is sent again (see `IdempotencyOptions`).
   * Without one, an ambiguous failure is not re-sent.
   */
  async create(data: Readonly<Record<string, unknown>>, options: RecordOptions & WriteControls = {}): Promise<Created<R>> {
    checkData(data);
    const key = correlationIdOf(data);
    const operation = options.operation ?? `${this.table}.create`;
    const mode = options.displayValue ?? false;
    const spec: RequestSpec = {
      method: 'POST',
      path: path`/api/now/table/${this.table}`,
      query: this.readQuery(options),
      json: data,
      ...callFields(options),
      operation,
      notRetriedHint:
        options.notRetriedHint ?? 'a Table API POST is not idempotent: pass a correlation_id (correlationId on the typed resources) so a retry looks the record up before creating it again',
    };
    if (key === undefined) {
      const res = await this.transport.request(spec);
      return this.created(decodeRecord(res, () => this.context(spec), this.identity), mode, { created: true, reconciled: res.reconciled, retry: res.retry });
    }
    const keyed = this.transport.keyedCreates;
    const lookup = (limit: number, deadline?: number) =>
      this.listRaw({ ...options, query: encodedQuery().where('correlation_id', '=', key).orderBy('sys_created_on'), limit }, deadline);
    const outcome = await keyed.run<RawRecord>({
      key,
      scope: `servicenow:${new URL(this.transport.baseUrl).host}/${this.table}`,
      fingerprint: fingerprintOf(data),
      operation,
      signal: options.signal,
      fetch: (ref) => this.fetchIfExists(ref, options),
      find: async () => {
        const page = await lookup(DUPLICATE_SCAN);
        return { values: page.raw, retry: page.retry };
      },
      create: async () => {
        const res = await this.transport.request({
          ...spec,
          reconcile: (ctx) => keyed.settle(key, ctx, async (deadline) => {
            const found = (await lookup(1, deadline)).raw[0];
            return found ? { data: { result: found } } : undefined;
          }),
        });
        return { value: decodeRecord(res, () => this.context(spec), this.identity), retry: res.retry, reconciled: res.reconciled };
      },
      ref: sysIdOf,
      ...(options.closeDuplicate ? { closeDuplicate: options.closeDuplicate } : {}),
    });
    return this.created(outcome.value, mode, outcome);
  }

  /**
   * Updates fields (PATCH). Setting values is safe to repeat; a journal field
   * (`work_notes`, `comments`) appends, so such an update is not re-sent after an ambiguous failure.
   */
  async update(sysId: string, data: Readonly<Record<string, unknown>>, options: RecordOptions & WriteControls = {}): Promise<WithRetry<R>> {
    const appends = JOURNAL_FIELDS.some((f) => f in data);
    return this.write('PATCH', path`/api/now/table/${this.table}/${sysId}`, data, options, {
      idempotent: !appends,
      notRetriedHint: 'the update writes a journal field, which appends: check the record before sending it again',
      ...options,
    });
  }

  /** Replaces a record (PUT). */
  async replace(sysId: string, data: Readonly<Record<string, unknown>>, options: RecordOptions & WriteControls = {}): Promise<WithRetry<R>> {
    return this.write('PUT', path`/api/now/table/${this.table}/${sysId}`, data, options, options);
  }

  /** Deletes a record (204). A 404 on a retry means an earlier attempt already deleted it, which counts as success. */
  async delete(sysId: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.transport.request({
        method: 'DELETE',
        path: path`/api/now/table/${this.table}/${sysId}`,
        responseType: 'none',
        ...callFields(options),
        operation: `${this.table}.delete`,
      });
    } catch (error) {
      if (isNotFoundError(error) && error.retry.attempts > 1) return;
      throw error;
    }
  }

  /** @internal The raw record and the display mode it was read in. */
  async getRaw(sysId: string, options: RecordOptions): Promise<{ raw: RawRecord; mode: DisplayValueMode; retry: RetryMetadata }> {
    const spec: RequestSpec = {
      method: 'GET',
      path: path`/api/now/table/${this.table}/${sysId}`,
      query: this.readQuery(options),
      ...callFields(options),
      operation: `${this.table}.get`,
    };
    const res = await this.transport.request(spec);
    return { raw: decodeRecord(res, () => this.context(spec), this.identity), mode: options.displayValue ?? false, retry: res.retry };
  }

  /** @internal One page of raw records. */
  async listRaw(
    options: ListOptions,
    deadline?: number,
  ): Promise<{ raw: RawRecord[]; mode: DisplayValueMode; total: number | undefined; nextOffset: number | undefined; retry: RetryMetadata }> {
    const offset = options.offset ?? 0;
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
      throw new ValidationError('Invalid list options', [{ field: 'limit', rule: 'min', message: 'must be a whole number of at least 1' }]);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ValidationError('Invalid list options', [{ field: 'offset', rule: 'min', message: 'must be a whole number of at least 0' }]);
    }
    const query: Record<string, QueryValue> = { ...this.readQuery(options), sysparm_offset: offset };
    if (options.limit !== undefined) query['sysparm_limit'] = options.limit;
    const encoded = this.encodeQuery(options.query);
    if (encoded) query['sysparm_query'] = encoded;
    const spec: RequestSpec = {
      method: 'GET',
      path: path`/api/now/table/${this.table}`,
      query,
      ...callFields(options),
      operation: `${this.table}.list`,
      ...(deadline === undefined ? {} : { deadline }),
    };
    const res = await this.transport.request(spec);
    const raw = decodeRecords(res, () => this.context(spec), this.identity);
    const total = readTotal(res.headers);
    return {
      raw,
      mode: options.displayValue ?? false,
      total,
      nextOffset: nextOffset(res.headers, offset, options.limit ?? INSTANCE_DEFAULT_LIMIT, raw.length, total),
      retry: res.retry,
    };
  }

  private async write(method: 'PATCH' | 'PUT', url: string, data: Readonly<Record<string, unknown>>, options: RecordOptions, controls: WriteControls): Promise<WithRetry<R>> {
    checkData(data);
    const spec: RequestSpec = {
      method,
      path: url,
      query: this.readQuery(options),
      json: data,
      ...callFields(options),
      operation: controls.operation ?? `${this.table}.${method === 'PUT' ? 'replace' : 'update'}`,
      ...(controls.idempotent === undefined ? {} : { idempotent: controls.idempotent }),
      ...(controls.notRetriedHint ? { notRetriedHint: controls.notRetriedHint } : {}),
    };
    const res = await this.transport.request(spec);
    return withRetry(this.map(decodeRecord(res, () => this.context(spec), this.identity), options.displayValue ?? false), res.retry);
  }

  /** Maps a created record and adds what the create says about it. */
  private created(raw: RawRecord, mode: DisplayValueMode, outcome: CreateOutcome): Created<R> {
    return Object.assign(this.map(raw, mode) as R & object, { created: outcome.created, reconciled: outcome.reconciled, retry: outcome.retry }) as Created<R>;
  }

  /** The record a finished key points at, or `undefined` when it was deleted since. */
  private async fetchIfExists(sysId: string, options: RecordOptions): Promise<Fetched<RawRecord> | undefined> {
    const spec: RequestSpec = { method: 'GET', path: path`/api/now/table/${this.table}/${sysId}`, query: this.readQuery(options), ...callFields(options), operation: `${this.table}.get` };
    try {
      const res = await this.transport.request(spec);
      return { value: decodeRecord(res, () => this.context(spec), this.identity), retry: res.retry };
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw error;
    }
  }

  private readQuery(options: RecordOptions): Record<string, QueryValue> {
    const query: Record<string, QueryValue> = {};
    if (options.fields !== undefined) {
      if (!Array.isArray(options.fields) || options.fields.length === 0) {
        throw new ValidationError('Invalid fields', [{ field: 'fields', rule: 'type', message: 'must be a non-empty list of field names' }]);
      }
      this.checkFields(options.fields, 'fields');
      // The identity columns always (`sys_id`, and `number` on numbered tables): the records' types promise them, and the decoder insists on them.
      const fields = options.fields;
      query['sysparm_fields'] = [...fields, ...this.identity.filter((column) => !fields.includes(column))].join(',');
    }
    if (options.displayValue !== undefined && options.displayValue !== false) query['sysparm_display_value'] = String(options.displayValue);
    if (options.excludeReferenceLink) query['sysparm_exclude_reference_link'] = 'true';
    return query;
  }

  private encodeQuery(query: string | EncodedQuery | undefined): string {
    if (query === undefined) return '';
    if (typeof query === 'string') return query;
    this.checkFields(query.fields(), 'query');
    return query.toString();
  }

  private checkFields(fields: readonly string[], where: string): void {
    const issues = [];
    for (const field of fields) {
      const problem = typeof field === 'string' && FIELD_NAME.test(field) ? this.checkField(field) : 'is not a column name';
      if (problem) issues.push({ field: `${where}.${String(field)}`, rule: 'unknown_field', message: problem });
    }
    if (issues.length) throw new ValidationError(`Invalid ${where}`, issues);
  }


  /** Where a request went, computed only when a decoder refuses its answer. */
  private context(spec: RequestSpec): AnswerSource {
    const base = this.transport.baseUrl;
    return { platform: 'servicenow', method: spec.method, url: redactUrl(new URL(spec.path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`)) };
  }
}

/** Adds a call's retry metadata to the record it returned (a fresh object, so nothing is copied). */
export function withRetry<R>(record: R, retry: RetryMetadata): WithRetry<R> {
  return Object.assign(record as R & object, { retry }) as WithRetry<R>;
}

function checkData(data: unknown): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ValidationError('Invalid record', [{ field: 'data', rule: 'type', message: 'must be an object of field values' }]);
  }
}

/** The record's `correlation_id` when it has one, checked: at most 100 characters, no `^` (the encoded-query separator) or control characters. */
function correlationIdOf(data: Readonly<Record<string, unknown>>): string | undefined {
  const value = data['correlation_id'];
  if (value === undefined || value === null) return undefined;
  const bad = (message: string) => new ValidationError('Invalid correlation id', [{ field: 'correlationId', rule: 'pattern', message }]);
  if (typeof value !== 'string') throw bad('must be a string');
  if (value.trim() === '') throw bad('must not be empty or blank: give the key of what you report (an alert id), or leave it out for a create without one');
  if (value.length > MAX_CORRELATION_ID) throw bad(`"${value.slice(0, 40)}…" is ${value.length} characters; ServiceNow's correlation_id holds ${MAX_CORRELATION_ID}. Use a shorter key (a hash of a long one)`);
  // eslint-disable-next-line no-control-regex
  if (/[\^\u0000-\u001f\u007f]/.test(value)) throw bad(`"${value}" has a ^ or a control character, which an encoded query cannot match exactly: use letters, digits and punctuation other than ^`);
  return value;
}

function sysIdOf(raw: RawRecord): string {
  const id = raw['sys_id'];
  // The decoder has checked it: a non-empty string, or the value of a display-value object.
  return typeof id === 'string' ? id : String((id as { value: string }).value);
}

function readTotal(headers: Headers): number | undefined {
  const value = headers.get('x-total-count');
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** `Link: <url>;rel="first",<url>;rel="next"` (no spaces on ServiceNow, but spaces are tolerated) -> rel -> url. */
export function parseLinkHeader(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/<([^>]*)>\s*;\s*rel="?([^",;\s]+)"?/g)) out[m[2]!] = m[1]!;
  return out;
}

function nextOffset(headers: Headers, offset: number, limit: number, count: number, total: number | undefined): number | undefined {
  const link = headers.get('link');
  if (link !== null && link.trim() !== '') {
    const next = parseLinkHeader(link)['next'];
    if (next === undefined) return undefined;
    const match = /[?&]sysparm_offset=(\d+)/.exec(next);
    const linked = match ? Number(match[1]) : Number.NaN;
    // Only the offset is taken from the link, never its host: a forged header cannot send us elsewhere.
    return Number.isFinite(linked) && linked > offset ? linked : offset + limit;
  }
  if (total !== undefined) return offset + limit < total ? offset + limit : undefined;
  return count === 0 ? undefined : offset + limit;
}
