import type { TableDeclaration } from '../../servicenow/index.js';
import { ADMIN_SYS_ID, fakeTable, GENERIC_TABLE, priorityFor, SEED, TABLES, type Row, type TableDefinition } from './tables.js';

/** A write the fake refuses (a data policy, a missing record). */
export class StoreError extends Error {
  constructor(
    readonly status: number,
    readonly detail: { readonly message: string; readonly detail: string },
  ) {
    super(detail.message);
  }
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the instance stores dates. */
export function dbDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** 32 lower-case hex characters, like a real sys_id. */
export function newSysId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

/** Who writes, and when. */
export interface WriteContext {
  readonly now: number;
  /** The user name (`sys_created_by`). */
  readonly userName: string;
  /** The user's sys_id (`opened_by`, journal authorship). */
  readonly userSysId: string;
}

/**
 * The fake instance's in-memory database. Values are stored as strings;
 * journal writes append `sys_journal_field` rows; incident priority follows
 * impact x urgency; resolving without resolution fields trips a switchable
 * data policy.
 */
export class FakeStore {
  /** Whether resolving or closing an incident needs close_code and close_notes (a 403 otherwise). */
  dataPolicy = true;
  private readonly tables = new Map<string, Row[]>();
  private readonly byId = new Map<string, Map<string, Row>>();
  private readonly counters = new Map<string, number>();
  private readonly declared: ReadonlyMap<string, TableDefinition>;

  /** `declarations`: tables of your own (see `defineTable`), modelled like the built-in ones. */
  constructor(now: number, declarations: readonly TableDeclaration[] = []) {
    this.declared = new Map(declarations.map((d) => [d.table, fakeTable(d)]));
    for (const [table, rows] of Object.entries(SEED)) {
      for (const row of rows) this.insertRaw(table, row, { now, userName: 'system', userSysId: ADMIN_SYS_ID });
    }
  }

  /** The table's definition (a generic one for tables the fake does not model). */
  definition(table: string): TableDefinition {
    return this.declared.get(table) ?? TABLES[table] ?? GENERIC_TABLE;
  }

  /** Every row of a table, in insertion order (the live array: do not mutate). */
  rows(table: string): Row[] {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = [];
      this.tables.set(table, rows);
      this.byId.set(table, new Map());
    }
    return rows;
  }

  find(table: string, sysId: string): Row | undefined {
    this.rows(table);
    return this.byId.get(table)?.get(sysId);
  }

  /** Whether a table has a column (in its defaults or any row). */
  hasColumn(table: string, field: string): boolean {
    if (field === 'sys_id' || field.startsWith('sys_')) return true;
    const def = this.definition(table);
    if (field in def.defaults({ now: '', user: '' })) return true;
    return this.rows(table).some((row) => field in row);
  }

  /** Reads a field or a one-level dot-walk (`caller_id.name`); `undefined` for unknown columns. */
  read(table: string, row: Row, field: string): string | undefined {
    const dot = field.indexOf('.');
    if (dot < 0) return field in row ? row[field] : this.hasColumn(table, field) ? '' : undefined;
    const head = field.slice(0, dot);
    const target = this.definition(table).refs[head];
    if (!target) return undefined;
    const id = row[head];
    const referenced = id ? this.find(target, id) : undefined;
    if (!referenced) return this.hasColumn(target, field.slice(dot + 1)) ? '' : undefined;
    return this.read(target, referenced, field.slice(dot + 1));
  }

  /**
   * A field's value as a query condition sees it: a journal field
   * (`work_notes`, `comments`) reads as the text of its entries, as on an
   * instance, where `work_notesLIKE[AUTO]` finds records by their work notes
   * although the column itself reads `""`.
   */
  queryValue(table: string, row: Row, field: string): string | undefined {
    if (!this.definition(table).journal.includes(field)) return this.read(table, row, field);
    return this.journalOf(table, row['sys_id'] ?? '', field)
      .map((e) => e['value'] ?? '')
      .join('\n');
  }

  /** Whether a field or dot-walk names a column. */
  knows(table: string, field: string): boolean {
    const dot = field.indexOf('.');
    if (dot < 0) return this.hasColumn(table, field);
    const target = this.definition(table).refs[field.slice(0, dot)];
    return target !== undefined && this.hasColumn(target, field.slice(dot + 1));
  }

  /** A record's display value, as a reference to it shows. */
  displayOf(table: string, sysId: string): string {
    const row = this.find(table, sysId);
    if (!row) return '';
    const def = this.definition(table);
    return row[def.displayField] || row['name'] || row['number'] || sysId;
  }

  /** Inserts a record as a POST would (defaults, number, journal, priority, data policy). */
  insert(table: string, input: Readonly<Record<string, unknown>>, ctx: WriteContext): Row {
    const values = toStrings(input);
    const def = this.definition(table);
    const row: Row = { ...def.defaults({ now: dbDate(ctx.now), user: ctx.userSysId }) };
    const journal = takeJournal(def, values);
    Object.assign(row, values);
    if (def.number && !values['number']) row['number'] = this.nextNumber(def.number.prefix, def.number.start);
    this.applyRules(table, row, {}, ctx);
    const inserted = this.insertRaw(table, row, ctx);
    this.writeJournal(table, inserted, journal, ctx);
    return inserted;
  }

