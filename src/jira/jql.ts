import { ValidationError } from '../core/index.js';

/** A value that can be put into JQL: a string, a finite number, or a non-empty list of them. */
export type JqlValue = string | number | readonly (string | number)[];

/**
 * Quotes a string as one JQL string literal that no value can break out of:
 * it is wrapped in double quotes and `\`, `"`, and control characters are
 * escaped. Reserved words, operators and JQL functions inside the value stay text.
 *
 * @example
 * jqlString('say "hi" OR project = X') // "say \"hi\" OR project = X"
 */
export function jqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Renders one value as JQL: strings quoted by {@link jqlString}, finite
 * numbers as they are, arrays as `("a", "b")` for `in` / `not in`.
 * Anything else is a {@link ValidationError} (never silently stringified).
 */
export function jqlValue(value: JqlValue, field = 'jql'): string {
  if (typeof value === 'string') return jqlString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError('Invalid JQL value', [{ field, rule: 'type', message: 'numbers must be finite' }]);
    return String(value);
  }
  if (Array.isArray(value)) {
    const items = readItems(value, field);
    if (items.length === 0) throw new ValidationError('Invalid JQL value', [{ field, rule: 'minItems', message: 'a list for "in" must not be empty' }]);
    // Items are strings or finite numbers: a nested list is refused, not recursed into (so no depth or cycle can overflow the stack).
    return `(${items.map((v: unknown) => (Array.isArray(v) ? notAValue(field, 'list items are strings or numbers, not lists') : jqlValue(v as string | number, field))).join(', ')})`;
  }
  throw new ValidationError('Invalid JQL value', [{ field, rule: 'type', message: `expected a string, number or list, got ${value === null ? 'null' : typeof value}` }]);
}

/** A list's items; one that cannot be read (a throwing Proxy) is a {@link ValidationError}. */
function readItems(list: readonly unknown[], field: string): unknown[] {
  try {
    return Array.from(list);
  } catch (error) {
    throw new ValidationError('Invalid JQL value', [{ field, rule: 'unreadable', message: 'the list cannot be read (a getter or Proxy trap threw)' }], { cause: error });
  }
}

function notAValue(field: string, message: string): never {
  throw new ValidationError('Invalid JQL value', [{ field, rule: 'type', message }]);
}

/**
 * A tagged template that renders every interpolated value with {@link jqlValue}.
 *
 * @example
 * jql`project = ${projectKey} AND labels in ${['ops', 'p1']} ORDER BY created DESC`
 */
export function jql(strings: TemplateStringsArray, ...values: readonly JqlValue[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += jqlValue(value, `jql value ${i + 1}`) + (strings[i + 1] ?? '');
  });
  return out;
}

/**
 * Whether a JQL query has a search restriction. Jira Cloud's enhanced search
 * and approximate count refuse unbounded queries (empty, or only `ORDER BY`).
 */
export function isBoundedJql(query: string): boolean {
  const withoutOrder = query.replace(/\border\s+by\b[\s\S]*$/i, '').trim();
  return withoutOrder !== '';
}
