import {
  ConfigError,
  type FieldIssue,
  type HttpOptions,
  isNode,
  parseJsonInput,
  RetryPolicy,
  type RetryPolicyOptions,
  safeParseEnglish,
  TemplateError,
  walkProblem,
  zodIssues,
} from '../core/index.js';
import type * as z from 'zod/mini';
import {
  configSchemas,
  KEY_ALIASES,
  renameKeys,
  TICKET_TYPES,
  type ConfigSchemas,
  type ClassificationConfig,
  type FieldMap,
  type FieldRule,
  type FieldMapping,
  type ItsmConfig,
  type KeyAlias,
  type TemplateDefinition,
  type TicketPlatform,
  type TimeoutConfig,
} from './config-schema.js';
import type { ItsmConfigInput } from './config-input.js';
import { DEFAULT_ITSM_CONFIG } from './default-config.js';
import { snakeToCamel } from './key-case.js';
import { compileTemplate } from './template.js';
import { compileValidator, fieldMapIssues, type PayloadValidator, type ValidatorOptions } from './validator.js';

type Section = keyof ConfigSchemas['sections'];
type Parsed = { -readonly [K in Section]?: z.output<ConfigSchemas['sections'][K]> };

/**
 * Loads and validates an ITSM configuration from an object or JSON text.
 *
 * Keys may be camelCase or snake_case (`retryPolicy.minDelayMs` or
 * `retry_policy.min_delay_ms`), and the file's own names are read too
 * (`max_retries`, `backoff_multiplier`, `retryable_status_codes`; `initial_delay`,
 * `max_delay` and the `timeout` section's `connect`/`read`/`total` are seconds);
 * docs/itsm-config.md describes the format. A top-level `$schema` is ignored.
 * Unknown keys are errors, so a typo never passes silently, and every problem
 * is reported at once in one {@link ConfigError}, each issue naming its path
 * as written. Patterns, templates and field rules are compiled once here, so
 * anything that would fail later fails now.
 *
 * What you give merges over {@link DEFAULT_ITSM_CONFIG}: `retryPolicy`,
 * `timeouts` and `classification` key by key, field mappings per ticket type,
 * templates by name. A top-level `validation` object is accepted and kept as
 * written on `config.validation`, not interpreted.
 *
 * @example
 * const config = loadItsmConfig({ retry_policy: { max_retries: 3, initial_delay: 1 } });
 * config.retryPolicy.minDelayMs; // 1000
 */
export function loadItsmConfig(input: ItsmConfigInput): ItsmConfig;
/** Loads JSON text of a config (a file's contents), checked the same way. */
export function loadItsmConfig(json: string): ItsmConfig;
export function loadItsmConfig(input: ItsmConfigInput | string): ItsmConfig {
  return parseItsmConfig(input);
}

/**
 * {@link loadItsmConfig} for a value of unknown shape (parsed JSON, a request
 * body) or JSON text: the same checks, the same {@link ConfigError} naming
 * every bad key. Prefer `loadItsmConfig` when you write the config, so the
 * compiler checks its keys too.
 */