  /** Updates a record as PATCH/PUT would. */
  update(table: string, sysId: string, input: Readonly<Record<string, unknown>>, ctx: WriteContext): Row {
    const row = this.find(table, sysId);
    if (!row) throw notFound();
    const values = toStrings(input);
    const def = this.definition(table);
    const journal = takeJournal(def, values);
    const next: Row = { ...row, ...values };
    this.applyRules(table, next, row, ctx);
    next['sys_updated_on'] = dbDate(ctx.now);
    next['sys_updated_by'] = ctx.userName;
    next['sys_mod_count'] = String(Number(row['sys_mod_count'] ?? '0') + 1);
    Object.assign(row, next);
    this.writeJournal(table, row, journal, ctx);
    return row;
  }

  /** Deletes a record; false when there was none. */
  delete(table: string, sysId: string): boolean {
    const rows = this.rows(table);
    const index = rows.findIndex((r) => r['sys_id'] === sysId);
    if (index < 0) return false;
    rows.splice(index, 1);
    this.byId.get(table)?.delete(sysId);
    return true;
  }

  /** Journal entries of a record, newest first. */
  journalOf(table: string, sysId: string, element: string): Row[] {
    return this.rows('sys_journal_field')
      .filter((r) => r['element_id'] === sysId && r['name'] === table && r['element'] === element)
      .reverse();
  }

  private insertRaw(table: string, values: Row, ctx: WriteContext): Row {
    const def = this.definition(table);
    const now = dbDate(ctx.now);
    const row: Row = {
      ...def.defaults({ now, user: ctx.userSysId }),
      ...values,
      sys_id: values['sys_id'] || newSysId(),
      sys_created_on: values['sys_created_on'] || now,
      sys_updated_on: values['sys_updated_on'] || now,
      sys_created_by: values['sys_created_by'] || ctx.userName,
      sys_updated_by: values['sys_updated_by'] || ctx.userName,
      sys_mod_count: values['sys_mod_count'] || '0',
    };
    this.rows(table).push(row);
    this.byId.get(table)?.set(row['sys_id']!, row);
    return row;
  }

  private nextNumber(prefix: string, start: number): string {
    const n = this.counters.get(prefix) ?? start;
    this.counters.set(prefix, n + 1);
    return `${prefix}${String(n).padStart(7, '0')}`;
  }

  private applyRules(table: string, row: Row, before: Row, ctx: WriteContext): void {
    if (table === 'incident') {
      row['priority'] = priorityFor(row['impact'] ?? '3', row['urgency'] ?? '3');
      if (row['state'] !== before['state'] && row['incident_state'] === before['incident_state']) row['incident_state'] = row['state'] ?? '1';
      const state = row['state'];
      if ((state === '6' || state === '7') && state !== before['state']) {
        if (this.dataPolicy && (!row['close_code'] || !row['close_notes'])) {
          const missing = [!row['close_code'] && 'Resolution code', !row['close_notes'] && 'Resolution notes'].filter(Boolean).join(', ');
          throw new StoreError(403, { message: 'Operation Failed', detail: `Data Policy Exception: The following fields are mandatory: ${missing}` });
        }
        if (!row['resolved_at']) {
          row['resolved_at'] = dbDate(ctx.now);
          row['resolved_by'] = ctx.userSysId;
        }
        if (state === '7') {
          row['closed_at'] = dbDate(ctx.now);
          row['closed_by'] = ctx.userSysId;
        }
      }
      if (state === '7' || state === '8') row['active'] = 'false';
    }
    if ((table === 'change_request' || table === 'change_task') && (row['state'] === '3' || row['state'] === '4')) row['active'] = 'false';
    if (table === 'problem' && row['state'] === '107') row['active'] = 'false';
  }

  private writeJournal(table: string, row: Row, entries: [string, string][], ctx: WriteContext): void {
    for (const [element, value] of entries) {
      this.insertRaw('sys_journal_field', { element_id: row['sys_id']!, element, name: table, value }, ctx);
    }
  }
}

function notFound(): StoreError {
  return new StoreError(404, { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" });
}

/** Input values as the instance stores them: strings; `{value}` objects by their value; `sys_` fields are not writable. */
function toStrings(input: Readonly<Record<string, unknown>>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('sys_') || value === undefined) continue;
    if (value === null) out[key] = '';
    else if (typeof value === 'object') {
      const v = (value as { value?: unknown }).value;
      out[key] = v === undefined || v === null ? '' : String(v);
    } else out[key] = String(value);
  }
  return out;
}

/** Removes journal values from a write (they are appended, never stored on the record). */
function takeJournal(def: TableDefinition, values: Row): [string, string][] {
  const out: [string, string][] = [];
  for (const field of def.journal) {
    const text = values[field];
    if (text !== undefined) {
      delete values[field];
      if (text.trim() !== '') out.push([field, text]);
    }
  }
  return out;
}
