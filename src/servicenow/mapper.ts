import { type FieldIssue, ValidationError } from '../core/index.js';

/**
 * The one ServiceNow mapper: wire names <-> camelCase, wire strings <-> typed
 * values, friendly names <-> choice codes. ServiceNow sends every value as a
 * string, references as `{ link, value }` (or `""` when empty), and dates as
 * UTC `YYYY-MM-DD HH:MM:SS`; `sysparm_display_value` changes all of that.
 */

/** `sysparm_display_value`: `false` database values, `true` display values, `'all'` both. */
export type DisplayValueMode = boolean | 'all';

/** A record exactly as the Table API sent it. */
export type RawRecord = Readonly<Record<string, unknown>>;

/** How a field's wire string is read. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'datetime' | 'reference' | 'choice';

/** Friendly names, codes and display labels of one choice field. */
export interface ChoiceMap<N extends string = string> {
  /** Friendly name -> stored code. */
  readonly codes: Readonly<Record<N, string>>;
  /** Stored code -> friendly name. */
  readonly names: Readonly<Record<string, N>>;
  /** Lower-case display label (with and without a `1 - ` prefix) -> stored code. */
  readonly labels: Readonly<Record<string, string>>;
  /** Stored code -> display label as the instance shows it (`1` -> `1 - High`). */
  readonly display: Readonly<Record<string, string>>;
}

/** How one wire field maps. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly choice?: ChoiceMap;
}

/** Wire name -> spec, for the fields a table is known to have. */
export type TableSchema = Readonly<Record<string, FieldSpec>>;

/** Defines a choice map from `name: [code, label]` pairs. */
export function defineChoices<N extends string>(entries: Readonly<Record<N, readonly [code: string, label: string]>>): ChoiceMap<N> {
  const codes = {} as Record<N, string>;
  const names: Record<string, N> = {};
  const labels: Record<string, string> = {};
  const display: Record<string, string> = {};
  for (const [name, [code, label]] of Object.entries(entries) as [N, readonly [string, string]][]) {
    codes[name] = code;
    names[code] = name;
    display[code] = label;
    labels[label.toLowerCase()] = code;
    labels[label.replace(/^-?\d+\s*-\s*/, '').toLowerCase()] = code;
  }
  return { codes, names, labels, display };
}

// `@__PURE__`: these are built at load, and without the mark a bundle that
// never touches ServiceNow (a JiraClient-only app) would still carry them.
/** Urgency and impact: `1 - High`, `2 - Medium`, `3 - Low`. */
export const LEVELS = /* @__PURE__ */ defineChoices({ high: ['1', '1 - High'], medium: ['2', '2 - Medium'], low: ['3', '3 - Low'] });
/** Incident priority, derived by the instance from impact x urgency. */
export const INCIDENT_PRIORITIES = /* @__PURE__ */ defineChoices({
  critical: ['1', '1 - Critical'],
  high: ['2', '2 - High'],
  moderate: ['3', '3 - Moderate'],
  low: ['4', '4 - Low'],
  planning: ['5', '5 - Planning'],
});
/** Incident states of the base system (4 and 5 are not used). */
export const INCIDENT_STATES = /* @__PURE__ */ defineChoices({
  new: ['1', 'New'],
  inProgress: ['2', 'In Progress'],
  onHold: ['3', 'On Hold'],
  resolved: ['6', 'Resolved'],
  closed: ['7', 'Closed'],
  canceled: ['8', 'Canceled'],
});
/** Change states of the state model since Quebec. */
export const CHANGE_STATES = /* @__PURE__ */ defineChoices({
  new: ['-5', 'New'],
  assess: ['-4', 'Assess'],
  authorize: ['-3', 'Authorize'],
  scheduled: ['-2', 'Scheduled'],
  implement: ['-1', 'Implement'],
  review: ['0', 'Review'],
  closed: ['3', 'Closed'],
  canceled: ['4', 'Canceled'],
});
/** Change risk. */
export const CHANGE_RISKS = /* @__PURE__ */ defineChoices({ veryHigh: ['1', 'Very High'], high: ['2', 'High'], moderate: ['3', 'Moderate'], low: ['4', 'Low'] });
/** Change types (stored value = friendly name). */
export const CHANGE_TYPES = /* @__PURE__ */ defineChoices({ standard: ['standard', 'Standard'], normal: ['normal', 'Normal'], emergency: ['emergency', 'Emergency'] });
/** Change priority. */
export const CHANGE_PRIORITIES = /* @__PURE__ */ defineChoices({ critical: ['1', '1 - Critical'], high: ['2', '2 - High'], moderate: ['3', '3 - Moderate'], low: ['4', '4 - Low'] });