export function parseItsmConfig(input: unknown): ItsmConfig {
  const raw = typeof input === 'string' ? parseJson(input) : input;
  if (!isRecord(raw)) {
    throw new ConfigError('Invalid ITSM config', [{ field: '(root)', rule: 'type', message: 'must be an object or JSON text of one' }]);
  }
  const problem = walkProblem(raw, MAX_CONFIG_DEPTH);
  if (problem !== undefined) {
    const message = problem.rule === 'depth' ? `nests deeper than ${MAX_CONFIG_DEPTH} levels` : problem.message;
    throw new ConfigError('Invalid ITSM config', [{ field: problem.path, rule: problem.rule, message }]);
  }
  const root = renameKeys(raw, KEY_ALIASES['root']) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const parsed: Parsed = {};
  const { sections } = configSchemas();
  for (const key of Object.keys(root)) {
    if (key === '$schema') {
      if (typeof root[key] !== 'string') issues.push({ field: key, rule: 'type', message: 'must be a string (the URL of the JSON Schema)' });
      continue;
    }
    if (!Object.hasOwn(sections, key)) {
      const written = originalKey(raw, key);
      issues.push({ field: written, rule: 'unknown_key', message: `unknown key "${written}"` });
      continue;
    }
    const section = key as Section;
    const result = safeParseEnglish(sections[section], root[section]);
    if (result.success) (parsed as Record<string, unknown>)[section] = result.data;
    else issues.push(...translateIssues(result.error, raw, [section]));
  }

  const config = merge(parsed);
  // Semantic checks run on every part that parses on its own, so one typo does not hide other problems.
  issues.push(...retryPolicyIssues(root['retryPolicy'], raw));
  issues.push(...fieldMappingIssues(root['fieldMapping'], raw));
  issues.push(...templateIssues(root['templates'], config.fieldMapping, raw));
  if (parsed.classification) issues.push(...classificationIssues(config.classification, raw));
  if (issues.length) throw new ConfigError('Invalid ITSM config', issues);
  loaded.add(config);
  return config;
}

/** Configs {@link parseItsmConfig} (and so {@link loadItsmConfig}) returned: already checked and merged, never loaded twice. */
const loaded = new WeakSet<object>();

/**
 * A config as given: an already loaded {@link ItsmConfig} is used as it is
 * (loading it again would treat the merged defaults as user input); anything
 * else goes through {@link loadItsmConfig}.
 */
export function resolveItsmConfig(input: ItsmConfig | ItsmConfigInput): ItsmConfig {
  // Checked at run time whatever its type says: a JavaScript caller may pass anything.
  return typeof input === 'object' && input !== null && loaded.has(input) ? (input as ItsmConfig) : parseItsmConfig(input);
}

/**
 * The retry policy a client should use under this config: the configured
 * policy, with the timeouts filling what it leaves open (`readMs` per attempt,
 * `totalMs` for the whole call, 30 s and 60 s by default).
 */
export function retryPolicyOptions(config: ItsmConfig): RetryPolicyOptions {
  return {
    ...config.retryPolicy,
    attemptTimeoutMs: config.retryPolicy.attemptTimeoutMs ?? config.timeouts.readMs,
    totalBudgetMs: config.retryPolicy.totalBudgetMs ?? config.timeouts.totalMs,
  };
}

/**
 * The options of a ServiceNow or Jira client under this config: its retry
 * policy ({@link retryPolicyOptions}) and, on Node, the connect timeout
 * (`timeouts.connectMs`, 10 s by default). Spread them into the client's options.
 *
 * @example
 * const sn = new ServiceNowClient({ instanceUrl, auth, ...clientOptions(config) });
 */
export function clientOptions(config: ItsmConfig): { readonly retry: RetryPolicyOptions; readonly http?: HttpOptions } {
  const retry = retryPolicyOptions(config);
  // Off Node there is no connect step the SDK controls (the runtime's fetch owns it).
  return isNode() ? { retry, http: { connectTimeoutMs: config.timeouts.connectMs } } : { retry };
}

/** Compiled validators for every platform and ticket type of a config. */
export interface PayloadValidators {
  /** The validator of one ticket type; an unknown platform or ticket type throws a {@link ConfigError} naming it. */
  get(platform: string, ticketType: string): PayloadValidator;
}

/**
 * Compiles every field map of `config` once (ServiceNow wire names default to
 * snake_case, Jira's to the key). `options` apply to every validator.
 */
