/**
 * The JQL subset the fake Jira understands: clauses on project, status,
 * statusCategory, labels, issuetype, key, summary (`~`), priority,
 * resolution and assignee with `=`, `!=`, `in`, `not in`, `~`, `is [not] empty`,
 * joined by AND / OR / NOT and parentheses, then `ORDER BY created|updated|key ASC|DESC`.
 */

/** A JQL error with Jira's wording; the fake answers it as a 400. */
export class JqlError extends Error {}

type Token =
  | { kind: 'word'; value: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

const OPERATORS = ['!=', '!~', '<=', '>=', '=', '~', '<', '>', '(', ')', ','];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', ' ': ' ' };

/** Splits JQL into tokens; quoted strings honour `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX`. */
export function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= query.length) throw new JqlError(`Error in the JQL Query: The quoted string starting at character ${start + 1} is not closed.`);
        const c = query[i] as string;
        if (c === ch) break;
        if (c === '\\') {
          const next = query[i + 1] ?? '';
          if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(query.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(query.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const mapped = ESCAPES[next];
          if (mapped === undefined) throw new JqlError(`Error in the JQL Query: '\\${next}' is an illegal JQL escape sequence. (line 1, character ${i + 1})`);
          value += mapped;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      out.push({ kind: 'string', value, pos: start });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', value: op, pos: i });
      i += op.length;
      continue;
    }
    const start = i;
    while (i < query.length && !/[\s"'=!~<>(),]/.test(query[i] as string)) i++;
    if (i === start) throw new JqlError(`Error in the JQL Query: The character '${ch}' is a reserved JQL character. (line 1, character ${i + 1})`);
    out.push({ kind: 'word', value: query.slice(start, i), pos: start });
  }
  out.push({ kind: 'end', pos: query.length });
  return out;
}

/** A parsed condition over one issue. */
export type JqlNode =
  | { type: 'and' | 'or'; left: JqlNode; right: JqlNode }
  | { type: 'not'; node: JqlNode }
  | { type: 'clause'; field: string; op: string; values: string[] };

/** A parsed query. */
export interface ParsedJql {
  readonly where: JqlNode | undefined;
  readonly orderBy: readonly { field: string; direction: 'ASC' | 'DESC' }[];
}

/** The fields the fake knows, by lower-case JQL name, mapped to a canonical name. */
const FIELDS: Record<string, string> = {
  project: 'project',
  status: 'status',
  statuscategory: 'statusCategory',
  labels: 'labels',
  issuetype: 'issuetype',
  type: 'issuetype',
  key: 'key',
  issuekey: 'key',
  id: 'key',
  summary: 'summary',
  text: 'summary',
  priority: 'priority',
  resolution: 'resolution',
  assignee: 'assignee',
  created: 'created',
  updated: 'updated',
};

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

/** Parses the subset; throws {@link JqlError} with Jira-like wording. */
export function parseJql(query: string): ParsedJql {
  const tokens = tokenize(query);
  let at = 0;
  const peek = () => tokens[at] as Token;
  const next = () => tokens[at++] as Token;
  const isWord = (t: Token, w: string) => t.kind === 'word' && t.value.toLowerCase() === w;
  const describe = (t: Token) => (t.kind === 'end' ? 'end of query' : `'${t.value}'`);
  const fail = (t: Token, expected: string): never => {
    throw new JqlError(`Error in the JQL Query: Expecting ${expected} but got ${describe(t)}. (line 1, character ${t.pos + 1})`);
  };

  const value = (): string => {
    const t = next();
    if (t.kind === 'string') return t.value;
    if (t.kind === 'word' && !KEYWORDS.has(t.value.toLowerCase())) return t.value;
    return fail(t, 'either a value, an empty constant or a function');
  };

  const clause = (): JqlNode => {
    const f = next();
    if (f.kind !== 'word' && f.kind !== 'string') return fail(f, 'a field name');
    const field = FIELDS[f.value.toLowerCase()];
    if (!field) throw new JqlError(`Field '${f.value}' does not exist or you do not have permission to view it.`);
    const t = next();
    if (t.kind === 'op' && ['=', '!=', '~', '!~', '<', '>', '<=', '>='].includes(t.value)) return { type: 'clause', field, op: t.value, values: [value()] };
    if (isWord(t, 'is')) {
      const negated = isWord(peek(), 'not') ? (next(), true) : false;
      const v = next();
      if (!isWord(v, 'empty') && !isWord(v, 'null')) fail(v, "'EMPTY'");
      return { type: 'clause', field, op: negated ? 'is not empty' : 'is empty', values: [] };
    }
    let negated = false;
    if (isWord(t, 'not')) {
      negated = true;
      if (!isWord(next(), 'in')) fail(tokens[at - 1] as Token, "'IN'");
    } else if (!isWord(t, 'in')) fail(t, 'an operator');
    const open = next();
    if (open.kind !== 'op' || open.value !== '(') fail(open, "'('");
    const values = [value()];
    while (peek().kind === 'op' && (peek() as { value: string }).value === ',') {
      next();
      values.push(value());
    }
    const close = next();
    if (close.kind !== 'op' || close.value !== ')') fail(close, "')'");
    return { type: 'clause', field, op: negated ? 'not in' : 'in', values };
  };

  const unary = (): JqlNode => {
    if (isWord(peek(), 'not')) {
      next();
      return { type: 'not', node: unary() };
    }
    const t = peek();
    if (t.kind === 'op' && t.value === '(') {
      next();
      const inner = or();
      const close = next();
      if (close.kind !== 'op' || close.value !== ')') fail(close, "')'");
      return inner;
    }
    return clause();
  };
  const and = (): JqlNode => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      next();
      left = { type: 'and', left, right: unary() };
    }
    return left;
  };
  const or = (): JqlNode => {
    let left = and();
    while (isWord(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: and() };
    }
    return left;
  };

  const where = peek().kind === 'end' || isWord(peek(), 'order') ? undefined : or();
  const orderBy: { field: string; direction: 'ASC' | 'DESC' }[] = [];
  if (isWord(peek(), 'order')) {
    next();
    if (!isWord(next(), 'by')) fail(tokens[at - 1] as Token, "'BY'");
    do {
      if (orderBy.length) next();
      const f = next();
      const field = f.kind === 'word' ? FIELDS[f.value.toLowerCase()] : undefined;
      if (!field) fail(f, 'a field name');
      const dir = peek();
      const direction = isWord(dir, 'asc') ? 'ASC' : isWord(dir, 'desc') ? 'DESC' : undefined;
      if (direction) next();
      orderBy.push({ field: field as string, direction: direction ?? 'ASC' });
    } while (peek().kind === 'op' && (peek() as { value: string }).value === ',');
  }
  if (peek().kind !== 'end') fail(peek(), "'AND', 'OR' or 'ORDER BY'");
  return { where, orderBy };
}

