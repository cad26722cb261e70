import { type FieldIssue, TemplateError, walkProblem } from '../core/index.js';
import type { FieldType, JsonValue, TemplateDefinition, TemplateVariable, TicketPlatform, TicketType } from './config-schema.js';
import { FORBIDDEN_SEGMENTS, snakeToCamel } from './key-case.js';
import { isOfType, typeName, withArticle } from './value-type.js';

/** Variables a template is rendered with; nested objects are reached with dotted placeholders. */
export type TemplateVariables = Readonly<Record<string, unknown>>;

/** What rendering produces: the payload (SDK field names) and where it goes. */
export interface RenderedTemplate {
  readonly template: string;
  readonly platform: TicketPlatform;
  readonly ticketType: TicketType;
  readonly payload: Record<string, unknown>;
}

/** A template compiled once: placeholders parsed, paths checked, variables indexed. */
export interface CompiledTemplate {
  readonly name: string;
  readonly platform: TicketPlatform;
  readonly ticketType: TicketType;
  readonly description: string | undefined;
  /** Every variable the template uses or declares, dotted, in first-use order. */
  readonly variables: readonly string[];
  /** The declared variables and their specs. */
  readonly declared: Readonly<Record<string, TemplateVariable>>;
  /** Renders the payload; throws one {@link TemplateError} listing every missing and every wrongly typed variable. */
  render(variables: TemplateVariables): RenderedTemplate;
}

/** A compiled node: builds its value from the resolved variables (`undefined` = omit). */
type Node = (values: readonly unknown[]) => unknown;

interface Slot {
  readonly path: string;
  readonly segments: readonly string[];
  readonly required: boolean;
  readonly type: FieldType | 'any';
  readonly fallback: unknown;
}

const SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_]*|\d+)$/;
/** How deep a template's fields may nest: far beyond any ticket, well within the stack. */
const MAX_DEPTH = 64;

/**
 * Compiles a template. Placeholders are `{name}` or `{a.b.c}` (segments are
 * identifiers or array indexes); `{{` and `}}` are literal braces. A string
 * that is exactly one placeholder takes the variable's value as is (number,
 * array, object); inside longer text, values are stringified (objects as JSON).
 * A missing optional variable renders as `''` inside text, and drops the key
 * (or array item) when it is the whole string.
 *
 * Safety: `__proto__`, `constructor` and `prototype` segments are refused at
 * compile time, lookups read own properties only, output objects are built
 * fresh, and nothing is evaluated: placeholders are paths, not expressions.
 *
 * @throws TemplateError with every bad placeholder in `issues`.
 */
