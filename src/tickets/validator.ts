import { ConfigError, type FieldIssue, safeParseEnglish, ValidationError, walkProblem, zodIssues } from '../core/index.js';
import { configSchemas, type CustomCheck, type FieldMap, type FieldRule, type FieldType } from './config-schema.js';
import { camelToSnake, FORBIDDEN_SEGMENTS, snakeToCamel } from './key-case.js';
import { compileSafePattern, DEFAULT_MAX_PATTERN_INPUT } from './safe-pattern.js';
import { isOfType, typeName, withArticle } from './value-type.js';

/** Options of {@link compileValidator}. */
export interface ValidatorOptions {
  /**
   * How wire names default when a rule has no `wire`: `snake` (ServiceNow,
   * `shortDescription` -> `short_description`) or `same` (Jira). @default 'same'
   */
  readonly wireCase?: 'snake' | 'same';
  /** Named custom checks that rules reference by name in `custom`. @default {} */
  readonly checks?: Readonly<Record<string, CustomCheck>>;
  /** `reject`: a payload field with no rule is an issue (catches typos); `keep`: it passes through under its own name. @default 'reject' */
  readonly unknownFields?: 'reject' | 'keep';
  /** Longest string a `pattern` rule runs on; longer values fail the rule unmatched. @default 1024 */
  readonly maxPatternInput?: number;
  /** Names the ticket type in messages (`servicenow incident`). */
  readonly label?: string;
}

/** The outcome of {@link PayloadValidator.validate}: the wire-mapped payload, or every issue found. */
export type ValidationResult =
  | { readonly ok: true; readonly value: Record<string, unknown>; readonly issues: readonly [] }
  | { readonly ok: false; readonly value?: undefined; readonly issues: readonly FieldIssue[] };

/** A field map compiled once; validating is then a loop over precomputed checks. */
export interface PayloadValidator {
  /** The SDK field names this validator knows, in rule order. */
  readonly fields: readonly string[];
  /** The wire path of each SDK field. */
  readonly wireNames: Readonly<Record<string, string>>;
  /** Checks `payload` (SDK names) against every rule; returns every issue, or the wire-mapped payload. */
  validate(payload: unknown): ValidationResult;
  /** Like {@link validate}, but returns the wire-mapped payload or throws a {@link ValidationError} with every issue. */
  assertValid(payload: unknown): Record<string, unknown>;
}

interface CompiledField {
  readonly name: string;
  readonly wire: readonly string[];
  readonly required: boolean;
  readonly type: FieldType;
  readonly allowEmpty: boolean;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly enumValues: ReadonlySet<unknown> | undefined;
  readonly enumText: string;
  readonly pattern: RegExp | undefined;
  readonly checks: readonly CustomCheck[];
  readonly wireValues: Readonly<Record<string, unknown>> | undefined;
  readonly itemWire: string | undefined;
}

const PATH_SEGMENT = /^[A-Za-z_$][\w$-]*$/;

/**
 * Static problems of a field map, without compiling it: bad wire paths, two
 * keys naming the same SDK field or wire path, `minLength > maxLength`, unsafe
 * or invalid patterns, length or pattern rules on types they cannot apply to.
 * Each issue's `field` is `<key as written>.<rule option>`.
 */
export function fieldMapIssues(fields: FieldMap, options: Pick<ValidatorOptions, 'wireCase'> = {}): FieldIssue[] {
  const shape = shapeIssues(fields);
  if (shape.length) return shape;
  const issues: FieldIssue[] = [];
  const names = new Map<string, string>();
  const wires = new Map<string, string>();
  for (const [key, rule] of Object.entries(fields)) {
    const name = snakeToCamel(key);
    const wire = wireOf(key, rule, options.wireCase);
    const other = names.get(name);
    if (other !== undefined) issues.push({ field: key, rule: 'duplicate', message: `names the same field as "${other}"` });
    names.set(name, key);
    const sameWire = wires.get(wire);
    if (sameWire !== undefined) issues.push({ field: `${key}.wire`, rule: 'duplicate', message: `maps to wire name "${wire}" like "${sameWire}"` });
    wires.set(wire, key);
    if (FORBIDDEN_SEGMENTS.has(name)) issues.push({ field: key, rule: 'forbidden', message: 'is not allowed as a field name' });
    for (const segment of [...wire.split('.'), ...(rule.itemWire === undefined ? [] : [rule.itemWire])]) {
      if (!PATH_SEGMENT.test(segment) || FORBIDDEN_SEGMENTS.has(segment)) {
        issues.push({ field: `${key}.wire`, rule: 'wire', message: `"${segment}" is not a valid wire name segment` });
      }
    }
    const type = rule.type ?? 'string';
    const sized = type === 'string' || type === 'array';
    if ((rule.minLength !== undefined || rule.maxLength !== undefined) && !sized) {
      issues.push({ field: `${key}.maxLength`, rule: 'type', message: `length rules apply to strings and arrays, not ${type}` });
    }
    if (rule.minLength !== undefined && rule.maxLength !== undefined && rule.minLength > rule.maxLength) {
      issues.push({ field: `${key}.minLength`, rule: 'range', message: 'must not be greater than maxLength' });
    }
    if (rule.itemWire !== undefined && type !== 'array') {
      issues.push({ field: `${key}.itemWire`, rule: 'type', message: 'applies to arrays only' });
    }
    if (rule.pattern !== undefined) {
      if (type !== 'string' && type !== 'array') {
        issues.push({ field: `${key}.pattern`, rule: 'type', message: `patterns apply to strings and arrays, not ${type}` });
      }
      const compiled = compileSafePattern(rule.pattern);
      if ('error' in compiled) issues.push({ field: `${key}.pattern`, rule: 'pattern', message: compiled.error });
    }
  }
  return issues;
}