/** What a clause reads from an issue: the values of a field, lower-cased for comparison. */
export type FieldReader = (field: string) => readonly string[];

/** Whether an issue (read through `read`) matches a parsed condition. */
export function matches(node: JqlNode | undefined, read: FieldReader): boolean {
  if (!node) return true;
  switch (node.type) {
    case 'and':
      return matches(node.left, read) && matches(node.right, read);
    case 'or':
      return matches(node.left, read) || matches(node.right, read);
    case 'not':
      return !matches(node.node, read);
    case 'clause': {
      const actual = read(node.field).map((v) => v.toLowerCase());
      const wanted = node.values.map((v) => v.toLowerCase());
      switch (node.op) {
        case '=':
        case 'in':
          return actual.some((a) => wanted.includes(a));
        case '!=':
        case 'not in':
          return actual.length > 0 && !actual.some((a) => wanted.includes(a));
        case '~':
          return actual.some((a) => wanted.every((w) => a.includes(w)));
        case '!~':
          return !actual.some((a) => wanted.every((w) => a.includes(w)));
        case 'is empty':
          return actual.length === 0;
        case 'is not empty':
          return actual.length > 0;
        default:
          throw new JqlError(`The operator '${node.op}' is not supported by the fake Jira for the field '${node.field}'.`);
      }
    }
  }
}