export function compilePayloadValidators(config: ItsmConfig, options: Omit<ValidatorOptions, 'wireCase' | 'label'> = {}): PayloadValidators {
  const validators = new Map<string, PayloadValidator>();
  for (const platform of Object.keys(TICKET_TYPES) as TicketPlatform[]) {
    for (const ticketType of TICKET_TYPES[platform]) {
      const map = (config.fieldMapping[platform] as Readonly<Record<string, FieldMap>>)[ticketType] ?? {};
      const label = `${platform} ${ticketType}`;
      validators.set(label, compileValidator(map, { ...options, label, wireCase: platform === 'servicenow' ? 'snake' : 'same' }));
    }
  }
  return {
    get(platform, ticketType) {
      const validator = validators.get(`${platform} ${ticketType}`);
      if (validator) return validator;
      const known = Object.hasOwn(TICKET_TYPES, platform);
      throw new ConfigError(known ? `Unknown ${platform} ticket type "${ticketType}"` : `Unknown platform "${platform}"`, [
        known
          ? { field: 'ticketType', rule: 'enum', message: `must be one of: ${TICKET_TYPES[platform as TicketPlatform].join(', ')}` }
          : { field: 'platform', rule: 'enum', message: `must be one of: ${Object.keys(TICKET_TYPES).join(', ')}` },
      ]);
    },
  };
}

/** How deep a config may nest: real ones stay under ten levels; the parsers below recurse. */
const MAX_CONFIG_DEPTH = 64;