/** `short_description` -> `shortDescription`. */
export function toCamelCase(wire: string): string {
  return wire.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `shortDescription` -> `short_description`. */
export function toWireName(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A Date as ServiceNow's UTC `YYYY-MM-DD HH:MM:SS`; an invalid Date is a {@link ValidationError}. */
export function formatServiceNowDate(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new ValidationError('Invalid date', [{ field: 'date', rule: 'type', message: 'must be a valid Date' }]);
  }
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

const SN_DATE = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$/;

/** Parses ServiceNow's UTC `YYYY-MM-DD HH:MM:SS` (a date alone is midnight UTC); anything else gives `undefined`. */
export function parseServiceNowDate(text: string): Date | undefined {
  if (!SN_DATE.test(text)) return undefined;
  // Every record carries several dates: read the digits in place rather than through match groups.
  const digits = (from: number, count: number) => {
    let n = 0;
    for (let i = from; i < from + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
    return n;
  };
  const timed = text.length > 10;
  const date = new Date(Date.UTC(digits(0, 4), digits(5, 2) - 1, digits(8, 2), timed ? digits(11, 2) : 0, timed ? digits(14, 2) : 0, timed ? digits(17, 2) : 0));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** One field read off the wire: its typed value and, when the instance sent one, its display text. */
export interface ReadField {
  readonly value: unknown;
  readonly display: string | undefined;
}

/**
 * Reads one wire value in any display mode. With `display_value=true` only
 * display text is sent, so typed values are derived from it where that is
 * unambiguous (numbers, booleans, choice labels, reference ids from `link`);
 * dates are then in the user's zone and format and are left `undefined`
 * (their text stays in `display`).
 */
export function readField(raw: unknown, spec: FieldSpec, mode: DisplayValueMode): ReadField {
  let value: string | undefined;
  let display: string | undefined;
  let link: string | undefined;
  if (raw !== null && typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    value = stringOf(o['value']);
    display = stringOf(o['display_value']);
    link = stringOf(o['link']);
  } else if (raw !== undefined && raw !== null) {
    const text = String(raw);
    if (mode === true) display = text;
    else value = text;
  }
  if (value === undefined && display !== undefined) return { value: fromDisplay(display, spec, link), display };
  if (spec.kind === 'reference' && value === undefined && link) value = lastSegment(link);
  return { value: value === undefined ? undefined : coerce(value, spec), display };
}

function stringOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

function lastSegment(link: string): string | undefined {
  const segment = link.split('?')[0]?.split('/').pop();
  return segment ? decodeURIComponent(segment) : undefined;
}

/** A database value (always a string on the wire) to its typed form. */
export function coerce(text: string, spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'string':
      return text;
    case 'number': {
      if (text.trim() === '') return undefined;
      const n = Number(text);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'datetime':
      return text === '' ? undefined : parseServiceNowDate(text);
    case 'reference':
      return text === '' ? undefined : text;
    case 'choice':
      return text === '' ? undefined : (spec.choice?.names[text] ?? text);
  }
}

function fromDisplay(text: string, spec: FieldSpec, link: string | undefined): unknown {
  switch (spec.kind) {
    case 'string':
      return text;
    case 'number':
      return coerce(text.replace(/,/g, ''), spec);
    case 'boolean':
      return coerce(text.toLowerCase(), spec);
    case 'datetime':
      return undefined;
    case 'reference':
      return link ? lastSegment(link) : undefined;
    case 'choice': {
      if (text === '') return undefined;
      const code = spec.choice?.labels[text.toLowerCase()];
      return code === undefined ? text : (spec.choice?.names[code] ?? code);
    }
  }
}

const STRING_FIELD: FieldSpec = { kind: 'string' };
const REFERENCE_FIELD: FieldSpec = { kind: 'reference' };

/** A record mapped to camelCase: typed values, display texts (when sent) and `u_` custom fields. */
export interface MappedRecord {
  readonly values: Record<string, unknown>;
  readonly display: Record<string, string> | undefined;
  /** Custom `u_` fields, under their wire names. */
  readonly custom: Record<string, unknown>;
}

/**
 * Maps a raw record through a schema. Fields the schema does not know are
 * kept as strings (a reference object becomes its id); `u_` fields it does
 * not declare go to `custom` when `splitCustom` is set.
 */
export function mapRecord(raw: RawRecord, schema: TableSchema, mode: DisplayValueMode, splitCustom: boolean): MappedRecord {
  const values: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  let display: Record<string, string> | undefined;
  const steps = stepsFor(schema);
  // for-in over a parsed JSON object: V8 walks it by its enum cache, faster than Object.keys.
  for (const wire in raw) {
    const rawValue = raw[wire];
    const step = steps.get(wire) ?? addStep(steps, schema, wire);
    const spec = step.spec ?? (isReferenceShape(rawValue) ? REFERENCE_FIELD : STRING_FIELD);
    let value: unknown;
    let text: string | undefined;
    if (typeof rawValue === 'string' && mode !== true) {
      // The common case (a plain value, no display text): read without the per-field object of readField.
      value = coerce(rawValue, spec);
    } else {
      const read = readField(rawValue, spec, mode);
      value = read.value;
      text = read.display;
    }
    if (splitCustom && step.custom) {
      custom[wire] = value;
      continue;
    }
    values[step.key] = value;
    if (text !== undefined) (display ??= {})[step.key] = text;
  }
  return { values, display, custom };
}

/** What mapping needs of one wire field, worked out once per schema and field. */
interface FieldStep {
  readonly key: string;
  /** `undefined` for a field the schema does not have (a string, or a reference by its shape). */
  readonly spec: FieldSpec | undefined;
  /** A custom `u_` field the schema does not declare. */
  readonly custom: boolean;
}

const stepCache = new WeakMap<TableSchema, Map<string, FieldStep>>();

function stepsFor(schema: TableSchema): Map<string, FieldStep> {
  let steps = stepCache.get(schema);
  if (!steps) stepCache.set(schema, (steps = new Map()));
  return steps;
}

function addStep(steps: Map<string, FieldStep>, schema: TableSchema, wire: string): FieldStep {
  const spec = Object.hasOwn(schema, wire) ? schema[wire] : undefined;
  // A `u_` column the schema declares (a table of your own) is a typed field like any other.
  const step = { key: toCamelCase(wire), spec, custom: spec === undefined && wire.startsWith('u_') };
  // Field names repeat on every record; bound the cache so odd inputs cannot grow it forever.
  if (steps.size < 10_000) steps.set(wire, step);
  return step;
}

function isReferenceShape(v: unknown): boolean {
  return v !== null && typeof v === 'object' && 'link' in v;
}

/** The wire form of one input value, or a field issue. */
export function toWireValue(value: unknown, field: string, spec: FieldSpec | undefined): string | FieldIssue {
  if (value === null) return '';
  if (spec?.kind === 'choice' && spec.choice) {
    const code = (spec.choice.codes as Record<string, string>)[String(value)];
    if (code === undefined) {
      return { field, rule: 'enum', message: `must be one of ${Object.keys(spec.choice.codes).join(', ')}` };
    }
    return code;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { field, rule: 'type', message: 'invalid Date' } : formatServiceNowDate(value);
  }
  // A declared kind takes its own type, or its wire text (what a CLI or a config file holds).
  if (spec?.kind === 'boolean' && value !== 'true' && value !== 'false' && typeof value !== 'boolean') {
    return { field, rule: 'type', message: 'must be true or false' };
  }
  if (spec?.kind === 'number' && !(typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))) {
    return { field, rule: 'type', message: 'must be a number' };
  }
  if (spec?.kind === 'datetime' && !(typeof value === 'string' && SN_DATE.test(value))) {
    return { field, rule: 'type', message: 'must be a Date, or a UTC date-time like 2026-01-31 22:00:00' };
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return { field, rule: 'type', message: `must be a string, number, boolean, Date or null, got ${typeof value}` };
}

const CUSTOM_FIELD = /^u_[a-z0-9_]+$/;

/**
 * Maps a camelCase input object to wire names and strings. Every key must be
 * in `known` (camelCase -> wire); `custom` holds `u_` fields under wire names.
 * Collects every issue, then throws one {@link ValidationError}.
 */
export function toWireRecord(
  input: Readonly<Record<string, unknown>>,
  known: Readonly<Record<string, string>>,
  schema: TableSchema,
  what: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'custom') {
      if (value === null || typeof value !== 'object') {
        issues.push({ field: 'custom', rule: 'type', message: 'must be an object of u_ fields' });
        continue;
      }
      for (const [wire, v] of Object.entries(value)) {
        if (v === undefined) continue;
        if (!CUSTOM_FIELD.test(wire)) {
          issues.push({ field: `custom.${wire}`, rule: 'custom', message: 'custom fields are u_ columns (u_ then lower-case letters, digits, _)' });
          continue;
        }
        const w = toWireValue(v, `custom.${wire}`, undefined);
        if (typeof w === 'string') out[wire] = w;
        else issues.push(w);
      }
      continue;
    }
    const wire = known[key];
    if (wire === undefined) {
      issues.push({ field: key, rule: 'unknown_field', message: `not a known ${what} field; put custom u_ fields under "custom"` });
      continue;
    }
    const w = toWireValue(value, key, schema[wire]);
    if (typeof w === 'string') out[wire] = w;
    else issues.push(w);
  }
  if (issues.length) throw new ValidationError(`Invalid ${what}`, issues);
  return out;
}