/** How deep a field map is walked before its schema is checked: rules, their options, enum lists and custom-check lists. */
const MAX_FIELD_MAP_DEPTH = 4;

/**
 * A field map that is not one: not an object, a getter or Proxy trap that
 * throws (with its path), nesting past any rule's shape, or a rule the config
 * schema refuses (a code-built map gets the checks a loaded one had).
 */
function shapeIssues(fields: unknown): FieldIssue[] {
  const problem = walkProblem(fields, MAX_FIELD_MAP_DEPTH);
  if (problem) return [{ field: problem.path, rule: problem.rule, message: problem.message }];
  const parsed = safeParseEnglish(configSchemas().fieldMap, fields);
  return parsed.success ? [] : zodIssues(parsed.error);
}

function wireOf(key: string, rule: FieldRule, wireCase: ValidatorOptions['wireCase']): string {
  if (rule.wire !== undefined) return rule.wire;
  return wireCase === 'snake' ? camelToSnake(snakeToCamel(key)) : key;
}

/**
 * Compiles a field map into a {@link PayloadValidator}. Keys may be camelCase
 * SDK names or snake_case wire names (`short_description` validates the SDK
 * field `shortDescription`). Throws a {@link ConfigError} listing every bad rule.
 *
 * Pattern rules are bounded twice: catastrophic patterns are refused here, and
 * values longer than `maxPatternInput` are never matched (see `compileSafePattern`).
 *
 * @example
 * const v = compileValidator({ shortDescription: { required: true, maxLength: 160 } }, { wireCase: 'snake' });
 * v.validate({ shortDescription: 'VPN down' }); // { ok: true, value: { short_description: 'VPN down' }, issues: [] }
 */
export function compileValidator(fields: FieldMap, options: ValidatorOptions = {}): PayloadValidator {
  const issues = fieldMapIssues(fields, options);
  const label = `Invalid field mapping${options.label ? ` for ${options.label}` : ''}`;
  if (issues.length && shapeIssues(fields).length) throw new ConfigError(label, issues);
  const checks = options.checks ?? {};
  const compiled: CompiledField[] = [];
  for (const [key, rule] of Object.entries(fields)) {
    const resolved: CustomCheck[] = [];
    for (const check of rule.custom === undefined ? [] : Array.isArray(rule.custom) ? rule.custom : [rule.custom]) {
      if (typeof check === 'function') resolved.push(check as CustomCheck);
      else if (Object.hasOwn(checks, check as string)) resolved.push(checks[check as string] as CustomCheck);
      else issues.push({ field: `${key}.custom`, rule: 'custom', message: `no check named "${String(check)}" was given` });
    }
    const pattern = rule.pattern === undefined ? undefined : compileSafePattern(rule.pattern);
    const required = rule.required ?? false;
    compiled.push({
      name: snakeToCamel(key),
      wire: wireOf(key, rule, options.wireCase).split('.'),
      required,
      type: rule.type ?? 'string',
      allowEmpty: rule.allowEmpty ?? !required,
      minLength: rule.minLength,
      maxLength: rule.maxLength,
      enumValues: rule.enum ? new Set(rule.enum) : undefined,
      enumText: rule.enum ? rule.enum.map(String).join(', ') : '',
      pattern: pattern && 'regex' in pattern ? pattern.regex : undefined,
      checks: resolved,
      wireValues: rule.wireValues,
      itemWire: rule.itemWire,
    });
  }
  if (issues.length) throw new ConfigError(label, issues);
  return new CompiledValidator(compiled, options);
}

class CompiledValidator implements PayloadValidator {
  readonly fields: readonly string[];
  readonly wireNames: Readonly<Record<string, string>>;
  readonly #fields: readonly CompiledField[];
  readonly #byName: ReadonlyMap<string, CompiledField>;
  readonly #reject: boolean;
  readonly #maxPatternInput: number;
  readonly #label: string;