export function compileTemplate(definition: TemplateDefinition, name = 'template'): CompiledTemplate {
  const unusable = definitionProblem(definition);
  if (unusable) throw new TemplateError(`Template "${name}" is invalid: ${describe([unusable])}`, { template: name, issues: [unusable] });
  const issues: FieldIssue[] = [];
  const slots: Slot[] = [];
  const slotIndex = new Map<string, number>();
  const declared = definition.variables ?? {};

  const slotFor = (path: string, where: string): number | undefined => {
    const known = slotIndex.get(path);
    if (known !== undefined) return known;
    const segments = path.split('.');
    const bad = segments.find((s) => !SEGMENT.test(s) || FORBIDDEN_SEGMENTS.has(s));
    if (bad !== undefined) {
      issues.push({
        field: where,
        rule: FORBIDDEN_SEGMENTS.has(bad) ? 'forbidden' : 'placeholder',
        message: FORBIDDEN_SEGMENTS.has(bad) ? `"${path}" reaches "${bad}", which is not allowed` : `"${path}" is not a valid variable path`,
      });
      return undefined;
    }
    const spec = Object.hasOwn(declared, path) ? declared[path] : undefined;
    slots.push({
      path,
      segments,
      required: spec?.required ?? spec?.default === undefined,
      type: spec ? (spec.type ?? 'string') : 'any',
      fallback: spec?.default,
    });
    slotIndex.set(path, slots.length - 1);
    return slots.length - 1;
  };

  for (const path of Object.keys(declared)) slotFor(path, `variables.${path}`);

  const compileString = (text: string, where: string): Node => {
    const parsed = parsePlaceholders(text);
    if ('error' in parsed) {
      issues.push({ field: where, rule: 'placeholder', message: parsed.error });
      return () => text;
    }
    const parts = parsed.parts.map((p) => (typeof p === 'string' ? p : slotFor(p.path, where) ?? -1));
    if (parts.length === 0) return () => '';
    if (parts.length === 1) {
      const only = parts[0] as string | number;
      return typeof only === 'string' ? () => only : (values) => values[only];
    }
    return (values) => {
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : stringify(values[part]);
      return out;
    };
  };

  const compileValue = (value: JsonValue, where: string, topLevel = false, depth = 0): Node => {
    if (depth > MAX_DEPTH) {
      issues.push({ field: where, rule: 'depth', message: `nests deeper than ${MAX_DEPTH} levels` });
      return () => undefined;
    }
    if (typeof value === 'string') return compileString(value, where);
    if (Array.isArray(value)) {
      const items = (value as readonly JsonValue[]).map((v, i) => compileValue(v, `${where}.${i}`, false, depth + 1));
      return (values) => {
        const out: unknown[] = [];
        for (const item of items) {
          const v = item(values);
          if (v !== undefined) out.push(v);
        }
        return out;
      };
    }
    if (typeof value === 'object' && value !== null) {
      const entries: [string, Node][] = [];
      for (const key of Object.keys(value)) {
        if (key === '__proto__') {
          issues.push({ field: `${where}.${key}`, rule: 'forbidden', message: 'a "__proto__" key is not allowed' });
          continue;
        }
        // Top-level field names may be snake_case, like field mapping keys: both name the SDK field.
        entries.push([topLevel ? snakeToCamel(key) : key, compileValue((value as Record<string, JsonValue>)[key] as JsonValue, `${where}.${key}`, false, depth + 1)]);
      }
      return (values) => {
        const out: Record<string, unknown> = {};
        for (const [key, node] of entries) {
          const v = node(values);
          if (v !== undefined) out[key] = v;
        }
        return out;
      };
    }
    return () => value;
  };

  const root = compileValue(definition.fields, 'fields', true);
  if (issues.length) throw new TemplateError(`Template "${name}" is invalid: ${describe(issues)}`, { template: name, issues });

  return {
    name,
    platform: definition.platform,
    ticketType: definition.ticketType,
    description: definition.description,
    variables: slots.map((s) => s.path),
    declared,
    render(variables) {
      const values: unknown[] = new Array(slots.length);
      const missing: string[] = [];
      const wrong: FieldIssue[] = [];
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as Slot;
        let value: unknown;
        try {
          value = lookup(variables, slot.segments);
        } catch (error) {
          // A getter that throws, a proxy that refuses: the variable is unreadable, not the template.
          wrong.push({ field: slot.path, rule: 'read', message: `could not be read (${error instanceof Error ? error.name : typeof error})` });
          continue;
        }
        if (value === undefined || value === null) value = slot.fallback;
        if (value === undefined || value === null) {
          if (slot.required) missing.push(slot.path);
          continue;
        }
        if (slot.type !== 'any' && !isOfType(slot.type, value)) {
          wrong.push({ field: slot.path, rule: 'type', message: `must be ${withArticle(slot.type)} (got ${typeName(value)})` });
          continue;
        }
        const notJson = jsonProblem(value);
        if (notJson) {
          wrong.push({ field: slot.path, rule: 'json', message: notJson });
          continue;
        }
        values[i] = value;
      }
      if (missing.length || wrong.length) {
        const parts = [
          ...(missing.length ? [`missing variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
          ...(wrong.length ? [describe(wrong)] : []),
        ];
        throw new TemplateError(`Template "${name}" cannot be rendered: ${parts.join('; ')}`, { template: name, missing, issues: wrong });
      }
      return {
        template: name,
        platform: definition.platform,
        ticketType: definition.ticketType,
        payload: root(values) as Record<string, unknown>,
      };
    },
  };
}

/**
 * Renders a template with `variables`. Give a compiled template (from
 * {@link compileTemplate} or a `TemplateRegistry`) when rendering more than
 * once; a definition is compiled on every call.
 */
export function renderTemplate(template: TemplateDefinition | CompiledTemplate, variables: TemplateVariables): RenderedTemplate {
  return ('render' in template ? template : compileTemplate(template)).render(variables);
}

/** A definition that is not an object, or one whose getters or Proxy traps throw (too deep is left to the field walk, which names the field). */
function definitionProblem(definition: unknown): FieldIssue | undefined {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return { field: '(root)', rule: 'type', message: 'must be an object with platform, ticketType and fields' };
  }
  // The fields sit one level below the definition, so this walk stops just past the field walk's limit.
  const problem = walkProblem(definition, MAX_DEPTH + 2);
  return problem?.rule === 'unreadable' ? { field: problem.path, rule: 'unreadable', message: problem.message } : undefined;
}

type Part = string | { readonly path: string };

/** Splits `a {b.c} d {{e}}` into literal text and placeholders. */
function parsePlaceholders(text: string): { parts: Part[] } | { error: string } {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      if (text[i + 1] === '{') {
        literal += '{';
        i++;
        continue;
      }
      const end = text.indexOf('}', i + 1);
      if (end < 0) return { error: `unclosed "{" at ${i}; write "{{" for a literal brace` };
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ path: text.slice(i + 1, end) });
      i = end;
    } else if (ch === '}') {
      if (text[i + 1] !== '}') return { error: `unmatched "}" at ${i}; write "}}" for a literal brace` };
      literal += '}';
      i++;
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push(literal);
  return { parts };
}

function lookup(variables: TemplateVariables, segments: readonly string[]): unknown {
  let node: unknown = variables;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Why a variable's value cannot go into a ticket payload (which is sent as JSON), or `undefined`. */
function jsonProblem(value: unknown): string | undefined {
  const kind = typeof value;
  if (kind === 'bigint' || kind === 'symbol' || kind === 'function') return `must be a JSON value (got ${kind})`;
  if (kind !== 'object') return undefined;
  try {
    JSON.stringify(value);
    return undefined;
  } catch (error) {
    if (error instanceof TypeError && /circular/i.test(error.message)) return 'is circular (refers to itself), so it cannot be sent as JSON';
    return `cannot be written as JSON (${error instanceof Error ? error.name : typeof error}: a BigInt, a getter that throws, or nesting too deep)`;
  }
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function describe(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field} ${i.message}`).join('; ');
}
