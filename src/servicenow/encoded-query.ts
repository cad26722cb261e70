import { ValidationError } from '../core/index.js';
import { formatServiceNowDate } from './mapper.js';

/** Operators the builder can put between a field and its value. */
export type QueryOperator =
  | '='
  | '!='
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'NOT IN'
  | 'ISEMPTY'
  | 'ISNOTEMPTY';

/** A value in a condition. Dates are written as UTC `YYYY-MM-DD HH:MM:SS`, booleans as `true`/`false`. */
export type QueryScalar = string | number | boolean | Date;

/** What follows the operator: nothing for `ISEMPTY`/`ISNOTEMPTY`, a list for `IN`/`NOT IN`, one value otherwise. */
export type QueryValueArgs<O extends QueryOperator> = O extends 'ISEMPTY' | 'ISNOTEMPTY'
  ? []
  : O extends 'IN' | 'NOT IN'
    ? [values: readonly QueryScalar[]]
    : [value: QueryScalar];

/** Options of {@link encodedQuery}. */
export interface EncodedQueryOptions {
  /**
   * What to do with a `^` inside a value. `escape` doubles it (`^^`), which
   * ServiceNow's encoded-query parser reads as a literal caret, so `^OR` or
   * `^NQ` in a value can never start a clause. `reject` throws a
   * {@link ValidationError} instead, for callers who would rather not rely on
   * the instance honouring `^^` (a 2016 community thread reported no escape;
   * current platform query strings double the caret).
   * @default 'escape'
   */
  readonly caret?: 'escape' | 'reject';
}

/** Column names as ServiceNow stores them: lower case, digits, `_`; dot-walks joined by `.`. */
const FIELD = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const OPERATORS: ReadonlySet<string> = new Set<QueryOperator>([
  '=', '!=', 'LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'ISEMPTY', 'ISNOTEMPTY',
]);

/**
 * An immutable, typed builder for ServiceNow encoded queries (`sysparm_query`).
 * No value can add a clause: field names must be plain column names (lower
 * case, so they can never read as `OR`, `NQ` or `ORDERBY`), a `^` inside a
 * value is doubled (or refused, see {@link EncodedQueryOptions.caret}),
 * `IN` values may not contain commas, `<`/`>` values may not start with `=`
 * (it would read as `<=`/`>=`), and values starting with `javascript:`
 * (which the instance would evaluate) are refused.
 *
 * `F` narrows the field names a resource accepts.
 *
 * @example
 * const q = encodedQuery<'active' | 'priority' | 'short_description'>()
 *   .where('active', '=', true)
 *   .where('priority', '<=', 2)
 *   .or('short_description', 'LIKE', 'VPN')
 *   .orderByDesc('priority');
 * q.toString(); // 'active=true^priority<=2^ORshort_descriptionLIKEVPN^ORDERBYDESCpriority'
 */
export class EncodedQuery<F extends string = string> {
  private constructor(
    private readonly terms: readonly string[],
    private readonly orders: readonly string[],
    private readonly used: readonly string[],
    private readonly caret: 'escape' | 'reject',
    /** Whether the current `^NQ` group has a condition an `^OR` can attach to. */
    private readonly groupOpen: boolean,
  ) {}

  /** @internal Use {@link encodedQuery}. */
  static create<F extends string>(options: EncodedQueryOptions = {}): EncodedQuery<F> {
    return new EncodedQuery<F>([], [], [], options.caret ?? 'escape', false);
  }

  /** Adds a condition joined with AND (`^`). */
  where<O extends QueryOperator>(field: F, operator: O, ...value: QueryValueArgs<O>): EncodedQuery<F> {
    const condition = this.condition(field, operator, value[0]);
    return this.with([...this.terms, this.terms.length && !this.lastIsNewQuery() ? `^${condition}` : condition], field, true);
  }

  /** Adds a condition joined with OR (`^OR`) to the condition before it. */
  or<O extends QueryOperator>(field: F, operator: O, ...value: QueryValueArgs<O>): EncodedQuery<F> {
    if (!this.groupOpen) {
      throw new ValidationError('Invalid encoded query', [{ field: nameOf(field), rule: 'or', message: 'or() needs a condition before it' }]);
    }
    return this.with([...this.terms, `^OR${this.condition(field, operator, value[0])}`], field, true);
  }

  /** Starts a new query (`^NQ`): records matching either group are returned. */
  newQuery(): EncodedQuery<F> {
    if (!this.groupOpen) throw new ValidationError('Invalid encoded query', [{ field: '(query)', rule: 'nq', message: 'newQuery() needs a condition before it' }]);
    return new EncodedQuery<F>([...this.terms, '^NQ'], this.orders, this.used, this.caret, false);
  }

  /** Sorts ascending by a field (`ORDERBY`); call again for secondary sorts. */
  orderBy(field: F): EncodedQuery<F> {
    this.checkField(field);
    return new EncodedQuery<F>(this.terms, [...this.orders, `ORDERBY${field}`], [...this.used, field], this.caret, this.groupOpen);
  }

