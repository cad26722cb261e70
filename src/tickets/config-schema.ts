import * as z from 'zod/mini';
import type { RetryPolicyOptions } from '../core/index.js';
import { snakeToCamel } from './key-case.js';

/** The ticketing platforms itsmkit creates tickets on. */
export type TicketPlatform = 'servicenow' | 'jira';
/** ServiceNow ticket types; `SERVICENOW_TICKET_TABLES` gives each one's table declaration. */
export type ServiceNowTicketType = 'incident' | 'changeRequest';
/** Jira ticket types. */
export type JiraTicketType = 'issue';
/** Any ticket type. */
export type TicketType = ServiceNowTicketType | JiraTicketType;

/** The ticket types of each platform. */
export const TICKET_TYPES: Readonly<{ servicenow: readonly ServiceNowTicketType[]; jira: readonly JiraTicketType[] }> = {
  servicenow: ['incident', 'changeRequest'],
  jira: ['issue'],
};

/** A JSON value, as templates and field values hold them. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The type a field rule or template variable requires. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/**
 * A custom check: returns a message when `value` is wrong, `undefined` when it
 * is fine. It sees the whole payload (SDK names) for cross-field rules.
 */
export type CustomCheck = (value: unknown, payload: Readonly<Record<string, unknown>>) => string | undefined;

/** How one payload field is validated and mapped to its wire name. Keyed by the SDK (camelCase) field name. */
export interface FieldRule {
  /**
   * The wire name, or a dotted path for nested wire shapes (`project.key`,
   * `issuetype.name`). @default the snake_case of the key on ServiceNow, the key itself on Jira
   */
  readonly wire?: string;
  /** The field must be present (not `undefined` or `null`). @default false */
  readonly required?: boolean;
  /** @default 'string' */
  readonly type?: FieldType;
  /** Fewest characters (strings) or items (arrays). */
  readonly minLength?: number;
  /** Most characters (strings) or items (arrays). */
  readonly maxLength?: number;
  /** Allowed values (for arrays: allowed items). */
  readonly enum?: readonly (string | number | boolean)[];
  /**
   * A regular expression (Unicode mode) strings must match (for arrays: each item).
   * Checked for catastrophic backtracking at load; see `compileSafePattern`.
   */
  readonly pattern?: string;
  /** Whether `''`, a whitespace-only string or `[]` is accepted. @default `!required` */
  readonly allowEmpty?: boolean;
  /** Custom checks: functions, or names of checks passed to the validator's `checks` option. */
  readonly custom?: string | CustomCheck | readonly (string | CustomCheck)[];
  /** Maps SDK values to wire values (`{ high: '1' }`); values not listed pass unchanged. */
  readonly wireValues?: Readonly<Record<string, string | number | boolean>>;
  /** For arrays of strings: wraps each item as `{ [itemWire]: item }` on the wire (Jira `components: [{ name }]`). */
  readonly itemWire?: string;
  /** What the field is, for people and generated docs. */
  readonly description?: string;
}

/** Field rules of one ticket type, keyed by SDK field name. */
export type FieldMap = Readonly<Record<string, FieldRule>>;

/** Field rules per platform and ticket type. */
export interface FieldMapping {
  readonly servicenow: { readonly incident: FieldMap; readonly changeRequest: FieldMap };
  readonly jira: { readonly issue: FieldMap };
}

/** A variable a template declares. */
export interface TemplateVariable {
  /** `any` skips the type check. @default 'string' */
  readonly type?: FieldType | 'any';
  /** @default true, or false when a `default` is given */
  readonly required?: boolean;
  /** Used when the variable is missing (`undefined` or `null`). */
  readonly default?: JsonValue;
  readonly description?: string;
}

/** A ticket template: a JSON payload whose strings hold `{variable}` placeholders. */
export interface TemplateDefinition {
  readonly platform: TicketPlatform;
  readonly ticketType: TicketType;
  readonly description?: string;
  /** Declared variables by (dotted) path; referenced but undeclared ones are required strings-or-anything. */
  readonly variables?: Readonly<Record<string, TemplateVariable>>;
  /** The payload, in SDK field names; strings may hold `{a.b}` placeholders, `{{`/`}}` for literal braces. */
  readonly fields: { readonly [key: string]: JsonValue };
}

/** A self-service resource recommended with a classification. */
export interface RecommendedResource {
  readonly type: 'doc' | 'video';
  readonly label: string;
  readonly url: string;
}

