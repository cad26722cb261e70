import { type FieldIssue, ValidationError, walkProblem } from '../core/index.js';

/** A mark on an ADF text node (`link`, `strong`, `code`, ...). */
export interface AdfMark {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
}

/** One ADF node. Open shape: unknown node types are kept as they come. */
export interface AdfNode {
  readonly type: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
  readonly marks?: readonly AdfMark[];
  readonly content?: readonly AdfNode[];
}

/** An Atlassian Document Format document: what Jira Cloud (v3) takes for descriptions and comments. */
export interface AdfDoc {
  readonly version: 1;
  readonly type: 'doc';
  readonly content: readonly AdfNode[];
}

const FENCE = /^\s*```\s*([\w+#.-]*)\s*$/;
const BULLET = /^\s*[-*]\s+(.*)$/;
const ORDERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
// A bare URL, or a mention by account id as Jira wiki markup writes it.
const INLINE = /https?:\/\/[^\s<>"]+|\[~accountid:([^\]\s]+)\]/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]'"]+$/;

/**
 * Converts plain text to an ADF document, the body Jira Cloud wants for a
 * description or a comment.
 *
 * - a blank line separates paragraphs; a single newline is a `hardBreak`
 * - lines starting with `- ` or `* ` form a bullet list, `1. ` or `1) ` an ordered list
 * - a ```` ``` ```` fence (with an optional language) opens and closes a code block
 * - a bare `http(s)://` URL becomes a link; `[~accountid:<id>]` a mention
 *
 * Never throws and never emits an empty text node (ADF forbids them); empty
 * text gives a document with no content.
 *
 * @example
 * textToAdf('Steps:\n- restart the pod\n- see https://status.example.com')
 */
export function textToAdf(text: string): AdfDoc {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  const content: AdfNode[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) content.push({ type: 'paragraph', content: inlineLines(paragraph) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !FENCE.test(lines[j] as string)) body.push(lines[j++] as string);
      const code = body.join('\n');
      content.push({
        type: 'codeBlock',
        ...(fence[1] ? { attrs: { language: fence[1] } } : {}),
        content: code ? [{ type: 'text', text: code }] : [],
      });
      i = j;
      continue;
    }
    const list = listKind(line);
    if (list) {
      flush();
      const items: AdfNode[] = [];
      const start = list === 'orderedList' ? Number(ORDERED.exec(line)?.[1] ?? 1) : 1;
      let j = i;
      while (j < lines.length && listKind(lines[j] as string) === list) {
        const itemText = list === 'bulletList' ? (BULLET.exec(lines[j] as string)?.[1] ?? '') : (ORDERED.exec(lines[j] as string)?.[2] ?? '');
        items.push({ type: 'listItem', content: [{ type: 'paragraph', content: inline(itemText) }] });
        j++;
      }
      content.push({ type: list, ...(list === 'orderedList' && start !== 1 ? { attrs: { order: start } } : {}), content: items });
      i = j - 1;
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return { version: 1, type: 'doc', content };
}

function listKind(line: string): 'bulletList' | 'orderedList' | undefined {
  if (BULLET.test(line)) return 'bulletList';
  if (ORDERED.test(line)) return 'orderedList';
  return undefined;
}

function inlineLines(lines: readonly string[]): AdfNode[] {
  const out: AdfNode[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ type: 'hardBreak' });
    out.push(...inline(line));
  });
  return out;
}

function inline(text: string): AdfNode[] {
  const out: AdfNode[] = [];
  const pushText = (value: string) => {
    if (value) out.push({ type: 'text', text: value });
  };
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index;
    let token = match[0];
    if (match[1] !== undefined) {
      pushText(text.slice(last, index));
      out.push({ type: 'mention', attrs: { id: match[1] } });
      last = index + token.length;
      continue;
    }
    token = token.replace(TRAILING_PUNCTUATION, '');
    if (!/^https?:\/\/./.test(token)) continue;
    pushText(text.slice(last, index));
    out.push({ type: 'text', text: token, marks: [{ type: 'link', attrs: { href: token } }] });
    last = index + token.length;
  }
  pushText(text.slice(last));
  return out;
}

/**
 * Reads an ADF document back as plain text (descriptions, comment bodies).
 * The inverse of {@link textToAdf} for what it produces: paragraphs are
 * separated by a blank line, lists become `- ` / `1. ` lines, code blocks
 * fences, mentions `[~accountid:<id>]`.
 *
 * Lenient by design, for data read from a server: unknown node types
 * degrade to their text (and their children's), malformed input (not an
 * object, `content` missing or not an array, a non-string `text`) degrades to
 * what can be read, and it never throws. A string (a Data Center wiki-markup
 * field) is returned as it is; `null` and `undefined` give `''`. Use
 * {@link validateAdf} to reject malformed ADF instead.
 */
