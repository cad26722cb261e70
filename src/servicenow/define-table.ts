import { toCamelCase, type FieldKind, type FieldSpec, type RawRecord } from './mapper.js';
import { checkTableName, SYSTEM_FIELDS } from './table-resource.js';

/**
 * How one column of a ServiceNow table is read and used. A declaration is a
 * {@link FieldSpec} (so the mapper reads it as it is) plus what callers may do
 * with the column.
 */
export interface FieldDeclaration extends FieldSpec {
  /** The table a `reference` column points at (`sys_user`); dot-walks and the fake's links follow it. */
  readonly references?: string;
  /** Whether callers may set it: `true` on create and update, or only on `'create'` or `'update'`. @default false */
  readonly writable?: boolean | 'create' | 'update';
  /** Whether a create must give it. @default false */
  readonly required?: boolean;
  /** Whether typed searches may filter on it. @default false */
  readonly filterable?: boolean;
  /** A journal column (`work_notes`, `comments`): a write appends an entry, a read gives `""`. @default false */
  readonly journal?: boolean;
  /** The value a new record gets on a base instance (the fake starts its rows with it). @default '' */
  readonly default?: string;
}

/** Wire name -> declaration, for every column itsmkit knows of a table. */
export type FieldDeclarations = Readonly<Record<string, FieldDeclaration>>;

/** No columns: what a declaration without `base` merges in. */
export type NoFields = Readonly<Record<never, FieldDeclaration>>;

/** How a table numbers its records: the prefix and the first number on a fresh instance (`PRB`, 40001 -> `PRB0040001`). */
export interface TableNumbering {
  /** The letters before the digits (`INC`, `PRB`). */
  readonly prefix: string;
  /** The first number a fresh instance gives. */
  readonly start: number;
}

/** What {@link defineTable} takes. */
export interface TableDeclarationInput<
  B extends FieldDeclarations = FieldDeclarations,
  F extends FieldDeclarations = FieldDeclarations,
  N extends TableNumbering | undefined = TableNumbering | undefined,
> {
  /** The table name (`problem`, `u_asset`). */
  readonly table: string;
  /** What one record is called in messages (`problem`, `change task`). */
  readonly label: string;
  /** Record numbers: the prefix and the first number on a fresh instance (`PRB`, 40001 -> `PRB0040001`). Omit for tables without numbers. */
  readonly number?: N;
  /** The column a reference to this table shows. @default 'number' on numbered tables, else 'name' */
  readonly displayField?: string;
  /** Columns of the table this one extends (`TASK_FIELDS` for task tables); `fields` override them. */
  readonly base?: B;
  /** The table's own columns, by wire name. The system columns (`sys_id`, `sys_created_on`, ...) are always added. */
  readonly fields: F;
}

/** Columns of `B` that `F` does not redeclare, plus `F`. */
export type MergeFields<B extends FieldDeclarations, F extends FieldDeclarations> = Omit<B, keyof F> & F;

/**
 * A declared table: what was declared, with every column merged into `fields`, and what is derived from it once.
 * `N` says whether it numbers its records (so its records' `number` is always there).
 */
export interface TableDeclaration<F extends FieldDeclarations = FieldDeclarations, N extends TableNumbering | undefined = TableNumbering | undefined> {
  readonly table: string;
  readonly label: string;
  readonly number: N;
  readonly displayField: string;
  /** Every column: system, base and own. Also the mapper's schema (one object per table, so its per-column steps are cached). */
  readonly fields: F;
  /** Fields a create may set, camelCase -> wire. */
  readonly creatable: Readonly<Record<string, string>>;
  /** Fields an update may set, camelCase -> wire. */
  readonly updatable: Readonly<Record<string, string>>;
  /** Fields a typed search may filter on, camelCase -> wire. */
  readonly filterable: Readonly<Record<string, string>>;
  /** Fields a create must give, camelCase. */
  readonly required: readonly string[];
  /** Columns every read requests and every record carries: `sys_id`, and `number` on numbered tables. */
  readonly identity: readonly string[];
  /** Matches a record number (`/^PRB\d+$/`), on numbered tables. */
  readonly numberPattern: RegExp | undefined;
  /** A record number for messages (`PRB0040001`), on numbered tables. */
  readonly numberExample: string | undefined;
}