/** One classification rule: category plus keywords or error codes -> topic and resources. */
export interface ClassificationRule {
  /** Unique; named in the classification's explanation. */
  readonly id: string;
  /** The request category the rule applies to; omit to apply to every category. */
  readonly category?: string;
  readonly topic: string;
  /** Words or phrases matched as whole words in the short and detailed description, case-insensitively. */
  readonly matchKeywords?: readonly string[];
  /** Error codes matched exactly (case-insensitively) against the request's `errorCode`. */
  readonly matchErrorCodes?: readonly string[];
  readonly recommendedResources: readonly RecommendedResource[];
}

/** The topic a category falls back to when none of its rules match. */
export interface CategoryDefault {
  readonly category: string;
  readonly topic: string;
  readonly recommendedResources: readonly RecommendedResource[];
}

/** Classification rules, category defaults and the final fallback. */
export interface ClassificationConfig {
  readonly rules: readonly ClassificationRule[];
  readonly categoryDefaults: readonly CategoryDefault[];
  /** @default { topic: 'Unclassified / Manual Review', recommendedResources: [] } */
  readonly fallback: { readonly topic: string; readonly recommendedResources: readonly RecommendedResource[] };
}

/** Timeouts: connect 10 s, read 30 s, total 60 s. */
export interface TimeoutConfig {
  /** Connection setup, for hosts whose fetch can bound it separately (undici's `connect.timeout`). @default 10000 */
  readonly connectMs: number;
  /** One attempt, request to full response: becomes the retry policy's `attemptTimeoutMs`. @default 30000 */
  readonly readMs: number;
  /** The whole call, retries included: becomes the retry policy's `totalBudgetMs`. @default 60000 */
  readonly totalMs: number;
}

/** The validated ITSM configuration. */
export interface ItsmConfig {
  readonly retryPolicy: RetryPolicyOptions;
  readonly timeouts: TimeoutConfig;
  readonly fieldMapping: FieldMapping;
  readonly templates: Readonly<Record<string, TemplateDefinition>>;
  readonly classification: ClassificationConfig;
  /**
   * The file's `validation` section, kept as written and not interpreted:
   * field rules live in `fieldMapping`. Empty when the file has none.
   */
  readonly validation: Readonly<Record<string, JsonValue>>;
}

/** A snake_case key that is not just the snake_case spelling of its camelCase key, optionally in other units. */
export interface KeyAlias {
  readonly to: string;
  /** Multiplies numbers (seconds -> ms). */
  readonly scale?: number;
}

/**
 * Aliases per camelCase target, for reporting issues under the key the user
 * wrote. The short names a config file may use; `scale` turns seconds into ms.
 */
export const KEY_ALIASES: Readonly<Record<string, Readonly<Record<string, KeyAlias>>>> = {
  root: { timeout: { to: 'timeouts' } },
  retryPolicy: {
    max_retries: { to: 'retries' },
    backoff_multiplier: { to: 'factor' },
    retryable_status_codes: { to: 'retryOnStatus' },
    initial_delay: { to: 'minDelayMs', scale: 1000 },
    max_delay: { to: 'maxDelayMs', scale: 1000 },
  },
  timeouts: {
    connect: { to: 'connectMs', scale: 1000 },
    read: { to: 'readMs', scale: 1000 },
    total: { to: 'totalMs', scale: 1000 },
    connect_timeout: { to: 'connectMs', scale: 1000 },
    read_timeout: { to: 'readMs', scale: 1000 },
    total_timeout: { to: 'totalMs', scale: 1000 },
  },
};

/** Renames snake_case and aliased keys of a plain object to camelCase, scaling aliased numbers. */
export function renameKeys(value: unknown, aliases: Readonly<Record<string, KeyAlias>> = {}): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  const define = (name: string, v: unknown) => Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
  // The key each target was written as, so that two spellings of one key are always reported.
  const writtenAs = new Map<string, string>();
  for (const key of Object.keys(source)) {
    const alias = Object.hasOwn(aliases, key) ? aliases[key] : undefined;
    const target = alias?.to ?? snakeToCamel(key);
    const v = source[key];
    const renamed = alias?.scale !== undefined && typeof v === 'number' ? v * alias.scale : v;
    const earlier = writtenAs.get(target);
    if (earlier === undefined) {
      define(target, renamed);
      writtenAs.set(target, key);
    } else if (key !== target) {
      // Both spellings given: the second is left as written and reported as an unknown key.
      define(key, v);
    } else {
      // The target's own spelling after another one: that other one is left as written instead.
      define(earlier, source[earlier]);
      define(target, v);
    }
  }
  return out;
}

/** A strict object that also accepts snake_case (and aliased) spellings of its keys. */
const keyed = <S extends z.core.$ZodLooseShape>(shape: S, aliases?: Readonly<Record<string, KeyAlias>>) =>
  z.pipe(
    z.transform((v) => renameKeys(v, aliases)),
    z.strictObject(shape),
  );

