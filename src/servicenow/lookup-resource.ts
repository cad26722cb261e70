import { AmbiguousMatchError, asCallOptions, callFields, type CallOptions, type Clock, NoMatchError, type Transport, TtlCache, ValidationError } from '../core/index.js';
import type { FieldOf, FilterOf, RecordExtras, RecordOf, TableDeclaration } from './define-table.js';
import { encodedQuery } from './encoded-query.js';
import { RecordsResource } from './records-resource.js';

/** How a lookup resource finds one record by a value people know (an email address, a name). */
export interface LookupSpec<R> {
  /** Columns the value is compared with (equal to any of them). */
  readonly by: readonly string[];
  /** Whether only records with `active=true` count. */
  readonly activeOnly: boolean;
  /** What to do when nothing matched. */
  readonly noMatchHint: string;
  /** What to do when several records matched. */
  readonly ambiguousHint: string;
  /** How a matching record is named in the error about several matches. */
  readonly describe: (record: R) => string;
}

/** Options of one lookup: the per-call ones ({@link CallOptions}; the record comes whole, in database values). */
export interface LookupOptions extends CallOptions {}

const SYS_ID = /^[0-9a-f]{32}$/;
/** Matches read to tell one from several, and to name some when there are several. */
const CANDIDATES = 10;

/**
 * A declared table whose records are looked up by a value people know, the
 * answer cached per client for `lookupCacheTtlMs` (only answers are kept,
 * never failures). Nothing found is a {@link NoMatchError}, several found an
 * {@link AmbiguousMatchError}; both say what to do.
 */
export class LookupResource<
  T extends TableDeclaration,
  R extends RecordExtras = RecordOf<T>,
  Filter extends object = FilterOf<T>,
  F extends string = FieldOf<T>,
> extends RecordsResource<T, R, Filter, F> {
  private readonly cache: TtlCache<R>;

  constructor(
    transport: Transport,
    declaration: T,
    private readonly spec: LookupSpec<R>,
    cacheTtlMs: number,
    clock: Clock,
  ) {
    super(transport, declaration);
    this.cache = new TtlCache(cacheTtlMs, clock);
  }

  /** A `sys_id` as is, or the `sys_id` of the one record the value matches (`options`: the per-call ones, or a bare `AbortSignal`). */
  override async resolveSysId(value: string, options?: CallOptions | AbortSignal): Promise<string> {
    if (typeof value === 'string' && SYS_ID.test(value)) return value;
    return (await this.lookup(value, undefined, callFields(asCallOptions(options)))).sysId;
  }

  /** Forgets cached lookups: one value, or all of them. */
  forget(value?: string): void {
    this.cache.clear(value === undefined ? undefined : this.key(value, undefined));
  }

  /**
   * The one record `value` names: by `sys_id`, or whose `by` columns equal
   * it (and whose `narrow` columns equal their values).
   */
  protected async lookup(value: string, narrow: Readonly<Record<string, string>> | undefined, options: LookupOptions): Promise<R> {
    const { label } = this.declaration;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ValidationError(`Invalid ${label} lookup`, [{ field: 'value', rule: 'required', message: `must be a ${this.spec.by.join(' or ')} or a sys_id` }]);
    }
    const wanted = value.trim();
    return this.cache.get(this.key(wanted, narrow), async () => {
      if (SYS_ID.test(wanted)) return this.rows.get(wanted, options);
      let query = encodedQuery<string>();
      this.spec.by.forEach((column, i) => {
        query = i === 0 ? query.where(column, '=', wanted) : query.or(column, '=', wanted);
      });
      if (this.spec.activeOnly) query = query.where('active', '=', true);
      for (const [column, equals] of Object.entries(narrow ?? {})) query = query.where(column, '=', equals);
      const page = await this.rows.list({ query, limit: CANDIDATES, ...options });
      const [first, ...more] = page.records;
      const init = { platform: 'servicenow' as const, what: this.spec.activeOnly ? `active ${label}` : label, query: wanted };
      if (!first) throw new NoMatchError({ ...init, hint: this.spec.noMatchHint });
      if (more.length) {
        throw new AmbiguousMatchError({ ...init, hint: this.spec.ambiguousHint, candidates: page.records.map((r) => ({ id: r.sysId, label: this.spec.describe(r) })) });
      }
      return first;
    });
  }

  private key(value: string, narrow: Readonly<Record<string, string>> | undefined): string {
    const base = value.trim().toLowerCase();
    return narrow ? `${base}\u0000${JSON.stringify(narrow)}` : base;
  }
}
