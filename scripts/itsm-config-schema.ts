/**
 * Generates schema/itsm-config.schema.json, the JSON Schema (draft 2020-12) of
 * the ITSM config file, from the loader's own zod schemas, so editors complete
 * and check the file through its `"$schema"`. Every key is given in both
 * spellings the loader reads (camelCase and snake_case) plus the file's own
 * names (`max_retries`, `initial_delay` in seconds, ...).
 *
 *   npx tsx scripts/itsm-config-schema.ts          writes the file
 *   npx tsx scripts/itsm-config-schema.ts --check  fails if it is out of date
 *
 * test/tickets/config-json-schema.test.ts runs the check too. A key without a
 * description below fails the generation, so the schema never lags the loader.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { RETRY_POLICY_OPTIONS_SCHEMA } from '../src/core/retry-policy.js';
import { configSchemas, KEY_ALIASES } from '../src/tickets/config-schema.js';
import { DEFAULT_ITSM_CONFIG } from '../src/tickets/default-config.js';
import { camelToSnake } from '../src/tickets/key-case.js';

/** Where the schema is committed and shipped (package.json `files` and `exports`). */
export const ITSM_CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../schema/itsm-config.schema.json', import.meta.url));

/** The schema's stable `$id`: the file as the npm CDN serves it from the latest release. */
export const ITSM_CONFIG_SCHEMA_ID = 'https://unpkg.com/itsmkit/schema/itsm-config.schema.json';

type Node = { [key: string]: unknown };

const fallbackTopic = DEFAULT_ITSM_CONFIG.classification.fallback.topic;
const rp = DEFAULT_ITSM_CONFIG.retryPolicy;
const to = DEFAULT_ITSM_CONFIG.timeouts;

/**
 * Descriptions of every key, by the object that holds it: `''` is the root,
 * then camelCase paths (`*` a record's value, `[]` an array's item), or a
 * `$defs` name.
 */
const DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '': {
    $schema: 'The JSON Schema this file follows, for editors; the loader ignores it.',
    retryPolicy: 'How failed calls are retried; merged key by key over the defaults.',
    timeouts: 'Connect, per-attempt and whole-call timeouts; merged key by key over the defaults.',
    fieldMapping: 'Field rules per platform and ticket type; each ticket type given replaces its default rules.',
    templates: 'Ticket templates by name; merged by name over the built-in templates.',
    classification: 'Support-request classification rules; each part given replaces its default.',
    validation: 'Any JSON object, kept as written on `config.validation` and not interpreted (field rules live in `field_mapping`).',
  },
  retryPolicy: {
    retries: `Retries after the first attempt (0 to 100). Default ${rp.retries}.`,
    factor: `Exponential growth of the delay per retry (1 to 10). Default ${rp.factor}.`,
    minDelayMs: `The base delay before the first retry, in milliseconds. Default ${rp.minDelayMs}.`,
    maxDelayMs: `The cap on any computed delay, in milliseconds. Default ${rp.maxDelayMs}.`,
    jitter: '`full`: each delay is uniform between 0 and the computed delay; `none`: exactly the computed delay. Default `full`.',
    retryOnStatus: `HTTP statuses that are retried (500 is opt-in). Default ${JSON.stringify(rp.retryOnStatus)}.`,
    retryNetworkErrors: 'Whether connection failures and attempt timeouts are retried. Default true.',
    retryRefused: 'Whether a refused connection or a host name that does not resolve is retried (nothing was sent). Default true.',
    totalBudgetMs: `The whole call's budget, retries and delays included, in milliseconds. Default \`timeouts.total_ms\` (${to.totalMs}).`,
    attemptTimeoutMs: `One attempt's timeout, in milliseconds. Default \`timeouts.read_ms\` (${to.readMs}).`,
  },
  timeouts: {
    connectMs: `Connection setup, in milliseconds (Node). Default ${to.connectMs}.`,
    readMs: `One attempt, request to full response, in milliseconds. Default ${to.readMs}.`,
    totalMs: `The whole call, retries included, in milliseconds. Default ${to.totalMs}.`,
  },
  fieldMapping: {
    servicenow: 'ServiceNow field rules by ticket type.',
    jira: 'Jira field rules by ticket type.',
  },
  'fieldMapping.servicenow': {
    incident: 'Field rules of incidents, by SDK field name (camelCase); wire names default to their snake_case.',
    changeRequest: 'Field rules of change requests, by SDK field name (camelCase); wire names default to their snake_case.',
  },
  'fieldMapping.jira': {
    issue: 'Field rules of issues, by SDK field name; wire names default to the name itself.',
  },
  FieldRule: {
    wire: 'The wire name, or a dotted path for nested wire shapes (`project.key`).',
    required: 'The field must be present (not missing or null). Default false.',
    type: 'The type the value must have. Default `string`.',
    minLength: 'Fewest characters (strings) or items (arrays).',
    maxLength: 'Most characters (strings) or items (arrays).',
    enum: 'Allowed values (for arrays: allowed items).',
    pattern: 'A regular expression (Unicode mode) strings must match (for arrays: each item); refused at load if it can backtrack catastrophically.',
    allowEmpty: "Whether '', a whitespace-only string or [] is accepted. Default: true unless `required`.",
    custom: 'Names of custom checks, given to the validator in code (`checks`).',
    wireValues: 'Maps values to wire values (`{ "high": "1" }`); values not listed pass unchanged.',
    itemWire: 'For arrays of strings: wraps each item as `{ [item_wire]: item }` on the wire.',
    description: 'What the field is, for people and generated docs.',
  },
  'templates.*': {
    platform: '`servicenow` or `jira`.',
    ticketType: 'ServiceNow: `incident` or `change_request`; Jira: `issue`.',
    description: 'What the template is for.',
    variables: 'Declared variables by (dotted) path; referenced but undeclared ones are required.',
    fields: 'The ticket payload by SDK field name; strings may hold `{variable}` placeholders (`{{` and `}}` for literal braces).',
  },
  'templates.*.variables.*': {
    type: 'The type the value must have (`any` skips the check). Default `string`.',
    required: 'Default true, or false when a `default` is given.',
    default: 'Used when the variable is missing or null.',
    description: 'What the variable is.',
  },
  classification: {
    rules: 'Rules tried in order: category plus keywords or error codes give a topic and resources.',
    categoryDefaults: 'The topic of a category when none of its rules match.',
    fallback: `The topic when nothing matches. Default "${fallbackTopic}" with no resources.`,
  },
  'classification.rules[]': {
    id: 'Unique; named in the classification\'s explanation.',
    category: 'The request category the rule applies to; omit for every category.',
    topic: 'The topic a match gives.',
    matchKeywords: 'Words or phrases matched as whole words in the descriptions, case-insensitively.',
    matchErrorCodes: "Error codes matched exactly (case-insensitively) against the request's error code.",
    recommendedResources: 'Self-service resources recommended with the topic.',
  },
  'classification.categoryDefaults[]': {
    category: 'The request category.',
    topic: 'Its topic when none of its rules match.',
    recommendedResources: 'Self-service resources recommended with the topic.',
  },
  'classification.fallback': {
    topic: 'The topic when nothing matches.',
    recommendedResources: 'Self-service resources recommended with it.',
  },
  RecommendedResource: {
    type: '`doc` or `video`.',
    label: 'The text shown for the link.',
    url: 'An absolute URL.',
  },
};

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adds the loader's aliases of one object (seconds where it scales), described from their targets. */
function addAliases(node: Node, aliases: Readonly<Record<string, { readonly to: string; readonly scale?: number }>>): void {
  const properties = node['properties'] as Record<string, Node>;
  for (const [alias, { to: target, scale }] of Object.entries(aliases)) {
    const of = properties[target];
    if (!of) throw new Error(`alias ${alias} names an unknown key ${target}`);
    // Bounds of 0 hold in either unit.
    const description = scale === undefined ? `Same as \`${camelToSnake(target)}\`.` : `\`${camelToSnake(target)}\` in seconds (${scale} ms each).`;
    properties[alias] = { ...of, description };
  }
}

/**
 * Describes every key of strict objects (failing on one without a
 * description) and adds its snake_case spelling; a required key with two
 * spellings requires either.
 */