const text = (min: number, max?: number) => z.string().check(z.minLength(min), ...(max === undefined ? [] : [z.maxLength(max)]));

function buildConfigSchemas() {
  const name = text(1, 200);
  const json: z.ZodMiniType<JsonValue> = z.lazy(() =>
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
  );
  const fieldType = z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object']);
  const customCheck = z.custom<CustomCheck>((v) => typeof v === 'function', { message: 'must be a function or a check name' });
  const nonNegative = z.number().check(z.int(), z.gte(0));

  const fieldRule = keyed({
    wire: z.optional(text(1, 200)),
    required: z.optional(z.boolean()),
    type: z.optional(fieldType),
    minLength: z.optional(nonNegative),
    maxLength: z.optional(nonNegative),
    enum: z.optional(z.array(z.union([z.string(), z.number(), z.boolean()])).check(z.minLength(1))),
    pattern: z.optional(text(1, 1000)),
    allowEmpty: z.optional(z.boolean()),
    custom: z.optional(z.union([name, customCheck, z.array(z.union([name, customCheck]))])),
    wireValues: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
    itemWire: z.optional(text(1, 200)),
    description: z.optional(z.string()),
  });

  const fieldMap = z.record(text(1, 200), fieldRule);

  // Platforms and ticket types are fixed keys; field names are free.
  const fieldMapping = keyed({
    servicenow: z.optional(keyed({ incident: z.optional(fieldMap), changeRequest: z.optional(fieldMap) })),
    jira: z.optional(keyed({ issue: z.optional(fieldMap) })),
  });

  const templateVariable = keyed({
    type: z.optional(z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object', 'any'])),
    required: z.optional(z.boolean()),
    default: z.optional(json),
    description: z.optional(z.string()),
  });

  // `ticketType` also accepts the table name `change_request`.
  const template = keyed({
    platform: z.enum(['servicenow', 'jira']),
    ticketType: z.pipe(
      z.transform((v) => (typeof v === 'string' ? snakeToCamel(v) : v)),
      z.enum(['incident', 'changeRequest', 'issue']),
    ),
    description: z.optional(z.string()),
    variables: z.optional(z.record(text(1, 200), templateVariable)),
    fields: z.record(z.string(), json),
  });

  const resource = keyed({ type: z.enum(['doc', 'video']), label: text(1), url: z.url() });

  const classification = keyed({
    rules: z.optional(
      z.array(
        keyed({
          id: name,
          category: z.optional(text(1)),
          topic: text(1),
          matchKeywords: z.optional(z.array(text(1))),
          matchErrorCodes: z.optional(z.array(text(1))),
          recommendedResources: z.array(resource),
        }),
      ),
    ),
    categoryDefaults: z.optional(z.array(keyed({ category: text(1), topic: text(1), recommendedResources: z.array(resource) }))),
    fallback: z.optional(keyed({ topic: text(1), recommendedResources: z.array(resource) })),
  });

  // Timeouts in ms (`connect`/`read`/`total` in seconds from snake_case files).
  const timeouts = keyed(
    {
      connectMs: z.optional(z.number().check(z.gt(0))),
      readMs: z.optional(z.number().check(z.gt(0))),
      totalMs: z.optional(z.number().check(z.gt(0))),
    },
    KEY_ALIASES['timeouts'],
  );

  // Only the keys: their values are checked by core `RetryPolicy.from`, the one source of truth.
  const retryPolicy = keyed(
    {
      retries: z.optional(z.unknown()),
      factor: z.optional(z.unknown()),
      minDelayMs: z.optional(z.unknown()),
      maxDelayMs: z.optional(z.unknown()),
      jitter: z.optional(z.unknown()),
      retryOnStatus: z.optional(z.unknown()),
      retryNetworkErrors: z.optional(z.unknown()),
      retryRefused: z.optional(z.unknown()),
      totalBudgetMs: z.optional(z.unknown()),
      attemptTimeoutMs: z.optional(z.unknown()),
    },
    KEY_ALIASES['retryPolicy'],
  );

  return {
    fieldRule,
    fieldMap,
    template,
    /** The top-level sections and their schemas. */
    sections: {
      retryPolicy,
      timeouts,
      fieldMapping,
      templates: z.record(name, template),
      classification,
      // Accepted as written (any JSON object) so files that carry one load as they are; not interpreted.
      validation: z.record(z.string(), json),
    },
  };
}

/** The schemas of an ITSM config. */
export type ConfigSchemas = ReturnType<typeof buildConfigSchemas>;

let schemas: ConfigSchemas | undefined;

/**
 * The config schemas, built on first use: schemas built at import time would
 * stay in the bundle of every app importing anything from itsmkit.
 */
export function configSchemas(): ConfigSchemas {
  return (schemas ??= buildConfigSchemas());
}