  /** Sorts descending by a field (`ORDERBYDESC`). */
  orderByDesc(field: F): EncodedQuery<F> {
    this.checkField(field);
    return new EncodedQuery<F>(this.terms, [...this.orders, `ORDERBYDESC${field}`], [...this.used, field], this.caret, this.groupOpen);
  }

  /** Every field name the query mentions, for resources that check them against a known list. */
  fields(): readonly string[] {
    return this.used;
  }

  /** True when no condition and no sort were added. */
  get isEmpty(): boolean {
    return this.terms.length === 0 && this.orders.length === 0;
  }

  /** The encoded query, ready for `sysparm_query` (the transport percent-encodes it). */
  toString(): string {
    const terms = this.lastIsNewQuery() ? this.terms.slice(0, -1) : this.terms;
    const head = terms.join('');
    if (this.orders.length === 0) return head;
    return head ? `${head}^${this.orders.join('^')}` : this.orders.join('^');
  }

  private lastIsNewQuery(): boolean {
    return this.terms[this.terms.length - 1] === '^NQ';
  }

  private with(terms: string[], field: string, open: boolean): EncodedQuery<F> {
    return new EncodedQuery<F>(terms, this.orders, [...this.used, field], this.caret, open);
  }

  private checkField(field: string): void {
    if (typeof field !== 'string' || !FIELD.test(field)) {
      throw new ValidationError('Invalid encoded query', [
        { field: nameOf(field), rule: 'field', message: 'field names are lower-case column names (letters, digits, _; dot-walks with .)' },
      ]);
    }
  }

  private condition(field: string, operator: string, value: unknown): string {
    this.checkField(field);
    if (!OPERATORS.has(operator)) {
      throw new ValidationError('Invalid encoded query', [{ field, rule: 'operator', message: `unknown operator "${nameOf(operator)}"` }]);
    }
    if (operator === 'ISEMPTY' || operator === 'ISNOTEMPTY') return `${field}${operator}`;
    if (operator === 'IN' || operator === 'NOT IN') {
      const list = Array.isArray(value) ? readList(field, value) : [];
      if (list.length === 0) {
        throw new ValidationError('Invalid encoded query', [{ field, rule: 'in', message: `${operator} needs a non-empty list of values` }]);
      }
      const parts = list.map((v: unknown) => {
        const encoded = this.value(field, v);
        if (encoded.includes(',')) {
          throw new ValidationError('Invalid encoded query', [
            { field, rule: 'comma', message: `${operator} values are comma-separated, so a value may not contain a comma` },
          ]);
        }
        return encoded;
      });
      return `${field}${operator}${parts.join(',')}`;
    }
    const encoded = this.value(field, value);
    if ((operator === '<' || operator === '>') && encoded.startsWith('=')) {
      // `a<` + `=x` would read as `a<=x`.
      throw new ValidationError('Invalid encoded query', [{ field, rule: 'ambiguous', message: `a ${operator} value may not start with "="` }]);
    }
    return `${field}${operator}${encoded}`;
  }

  private value(field: string, value: unknown): string {
    const bad = (rule: string, message: string) => new ValidationError('Invalid encoded query', [{ field, rule, message }]);
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw bad('type', 'numbers must be finite');
      text = String(value);
    } else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else if (isDate(value)) {
      if (Number.isNaN(value.getTime())) throw bad('type', 'invalid Date');
      text = formatServiceNowDate(value);
    } else throw bad('type', `values are strings, numbers, booleans or Dates, got ${value === null ? 'null' : typeof value}`);
    if (/^\s*javascript:/i.test(text)) throw bad('javascript', 'a value starting with "javascript:" would be run on the instance');
    if (text.includes('^')) {
      if (this.caret === 'reject') throw bad('caret', 'a value may not contain "^"');
      text = text.replace(/\^/g, '^^');
    }
    return text;
  }
}

/**
 * Starts an {@link EncodedQuery}. Give `F` the column names a table has to
 * have the compiler check them.
 */
export function encodedQuery<F extends string = string>(options: EncodedQueryOptions = {}): EncodedQuery<F> {
  return EncodedQuery.create<F>(options);
}

/** A field or operator as the error names it: itself when a string, else its type (never a call to a value's own `toString`). */
function nameOf(value: unknown): string {
  return typeof value === 'string' ? value : `(${value === null ? 'null' : typeof value})`;
}

/** `instanceof Date`, false for a Proxy whose prototype trap throws. */
function isDate(value: unknown): value is Date {
  try {
    return value instanceof Date;
  } catch {
    return false;
  }
}

/** The items of an `IN` list; a list whose items cannot be read (a throwing Proxy) is a {@link ValidationError}. */
function readList(field: string, list: readonly unknown[]): unknown[] {
  try {
    return Array.from(list);
  } catch (error) {
    throw new ValidationError('Invalid encoded query', [{ field, rule: 'unreadable', message: 'the list of values cannot be read (a getter or Proxy trap threw)' }], { cause: error });
  }
}
