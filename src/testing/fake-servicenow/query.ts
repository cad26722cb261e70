/**
 * The fake's encoded-query engine: the subset itsmkit's builder writes
 * (=, !=, LIKE, NOT LIKE, STARTSWITH, ENDSWITH, IN, NOT IN, ISEMPTY,
 * ISNOTEMPTY, ANYTHING, EMPTYSTRING, <, <=, >, >=, ^OR, ^NQ, ORDERBY,
 * ORDERBYDESC, one-level dot-walks). Like the real instance, a condition on a
 * field the table does not have is dropped, not refused. `^^` is a literal caret.
 */

/** One condition. */
export interface Condition {
  readonly field: string;
  readonly operator: string;
  readonly value: string;
}

/** A parsed query: `^NQ` groups of AND terms, each a list of `^OR` alternatives. */
export interface ParsedQuery {
  readonly groups: readonly (readonly (readonly Condition[])[])[];
  readonly orderBy: readonly { readonly field: string; readonly desc: boolean }[];
}

// Longest first, so `NOT IN` is not read as a field followed by `NOT`, and `<=` before `<`.
const OPERATORS = ['ISNOTEMPTY', 'ISEMPTY', 'EMPTYSTRING', 'ANYTHING', 'NOT LIKE', 'NOTLIKE', 'NOT IN', 'STARTSWITH', 'ENDSWITH', 'LIKE', 'IN', '!=', '<=', '>=', '=', '<', '>'];

/** Splits on `^` separators; `^^` stays a literal `^`. */
export function splitTerms(query: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '^') {
      if (query[i + 1] === '^') {
        current += '^';
        i++;
        continue;
      }
      terms.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  terms.push(current);
  return terms;
}

function parseCondition(term: string): Condition | undefined {
  const m = /^([a-z_][a-z0-9_.]*)/.exec(term);
  if (!m) return undefined;
  const field = m[1]!;
  const rest = term.slice(field.length);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) return undefined;
  return { field, operator, value: rest.slice(operator.length) };
}

/** Parses an encoded query; unparsable terms are dropped, as the instance drops them. */
export function parseQuery(query: string): ParsedQuery {
  const groups: Condition[][][] = [[]];
  const orderBy: { field: string; desc: boolean }[] = [];
  const terms = splitTerms(query);
  terms.forEach((raw, index) => {
    let term = raw;
    let joiner: 'and' | 'or' = 'and';
    if (index > 0 && term.startsWith('NQ')) {
      groups.push([]);
      term = term.slice(2);
    } else if (term.startsWith('ORDERBYDESC')) {
      orderBy.push({ field: term.slice(11), desc: true });
      return;
    } else if (term.startsWith('ORDERBY')) {
      orderBy.push({ field: term.slice(7), desc: false });
      return;
    } else if (index > 0 && term.startsWith('OR')) {
      joiner = 'or';
      term = term.slice(2);
    }
    if (term === '' || term === 'EQ') return;
    const condition = parseCondition(term);
    if (!condition) return;
    const group = groups[groups.length - 1]!;
    const last = group[group.length - 1];
    if (joiner === 'or' && last) last.push(condition);
    else group.push([condition]);
  });
  return { groups: groups.filter((g) => g.length > 0), orderBy };
}

/** Reads a field (or one-level dot-walk) of a row; `undefined` when the table has no such column. */
export type FieldReader = (field: string) => string | undefined;

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function test(actual: string, c: Condition): boolean {
  const a = actual.toLowerCase();
  const v = c.value.toLowerCase();
  switch (c.operator) {
    case '=':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
    case 'LIKE':
      return a.includes(v);
    case 'NOT LIKE':
    case 'NOTLIKE':
      return !a.includes(v);
    case 'STARTSWITH':
      return a.startsWith(v);
    case 'ENDSWITH':
      return a.endsWith(v);
    case 'IN':
      return c.value.split(',').includes(actual);
    case 'NOT IN':
      return !c.value.split(',').includes(actual);
    case 'ISEMPTY':
    case 'EMPTYSTRING':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
    case 'ANYTHING':
      return true;
    case '<':
      return compare(actual, c.value) < 0;
    case '<=':
      return compare(actual, c.value) <= 0;
    case '>':
      return compare(actual, c.value) > 0;
    case '>=':
      return compare(actual, c.value) >= 0;
    default:
      return true;
  }
}

/** Whether a row matches; conditions on unknown columns are left out, as the instance leaves them out. */
export function matches(query: ParsedQuery, read: FieldReader, known: (field: string) => boolean): boolean {
  if (query.groups.length === 0) return true;
  return query.groups.some((group) =>
    group.every((alternatives) => {
      const usable = alternatives.filter((c) => known(c.field));
      if (usable.length === 0) return true;
      return usable.some((c) => test(read(c.field) ?? '', c));
    }),
  );
}

/** Sorts rows in place by the query's ORDERBY terms. */
export function sortRows<T>(rows: T[], query: ParsedQuery, read: (row: T, field: string) => string | undefined): void {
  if (query.orderBy.length === 0) return;
  rows.sort((a, b) => {
    for (const { field, desc } of query.orderBy) {
      const d = compare(read(a, field) ?? '', read(b, field) ?? '');
      if (d !== 0) return desc ? -d : d;
    }
    return 0;
  });
}