/**
 * Declares a ServiceNow table once: from it come the typed record, create,
 * update and filter types ({@link RecordOf}, {@link CreateOf},
 * {@link UpdateOf}, {@link FilterOf}, {@link FieldOf}), the wire mapping and
 * choice codes, the sets of writable and filterable fields, record-number
 * lookups, the response check, and the fake instance's model of the table.
 * Annotate the call `@__PURE__` (in a block comment) so bundles that never use the table drop it.
 *
 * @example
 * export const PROBLEM_TABLE = defineTable({
 *   table: 'problem',
 *   label: 'problem',
 *   number: { prefix: 'PRB', start: 40001 },
 *   base: TASK_FIELDS,
 *   fields: {
 *     state: { kind: 'choice', choice: PROBLEM_STATES, writable: 'update', filterable: true, default: '101' },
 *     known_error: { kind: 'boolean', writable: true, filterable: true, default: 'false' },
 *   },
 * });
 */
export function defineTable<const B extends FieldDeclarations = NoFields, const F extends FieldDeclarations = NoFields, const N extends TableNumbering | undefined = undefined>(
  input: TableDeclarationInput<B, F, N>,
): TableDeclaration<MergeFields<typeof SYSTEM_FIELDS, MergeFields<B, F>>, N> {
  checkTableName(input.table);
  // The table's own columns first (so required fields are reported in their order), and last (so they override the base).
  const fields = Object.assign({}, input.fields, SYSTEM_FIELDS, input.base, input.fields) as FieldDeclarations;
  const creatable: Record<string, string> = {};
  const updatable: Record<string, string> = {};
  const filterable: Record<string, string> = {};
  const required: string[] = [];
  for (const [wire, field] of Object.entries(fields)) {
    const key = toCamelCase(wire);
    if (field.writable === true || field.writable === 'create') creatable[key] = wire;
    if (field.writable === true || field.writable === 'update') updatable[key] = wire;
    if (field.filterable) filterable[key] = wire;
    if (field.required) required.push(key);
  }
  const number = input.number;
  return {
    table: input.table,
    label: input.label,
    number: number as N,
    displayField: input.displayField ?? (number ? 'number' : 'name'),
    fields: fields as MergeFields<typeof SYSTEM_FIELDS, MergeFields<B, F>>,
    creatable,
    updatable,
    filterable,
    required,
    identity: number ? ['sys_id', 'number'] : ['sys_id'],
    numberPattern: number ? new RegExp(`^${number.prefix}\\d+$`) : undefined,
    numberExample: number ? `${number.prefix}${String(number.start).padStart(7, '0')}` : undefined,
  };
}

// --- types derived from a declaration -----------------------------------------

/** `short_description` -> `shortDescription`, as the mapper names fields. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type Choice<D> = D extends { readonly choice: { readonly codes: Readonly<Record<infer N, string>> } } ? N : never;

type ScalarValue<K extends FieldKind> = K extends 'number' ? number : K extends 'boolean' ? boolean : K extends 'datetime' ? Date : string;

/** The typed value of a column as read: choice names (or an unknown code), numbers, booleans, Dates, strings. */
export type ReadValue<D extends FieldDeclaration> = D['kind'] extends 'choice' ? Choice<D> | (string & {}) : ScalarValue<D['kind']>;

/** The value a caller gives for a column: one of the choice names, a number, a boolean, a Date or a string. */
export type InputValue<D extends FieldDeclaration> = D['kind'] extends 'choice' ? Choice<D> : ScalarValue<D['kind']>;

/** A value for a custom `u_` field; `null` clears it. */
export type CustomValue = string | number | boolean | Date | null;