  constructor(fields: readonly CompiledField[], options: ValidatorOptions) {
    this.#fields = fields;
    this.#byName = new Map(fields.map((f) => [f.name, f]));
    this.fields = fields.map((f) => f.name);
    this.wireNames = Object.fromEntries(fields.map((f) => [f.name, f.wire.join('.')]));
    this.#reject = (options.unknownFields ?? 'reject') === 'reject';
    this.#maxPatternInput = options.maxPatternInput ?? DEFAULT_MAX_PATTERN_INPUT;
    this.#label = options.label ?? 'payload';
  }

  validate(payload: unknown): ValidationResult {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { ok: false, issues: [{ field: '(root)', rule: 'type', message: `${this.#label} must be an object` }] };
    }
    // A getter or Proxy trap that throws is an issue at its path, not an escaped error (fields and their items are read).
    const unreadable = walkProblem(payload, 1);
    if (unreadable?.rule === 'unreadable') return { ok: false, issues: [{ field: unreadable.path, rule: 'unreadable', message: unreadable.message }] };
    const input = payload as Record<string, unknown>;
    const issues: FieldIssue[] = [];
    const out: Record<string, unknown> = {};
    for (const field of this.#fields) {
      const value = Object.hasOwn(input, field.name) ? input[field.name] : undefined;
      if (value === undefined || value === null) {
        if (field.required) issues.push({ field: field.name, rule: 'required', message: 'is required' });
        continue;
      }
      const before = issues.length;
      this.#check(field, value, input, issues);
      if (issues.length === before) setWire(out, field.wire, this.#toWire(field, value));
    }
    for (const key of Object.keys(input)) {
      if (this.#byName.has(key)) continue;
      if (this.#reject) issues.push({ field: key, rule: 'unknown', message: `is not a known field of ${this.#label}` });
      else if (!FORBIDDEN_SEGMENTS.has(key) && input[key] !== undefined) out[key] = input[key];
    }
    return issues.length ? { ok: false, issues } : { ok: true, value: out, issues: [] };
  }

  assertValid(payload: unknown): Record<string, unknown> {
    const result = this.validate(payload);
    if (!result.ok) throw new ValidationError(`Invalid ${this.#label}`, result.issues);
    return result.value;
  }

  #check(field: CompiledField, value: unknown, payload: Record<string, unknown>, issues: FieldIssue[]): void {
    if (!isOfType(field.type, value)) {
      issues.push({ field: field.name, rule: 'type', message: `must be ${withArticle(field.type)} (got ${typeName(value)})` });
      return;
    }
    if (typeof value === 'string' || Array.isArray(value)) {
      const empty = typeof value === 'string' ? value.trim() === '' : value.length === 0;
      if (empty && !field.allowEmpty) {
        issues.push({ field: field.name, rule: 'allowEmpty', message: field.required ? 'is required and must not be empty' : 'must not be empty' });
        return;
      }
      const unit = typeof value === 'string' ? 'characters' : 'items';
      if (field.minLength !== undefined && value.length < field.minLength) {
        issues.push({ field: field.name, rule: 'minLength', message: `must have at least ${field.minLength} ${unit} (got ${value.length})` });
      }
      if (field.maxLength !== undefined && value.length > field.maxLength) {
        issues.push({ field: field.name, rule: 'maxLength', message: `must have at most ${field.maxLength} ${unit} (got ${value.length})` });
      }
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.#checkValue(field, item, `${field.name}.${i}`, issues));
    } else {
      this.#checkValue(field, value, field.name, issues);
    }
    for (const check of field.checks) {
      const message = check(value, payload);
      if (message !== undefined) issues.push({ field: field.name, rule: 'custom', message });
    }
  }

  /** Enum and pattern rules, on the value or on each item of an array. */
  #checkValue(field: CompiledField, value: unknown, path: string, issues: FieldIssue[]): void {
    if (field.enumValues && !field.enumValues.has(value)) {
      issues.push({ field: path, rule: 'enum', message: `must be one of: ${field.enumText}` });
    }
    if (!field.pattern) return;
    if (typeof value !== 'string') {
      issues.push({ field: path, rule: 'type', message: `must be a string (got ${typeName(value)})` });
    } else if (value.length > this.#maxPatternInput) {
      issues.push({ field: path, rule: 'pattern', message: `is longer than ${this.#maxPatternInput} characters, the most a pattern is checked on` });
    } else if (!field.pattern.test(value)) {
      issues.push({ field: path, rule: 'pattern', message: `must match ${field.pattern.source}` });
    }
  }

  #toWire(field: CompiledField, value: unknown): unknown {
    const mapOne = (v: unknown): unknown => {
      const mapped = field.wireValues && typeof v === 'string' && Object.hasOwn(field.wireValues, v) ? field.wireValues[v] : v;
      return field.itemWire === undefined ? mapped : { [field.itemWire]: mapped };
    };
    if (Array.isArray(value)) return value.map(mapOne);
    return field.wireValues ? mapOne(value) : value;
  }
}

function setWire(out: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = out;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else node = node[key] = {};
  }
  node[path[last] as string] = value;
}