export function adfToText(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  if (!isObject(doc)) return '';
  // A server's document too deep (or cyclic) to walk, or one whose getters or Proxy traps throw, reads as a note.
  const problem = walkProblem(doc, MAX_ADF_DEPTH * 2);
  if (problem?.rule === 'depth') return '[document nested too deeply to show as text]';
  try {
    if (problem === undefined) return blocks(children(doc));
  } catch {
    // A getter that threw only on a second read: as unreadable as one that always throws.
  }
  return '[document that cannot be read as text]';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function children(node: Record<string, unknown>): Record<string, unknown>[] {
  const content = node['content'];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function blocks(nodes: readonly Record<string, unknown>[]): string {
  return nodes.map(block).filter((s) => s !== '').join('\n\n');
}

function block(node: Record<string, unknown>): string {
  const attrs = isObject(node['attrs']) ? node['attrs'] : {};
  switch (node['type']) {
    case 'paragraph':
    case 'heading':
      return inlineText(children(node));
    case 'bulletList':
      return children(node).map((item) => `- ${listItem(item)}`).join('\n');
    case 'orderedList': {
      const start = typeof attrs['order'] === 'number' && Number.isInteger(attrs['order']) ? attrs['order'] : 1;
      return children(node).map((item, i) => `${start + i}. ${listItem(item)}`).join('\n');
    }
    case 'codeBlock': {
      const language = typeof attrs['language'] === 'string' ? attrs['language'] : '';
      return `\`\`\`${language}\n${inlineText(children(node))}\n\`\`\``;
    }
    case 'rule':
      return '---';
    case 'table':
      return children(node).map((row) => children(row).map((cell) => blocks(children(cell)).replace(/\n+/g, ' ')).join(' | ')).join('\n');
    default:
      return typeof node['text'] === 'string' || !children(node).some(isBlockish) ? inlineText([node]) : blocks(children(node));
  }
}

function isBlockish(node: Record<string, unknown>): boolean {
  return Array.isArray(node['content']);
}

function listItem(item: Record<string, unknown>): string {
  return blocks(children(item)).replace(/\n+/g, ' ');
}

function inlineText(nodes: readonly Record<string, unknown>[]): string {
  let out = '';
  for (const node of nodes) {
    const attrs = isObject(node['attrs']) ? node['attrs'] : {};
    switch (node['type']) {
      case 'text':
        out += typeof node['text'] === 'string' ? linkText(node['text'], node['marks']) : '';
        break;
      case 'hardBreak':
        out += '\n';
        break;
      case 'mention':
        out += typeof attrs['id'] === 'string' ? `[~accountid:${attrs['id']}]` : String(attrs['text'] ?? '');
        break;
      case 'emoji':
      case 'status':
        out += typeof attrs['text'] === 'string' ? attrs['text'] : String(attrs['shortName'] ?? '');
        break;
      case 'inlineCard':
        out += typeof attrs['url'] === 'string' ? attrs['url'] : '';
        break;
      default:
        out += typeof node['text'] === 'string' ? node['text'] : inlineText(children(node));
    }
  }
  return out;
}

function linkText(text: string, marks: unknown): string {
  if (!Array.isArray(marks)) return text;
  const link = marks.find((m): m is { attrs: { href: string } } => isObject(m) && m['type'] === 'link' && isObject(m['attrs']) && typeof m['attrs']['href'] === 'string');
  if (!link || link.attrs.href === text) return text;
  return `${text} (${link.attrs.href})`;
}

/**
 * Checks that a value is a well-formed ADF document, for ADF a caller hands
 * in: the root is `{version: 1, type: 'doc', content: [...]}`, every node has
 * a string `type`, `content` is an array where present, and text nodes carry
 * non-empty text. Returns every problem as a {@link FieldIssue} whose field is
 * the path under `field` (`description.content[0].content[1].text`).
 */
export function validateAdf(value: unknown, field = 'adf'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  try {
    if (!isObject(value)) return [{ field, rule: 'type', message: 'must be an ADF document object ({version: 1, type: "doc", content: [...]})' }];
    if (value['type'] !== 'doc') issues.push({ field: `${field}.type`, rule: 'adf', message: 'the root node must have type "doc"' });
    if (value['version'] !== 1) issues.push({ field: `${field}.version`, rule: 'adf', message: 'must be 1' });
    if (!Array.isArray(value['content'])) issues.push({ field: `${field}.content`, rule: 'adf', message: 'must be an array of block nodes' });
    else checkNodes(value['content'], `${field}.content`, issues, 1);
    return issues;
  } catch {
    // A getter or Proxy trap threw: reported where a walk finds it (nodes nest two levels per ADF level: node, content array).
    const problem = walkProblem(value, MAX_ADF_DEPTH * 2 + 2);
    if (problem?.rule !== 'unreadable') return [{ field, rule: 'unreadable', message: 'reading it threw' }];
    return [{ field: problem.path === '(root)' ? field : `${field}.${problem.path.replace(/\.(\d+)(?=\.|$)/g, '[$1]')}`, rule: 'unreadable', message: problem.message }];
  }
}

/** How deep ADF nodes may nest: Jira's own documents stay far below it, and a cycle ends here too. */
const MAX_ADF_DEPTH = 64;

function checkNodes(nodes: readonly unknown[], at: string, issues: FieldIssue[], depth: number): void {
  if (depth > MAX_ADF_DEPTH) {
    issues.push({ field: at, rule: 'depth', message: `nests deeper than ${MAX_ADF_DEPTH} levels (or refers to itself)` });
    return;
  }
  nodes.forEach((node, i) => {
    const here = `${at}[${i}]`;
    if (!isObject(node) || typeof node['type'] !== 'string' || node['type'] === '') {
      issues.push({ field: here, rule: 'adf', message: 'must be a node with a string type' });
      return;
    }
    if (node['type'] === 'text' && (typeof node['text'] !== 'string' || node['text'] === '')) {
      issues.push({ field: `${here}.text`, rule: 'adf', message: 'text nodes must carry non-empty text' });
    }
    if (node['content'] !== undefined) {
      if (Array.isArray(node['content'])) checkNodes(node['content'], `${here}.content`, issues, depth + 1);
      else issues.push({ field: `${here}.content`, rule: 'adf', message: 'must be an array' });
    }
  });
}

/** Throws a {@link ValidationError} listing every problem when `value` is not well-formed ADF (see {@link validateAdf}). */
export function assertAdf(value: unknown, field = 'adf'): asserts value is AdfDoc {
  const issues = validateAdf(value, field);
  if (issues.length) throw new ValidationError(`Malformed ADF in ${field}`, issues);
}