function parseJson(text: string): unknown {
  try {
    return parseJsonInput(text, 'The ITSM config');
  } catch (e) {
    // The parser's own message may quote the text around the error; only ours is kept.
    throw new ConfigError('Invalid ITSM config', [{ field: '(root)', rule: 'json', message: (e as Error).message }]);
  }
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function merge(parsed: Parsed): ItsmConfig {
  const d = DEFAULT_ITSM_CONFIG;
  const fm = parsed.fieldMapping;
  return {
    retryPolicy: { ...d.retryPolicy, ...(defined(parsed.retryPolicy) as RetryPolicyOptions) },
    timeouts: { ...d.timeouts, ...(defined(parsed.timeouts) as Partial<TimeoutConfig>) },
    fieldMapping: {
      servicenow: { ...d.fieldMapping.servicenow, ...(defined(fm?.servicenow) as Partial<FieldMapping['servicenow']>) },
      jira: { ...d.fieldMapping.jira, ...(defined(fm?.jira) as Partial<FieldMapping['jira']>) },
    },
    templates: { ...d.templates, ...(parsed.templates as Record<string, TemplateDefinition> | undefined) },
    classification: { ...d.classification, ...(defined(parsed.classification) as Partial<ClassificationConfig>) },
    validation: parsed.validation ?? {},
  };
}

/** The key as the user wrote it for camelCase `key`: itself, its snake_case spelling, or an alias. */
function originalKey(node: unknown, key: string): string {
  if (!isRecord(node) || Object.hasOwn(node, key)) return key;
  for (const written of Object.keys(node)) {
    if (snakeToCamel(written) === key) return written;
    for (const aliases of Object.values(KEY_ALIASES)) if (aliases[written]?.to === key) return written;
  }
  return key;
}

/** Maps a camelCase path back to the keys written in `root`. */
function originalPath(root: unknown, path: readonly PropertyKey[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const segment of path) {
    const key = typeof segment === 'number' ? segment : originalKey(node, String(segment));
    out.push(key);
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return out;
}

/** Zod issues of one section, with paths and unknown keys spelled as written. */
function translateIssues(error: z.core.$ZodError, raw: unknown, prefix: readonly string[]): FieldIssue[] {
  const translated = error.issues.map((issue) => {
    const path = originalPath(raw, [...prefix, ...issue.path]);
    if (issue.code !== 'unrecognized_keys') return { ...issue, path };
    const node = path.reduce<unknown>((n, k) => (n as Record<string | number, unknown> | undefined)?.[k], raw);
    return { ...issue, path, keys: issue.keys.map((k) => originalKey(node, k)) };
  });
  return zodIssues({ issues: translated as z.core.$ZodIssue[] });
}

function written(raw: unknown, path: readonly (string | number)[]): string {
  return originalPath(raw, path).join('.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a plain object after key renaming, or none. */
function entriesOf(value: unknown, aliases?: Readonly<Record<string, KeyAlias>>): [string, unknown][] {
  const renamed = renameKeys(value, aliases);
  return isRecord(renamed) ? Object.entries(renamed) : [];
}

function retryPolicyIssues(section: unknown, raw: unknown): FieldIssue[] {
  const known = new Set(Object.keys(configSchemas().sections.retryPolicy.def.out.def.shape));
  const options = Object.fromEntries(entriesOf(section, KEY_ALIASES['retryPolicy']).filter(([k, v]) => known.has(k) && v !== undefined));
  try {
    RetryPolicy.from(options as RetryPolicyOptions);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // Core names fields `retry.<key>`; report them under the key as written.
    return e.issues.map((i) => ({ ...i, field: written(raw, ['retryPolicy', ...i.field.replace(/^retry\.?/, '').split('.').filter(Boolean)]) }));
  }
}

function fieldMappingIssues(section: unknown, raw: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const platforms = new Map(entriesOf(section));
  for (const platform of Object.keys(TICKET_TYPES) as TicketPlatform[]) {
    const types = new Map(entriesOf(platforms.get(platform)));
    for (const ticketType of TICKET_TYPES[platform]) {
      // Field names are data, not schema keys: they are read as written.
      const map = types.get(ticketType);
      const rules = (isRecord(map) ? Object.entries(map) : []).flatMap(([field, rule]) => {
        const parsed = safeParseEnglish(configSchemas().fieldRule, rule);
        return parsed.success ? [[field, parsed.data as FieldRule] as const] : [];
      });
      for (const issue of fieldMapIssues(Object.fromEntries(rules), { wireCase: platform === 'servicenow' ? 'snake' : 'same' })) {
        const [field = '', ...option] = issue.field.split('.');
        issues.push({ ...issue, field: written(raw, ['fieldMapping', platform, ticketType, field, ...option]) });
      }
    }
  }
  return issues;
}

function templateIssues(section: unknown, mapping: FieldMapping, raw: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of isRecord(section) ? Object.entries(section) : []) {
    const parsed = safeParseEnglish(configSchemas().template, value);
    if (!parsed.success) continue;
    const template = parsed.data as TemplateDefinition;
    const at = (...path: string[]) => written(raw, ['templates', name, ...path]);
    if (!(TICKET_TYPES[template.platform] as readonly string[]).includes(template.ticketType)) {
      issues.push({
        field: at('ticketType'),
        rule: 'enum',
        message: `${template.platform} ticket types are ${TICKET_TYPES[template.platform].join(', ')}`,
      });
      continue;
    }
    try {
      compileTemplate(template, name);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, field: `${at()}.${i.field}` })));
    }
    const known = new Set(Object.keys((mapping[template.platform] as Record<string, FieldMap>)[template.ticketType] ?? {}).map(snakeToCamel));
    for (const field of Object.keys(template.fields)) {
      if (!known.has(snakeToCamel(field))) {
        issues.push({ field: `${at('fields')}.${field}`, rule: 'unknown', message: `is not a field of ${template.platform} ${template.ticketType}` });
      }
    }
  }
  return issues;
}

function classificationIssues(config: ClassificationConfig, raw: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  config.rules.forEach((rule, i) => {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      issues.push({ field: written(raw, ['classification', 'rules', i, 'id']), rule: 'duplicate', message: `"${rule.id}" is also the id of rule ${first}` });
    } else seen.set(rule.id, i);
    if (!rule.matchKeywords?.length && !rule.matchErrorCodes?.length) {
      issues.push({ field: written(raw, ['classification', 'rules', i]), rule: 'required', message: 'needs matchKeywords or matchErrorCodes (use categoryDefaults for a default topic)' });
    }
  });
  return issues;
}