function walk(node: unknown, name: string, seen: Set<unknown>): void {
  if (!isNode(node) || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node['anyOf'])) node['anyOf'] = node['anyOf'].filter((n) => !isNode(n) || Object.keys(n).length > 0);
  if (node['additionalProperties'] === false && isNode(node['properties'])) {
    const properties = node['properties'] as Record<string, Node>;
    const docs = DOCS[name] ?? {};
    for (const key of Object.keys(properties)) {
      const doc = docs[key];
      const schema = properties[key] as Node;
      if (schema['description'] === undefined) {
        if (doc === undefined) throw new Error(`no description for "${key}" of ${name || 'the root'}`);
        schema['description'] = doc;
      }
      walk(schema, name ? `${name}.${key}` : key, seen);
    }
    const required = new Set((node['required'] as string[] | undefined) ?? []);
    const either: Node[] = [];
    const both: [string, Node][] = [];
    for (const [key, schema] of Object.entries(properties)) {
      both.push([key, schema]);
      const snake = camelToSnake(key);
      if (snake === key) continue;
      both.push([snake, schema]);
      if (required.delete(key)) either.push({ anyOf: [{ required: [key] }, { required: [snake] }] });
    }
    node['properties'] = Object.fromEntries(both);
    if (required.size) node['required'] = [...required];
    else delete node['required'];
    if (either.length) node['allOf'] = either;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' || key === '$defs') continue;
    if (key === 'additionalProperties') walk(child, `${name}.*`, seen);
    else if (key === 'items') walk(child, `${name}[]`, seen);
    else if (Array.isArray(child)) for (const c of child) walk(c, name, seen);
  }
}

/** The JSON Schema of the ITSM config file, as committed in schema/itsm-config.schema.json. */
export function buildItsmConfigJsonSchema(): Node {
  const { sections, fieldRule } = configSchemas();
  // Every section is optional; the loader checks retry values with the core policy's schema, so the schema shows those.
  const optional = Object.fromEntries(Object.entries(sections).map(([key, section]) => [key, z.optional(section)]));
  const root = z.strictObject({ ...optional, retryPolicy: z.optional(RETRY_POLICY_OPTIONS_SCHEMA) });
  const shape = (s: unknown) => (s as { def: { out: { def: { shape: Record<string, { def: Node }> } } } }).def.out.def.shape;
  const fallback = shape(sections.classification)['fallback']?.def['innerType'];
  const resource = (shape(fallback)['recommendedResources']?.def['element']) as z.core.$ZodType;
  const ids = z.registry<{ id: string }>();
  ids.add(fieldRule, { id: 'FieldRule' });
  ids.add(resource, { id: 'RecommendedResource' });
  ids.add((sections.validation.def as unknown as { valueType: z.core.$ZodType }).valueType, { id: 'JsonValue' });
  const generated = z.toJSONSchema(root, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12', metadata: ids }) as Node;

  const properties = generated['properties'] as Record<string, Node>;
  Object.assign(generated, { properties: { $schema: { type: 'string' }, ...properties } });
  const template = (properties['templates'] as Node)['additionalProperties'] as Node;
  const ticketType = (template['properties'] as Record<string, Node>)['ticketType'] as Node;
  ticketType['enum'] = [...(ticketType['enum'] as string[]), 'change_request'];
  addAliases(properties['retryPolicy'] as Node, KEY_ALIASES['retryPolicy'] ?? {});
  addAliases(properties['timeouts'] as Node, KEY_ALIASES['timeouts'] ?? {});
  // `timeout` is the file's name of the section; added after the walk so it is not described twice.
  const seen = new Set<unknown>();
  walk(generated, '', seen);
  for (const [def, schema] of Object.entries(generated['$defs'] as Record<string, Node>)) walk(schema, def, seen);
  (generated['properties'] as Record<string, Node>)['timeout'] = { $ref: '#/properties/timeouts', description: 'Same as `timeouts` (the short keys are seconds in either).' };

  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: ITSM_CONFIG_SCHEMA_ID,
    title: 'itsmkit ITSM config',
    description: 'Retry policy, timeouts, field mappings, templates and classification rules, merged over the built-in defaults. Keys in camelCase or snake_case. See docs/itsm-config.md.',
    ...rest,
  };
}

/** The schema file's text: two-space JSON with a final newline. */
export function itsmConfigJsonSchemaText(): string {
  return `${JSON.stringify(buildItsmConfigJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = itsmConfigJsonSchemaText();
  if (process.argv.includes('--check')) {
    const committed = await readFile(ITSM_CONFIG_SCHEMA_FILE, 'utf8').catch(() => '');
    if (committed !== text) {
      console.error('schema/itsm-config.schema.json is out of date: run npx tsx scripts/itsm-config-schema.ts');
      process.exit(1);
    }
  } else {
    await writeFile(ITSM_CONFIG_SCHEMA_FILE, text);
    console.log(`wrote ${ITSM_CONFIG_SCHEMA_FILE}`);
  }
}