/** Custom `u_` fields of an input, under their wire names (`{ u_client: 'Archer' }`). */
export interface CustomInput {
  /** Custom `u_` fields, under their wire names. */
  readonly custom?: Readonly<Record<`u_${string}`, CustomValue>>;
}

/** What every typed record carries besides its columns. */
export interface RecordExtras {
  /** The record's `sys_id` (always requested, so always there). */
  readonly sysId: string;
  /** Custom `u_` fields under their wire names. */
  readonly custom: Readonly<Record<string, unknown>>;
  /** Display texts by camelCase name, when `displayValue` was `true` or `'all'`. */
  readonly display: Readonly<Record<string, string>> | undefined;
  /** The record exactly as the instance sent it. */
  readonly raw: RawRecord;
  /** Any other column the instance sent, as a string. */
  readonly [field: string]: unknown;
}

/** What every record of a numbered table carries besides {@link RecordExtras}. */
export interface NumberedExtras {
  /** The record number (`INC0010001`; always requested, so always there). */
  readonly number: string;
}

type DeclaredValues<F extends FieldDeclarations, I extends string> = {
  readonly [K in keyof F as K extends I ? never : CamelCase<K & string>]?: ReadValue<F[K]>;
};

/**
 * The typed record of a declared table: every declared column camelCased and
 * typed (absent when `fields` left it out), except the identity columns, which
 * every read requests: `sysId`, and `number` on numbered tables, are always there.
 */
export type RecordOf<T extends { readonly fields: FieldDeclarations }> = T extends { readonly number: TableNumbering }
  ? DeclaredValues<T['fields'], 'sys_id' | 'number'> & RecordExtras & NumberedExtras
  : DeclaredValues<T['fields'], 'sys_id'> & RecordExtras;

type Settable<D, On extends 'create' | 'update'> = D extends { readonly writable: true | On } ? true : false;

/** The input of a create: the `writable` columns (`required` ones must be given) and custom `u_` fields. */
export type CreateOf<T extends { readonly fields: FieldDeclarations }> = {
  readonly [K in keyof T['fields'] as Settable<T['fields'][K], 'create'> extends true
    ? T['fields'][K] extends { readonly required: true }
      ? CamelCase<K & string>
      : never
    : never]: InputValue<T['fields'][K]>;
} & {
  readonly [K in keyof T['fields'] as Settable<T['fields'][K], 'create'> extends true
    ? T['fields'][K] extends { readonly required: true }
      ? never
      : CamelCase<K & string>
    : never]?: InputValue<T['fields'][K]>;
} & CustomInput;

/** The input of an update: the columns writable on update (all optional) and custom `u_` fields. */
export type UpdateOf<T extends { readonly fields: FieldDeclarations }> = {
  readonly [K in keyof T['fields'] as Settable<T['fields'][K], 'update'> extends true ? CamelCase<K & string> : never]?: InputValue<T['fields'][K]>;
} & CustomInput;

/** Typed search filters: each `filterable` column equals a value, or (not for booleans) is one of a list. */
export type FilterOf<T extends { readonly fields: FieldDeclarations }> = {
  readonly [K in keyof T['fields'] as T['fields'][K] extends { readonly filterable: true } ? CamelCase<K & string> : never]?: T['fields'][K]['kind'] extends 'boolean'
    ? boolean
    : InputValue<T['fields'][K]> | readonly InputValue<T['fields'][K]>[];
};

type ReferenceColumn<F extends FieldDeclarations> = { [K in keyof F]: F[K]['kind'] extends 'reference' ? K : never }[keyof F] & string;

/** Column names queries and `fields` accept: the declared ones, custom `u_` fields, and dot-walks through references. */
export type FieldOf<T extends { readonly fields: FieldDeclarations }> =
  | (keyof T['fields'] & string)
  | `u_${string}`
  | `${ReferenceColumn<T['fields']>}.${string}`;
