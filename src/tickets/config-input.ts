import type { RetryPolicyOptions } from '../core/index.js';
import type {
  CategoryDefault,
  ClassificationRule,
  FieldRule,
  JsonValue,
  RecommendedResource,
  TemplateDefinition,
  TemplateVariable,
  TicketType,
  TimeoutConfig,
} from './config-schema.js';

/** `minDelayMs` -> `min_delay_ms`, as the loader's key renaming reads it back. */
type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}` ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}` : S;

/**
 * The keys of `T` in camelCase or in snake_case (one spelling per key). Keys of
 * one word keep whether they are required; keys with two spellings are
 * optional in both, and the loader reports a missing one by name.
 */
type EitherCase<T> = {
  readonly [K in keyof T as K extends string ? (SnakeCase<K> extends K ? K : never) : never]: T[K];
} & {
  readonly [K in keyof T as K extends string ? (SnakeCase<K> extends K ? never : K) : never]?: T[K];
} & {
  readonly [K in keyof T as K extends string ? (SnakeCase<K> extends K ? never : SnakeCase<K>) : never]?: T[K];
};

/** A field rule as written: {@link FieldRule} with camelCase or snake_case keys (`allowEmpty` or `allow_empty`). */
export type FieldRuleInput = EitherCase<FieldRule>;

/** Field rules of one ticket type as written, keyed by SDK field name (field names are kept as written). */
export type FieldMapInput = Readonly<Record<string, FieldRuleInput>>;

/** The `field_mapping` section: field rules per platform and ticket type; each ticket type given replaces its default. */
export type FieldMappingInput = EitherCase<{
  servicenow?: EitherCase<{ incident?: FieldMapInput; changeRequest?: FieldMapInput }>;
  jira?: { readonly issue?: FieldMapInput };
}>;

/** A template variable as written: {@link TemplateVariable} (all keys are one word). */
export type TemplateVariableInput = TemplateVariable;

/** A template as written: {@link TemplateDefinition} with `ticketType` or `ticket_type`, which may also be `change_request`. */
export type TemplateInput = EitherCase<
  Omit<TemplateDefinition, 'ticketType' | 'variables'> & {
    ticketType: TicketType | 'change_request';
    variables?: Readonly<Record<string, TemplateVariableInput>>;
  }
>;

/** A classification rule as written: {@link ClassificationRule} with camelCase or snake_case keys. */
export type ClassificationRuleInput = EitherCase<ClassificationRule>;

/** A category default as written: {@link CategoryDefault} with camelCase or snake_case keys. */
export type CategoryDefaultInput = EitherCase<CategoryDefault>;

/** The `classification` section: each part given replaces its default. */
export type ClassificationConfigInput = EitherCase<{
  rules?: readonly ClassificationRuleInput[];
  categoryDefaults?: readonly CategoryDefaultInput[];
  fallback?: EitherCase<{ topic: string; recommendedResources: readonly RecommendedResource[] }>;
}>;

/** The `timeouts` (or `timeout`) section: milliseconds under the `...Ms` keys, seconds under the short ones. */
export type TimeoutsInput = EitherCase<Partial<TimeoutConfig>> & {
  /** Seconds: `connectMs` / 1000. */
  readonly connect?: number;
  /** Seconds: `readMs` / 1000. */
  readonly read?: number;
  /** Seconds: `totalMs` / 1000. */
  readonly total?: number;
  /** Seconds: `connectMs` / 1000. */
  readonly connect_timeout?: number;
  /** Seconds: `readMs` / 1000. */
  readonly read_timeout?: number;
  /** Seconds: `totalMs` / 1000. */
  readonly total_timeout?: number;
};

/** The `retry_policy` section: {@link RetryPolicyOptions} in camelCase or snake_case, plus the file's own names (delays in seconds). */
export type RetryPolicyInput = EitherCase<RetryPolicyOptions> & {
  /** Same as `retries`. */
  readonly max_retries?: number;
  /** Same as `factor`. */
  readonly backoff_multiplier?: number;
  /** Same as `retryOnStatus`. */
  readonly retryable_status_codes?: readonly number[];
  /** Seconds: `minDelayMs` / 1000. */
  readonly initial_delay?: number;
  /** Seconds: `maxDelayMs` / 1000. */
  readonly max_delay?: number;
};

/**
 * An ITSM config as you write it, in a JSON file or in code: every section
 * optional, keys in camelCase or snake_case, merged over
 * `DEFAULT_ITSM_CONFIG` by `loadItsmConfig`. The format, section by section,
 * is in docs/itsm-config.md; the JSON Schema `itsmkit/itsm-config.schema.json`
 * describes the same keys for editors.
 */
export type ItsmConfigInput = EitherCase<{
  retryPolicy?: RetryPolicyInput;
  timeouts?: TimeoutsInput;
  fieldMapping?: FieldMappingInput;
  templates?: Readonly<Record<string, TemplateInput>>;
  classification?: ClassificationConfigInput;
  validation?: Readonly<Record<string, JsonValue>>;
}> & {
  /** The JSON Schema the file follows, for editors; ignored by the loader. */
  readonly $schema?: string;
  /** Same as `timeouts`. */
  readonly timeout?: TimeoutsInput;
};

/**
 * Returns `config` as it is: a typed way to write an ITSM config in code, so
 * editors complete and check its keys (either spelling). Load it with
 * `loadItsmConfig` or pass it as `TicketService`'s `config`.
 *
 * @example
 * const config = loadItsmConfig(defineItsmConfig({ retryPolicy: { retries: 3 }, timeouts: { readMs: 15_000 } }));
 */
export function defineItsmConfig(config: ItsmConfigInput): ItsmConfigInput {
  return config;
}
