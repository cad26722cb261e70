import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ITSM_CONFIG_SCHEMA_FILE, ITSM_CONFIG_SCHEMA_ID, itsmConfigJsonSchemaText } from '../../scripts/itsm-config-schema.js';
import { isConfigError } from '../../src/core/errors.js';
import { parseItsmConfig } from '../../src/tickets/config.js';
import { DEFAULT_ITSM_CONFIG } from '../../src/tickets/default-config.js';

const committed = readFileSync(ITSM_CONFIG_SCHEMA_FILE, 'utf8');
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
formats.default(ajv);
const validate = ajv.compile(JSON.parse(committed));
const schemaErrors = (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/** The config as loaded, or the paths of its issues. */
function load(value: unknown): { ok: true } | { ok: false; fields: string[] } {
  try {
    parseItsmConfig(value);
    return { ok: true };
  } catch (e) {
    if (!isConfigError(e)) throw e;
    return { ok: false, fields: e.issues.map((i) => i.field) };
  }
}

const resources = [{ type: 'doc', label: 'Help', url: 'https://example.com/help' }];

/** Every key the loader reads, in snake_case (and the file's own names). */
const everyKeySnake = {
  $schema: ITSM_CONFIG_SCHEMA_ID,
  retry_policy: { max_retries: 2, backoff_multiplier: 3, initial_delay: 0.5, max_delay: 20, jitter: 'none', retryable_status_codes: [429, 503], retry_network_errors: false, retry_refused: false, total_budget_ms: 40_000, attempt_timeout_ms: 9000 },
  timeout: { connect_timeout: 4, read_timeout: 9, total_timeout: 40 },
  field_mapping: {
    servicenow: {
      incident: { short_description: { required: true, type: 'string', min_length: 1, max_length: 80, pattern: '^[^<>]*$', allow_empty: false, custom: ['no-shouting'], description: 'Summary' }, urgency: { enum: ['high', 'low'], wire_values: { high: '1', low: '3' } } },
      change_request: { short_description: { required: true } },
    },
    jira: { issue: { project_key: { wire: 'project.key', required: true }, components: { type: 'array', item_wire: 'name', custom: 'known-component' } } },
  },
  templates: {
    outage: { platform: 'servicenow', ticket_type: 'incident', description: 'Outage', variables: { site: { type: 'string', required: true, description: 'Site' }, level: { type: 'any', default: 'high' } }, fields: { short_description: 'Down at {site}', urgency: '{level}' } },
    change: { platform: 'servicenow', ticket_type: 'change_request', fields: { short_description: 'Change' } },
  },
  classification: {
    rules: [{ id: 'vpn', category: 'Network', topic: 'VPN', match_keywords: ['vpn'], match_error_codes: ['809'], recommended_resources: resources }],
    category_defaults: [{ category: 'Network', topic: 'Network Help', recommended_resources: resources }],
    fallback: { topic: 'Manual Review', recommended_resources: [] },
  },
  validation: { required_fields: ['short_description'] },
};

/** The same config in camelCase, milliseconds throughout. */
const everyKeyCamel = {
  retryPolicy: { retries: 2, factor: 3, minDelayMs: 500, maxDelayMs: 20_000, jitter: 'none', retryOnStatus: [429, 503], retryNetworkErrors: false, retryRefused: false, totalBudgetMs: 40_000, attemptTimeoutMs: 9000 },
  timeouts: { connectMs: 4000, readMs: 9000, totalMs: 40_000 },
  fieldMapping: {
    servicenow: {
      incident: { short_description: { required: true, type: 'string', minLength: 1, maxLength: 80, pattern: '^[^<>]*$', allowEmpty: false, custom: ['no-shouting'], description: 'Summary' }, urgency: { enum: ['high', 'low'], wireValues: { high: '1', low: '3' } } },
      changeRequest: { short_description: { required: true } },
    },
    jira: { issue: { project_key: { wire: 'project.key', required: true }, components: { type: 'array', itemWire: 'name', custom: 'known-component' } } },
  },
  templates: {
    outage: { platform: 'servicenow', ticketType: 'incident', description: 'Outage', variables: { site: { type: 'string', required: true, description: 'Site' }, level: { type: 'any', default: 'high' } }, fields: { short_description: 'Down at {site}', urgency: '{level}' } },
    change: { platform: 'servicenow', ticketType: 'changeRequest', fields: { short_description: 'Change' } },
  },
  classification: {
    rules: [{ id: 'vpn', category: 'Network', topic: 'VPN', matchKeywords: ['vpn'], matchErrorCodes: ['809'], recommendedResources: resources }],
    categoryDefaults: [{ category: 'Network', topic: 'Network Help', recommendedResources: resources }],
    fallback: { topic: 'Manual Review', recommendedResources: [] },
  },
  validation: { required_fields: ['short_description'] },
};

/** The JSON blocks of docs/itsm-config.md. */
const docExamples = [...readFileSync(new URL('../../docs/itsm-config.md', import.meta.url), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? '') as unknown);

describe('schema/itsm-config.schema.json', () => {
  it('is what scripts/itsm-config-schema.ts generates from the loader (run it after changing the config schema)', () => {
    expect(committed).toBe(itsmConfigJsonSchemaText());
  });

  it('has a stable $id and follows draft 2020-12', () => {
    const schema = JSON.parse(committed) as Record<string, unknown>;
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://unpkg.com/itsmkit/schema/itsm-config.schema.json' });
  });

  it('accepts every key the loader reads, snake_case and camelCase, and both load to the same config', () => {
    expect(schemaErrors(everyKeySnake)).toEqual([]);
    expect(schemaErrors(everyKeyCamel)).toEqual([]);
    const fromSnake = parseItsmConfig(everyKeySnake);
    expect(fromSnake).toEqual(parseItsmConfig(everyKeyCamel));
    expect(fromSnake.retryPolicy).toMatchObject({ minDelayMs: 500, maxDelayMs: 20_000 });
    expect(fromSnake.timeouts).toEqual({ connectMs: 4000, readMs: 9000, totalMs: 40_000 });
  });

  it('accepts the default config, as the loader does', () => {
    const defaults = JSON.parse(JSON.stringify(DEFAULT_ITSM_CONFIG)) as unknown;
    expect(schemaErrors(defaults)).toEqual([]);
    expect(load(defaults)).toEqual({ ok: true });
  });

  it('accepts every example of docs/itsm-config.md and examples/itsm_config.json, and so does the loader', () => {
    expect(docExamples.length).toBeGreaterThanOrEqual(2);
    const exampleFile = JSON.parse(readFileSync(new URL('../../examples/itsm_config.json', import.meta.url), 'utf8')) as unknown;
    for (const example of [...docExamples, exampleFile]) {
      expect(schemaErrors(example)).toEqual([]);
      expect(load(example)).toEqual({ ok: true });
    }
  });

  it('refuses what the loader refuses: unknown keys, wrong types, out-of-range values, a missing required key', () => {
    const bad: unknown[] = [
      { retry_policy: { max_retrys: 3 } },
      { retryPolicy: { retries: 'three' } },
      { retryPolicy: { factor: 11 } },
      { retry_policy: { retryable_status_codes: [200] } },
      { timeout: { read: 0 } },
      { timeouts: { readMs: -1 } },
      { field_mapping: { servicenow: { problem: {} } } },
      { field_mapping: { jira: { issue: { summary: { type: 'text' } } } } },
      { templates: { t: { platform: 'jira', fields: {} } } },
      { templates: { t: { platform: 'zendesk', ticket_type: 'issue', fields: {} } } },
      { classification: { fallback: { topic: 'x', recommended_resources: [{ type: 'pdf', label: 'x', url: 'https://example.com' }] } } },
      { classification: { rules: [{ id: 'x', topic: 'y', match_keywords: ['z'], recommended_resources: [{ type: 'doc', label: 'x', url: 'not a url' }] }] } },
      { $schema: 3 },
      { validation: [] },
      { colour: 'blue' },
    ];
    for (const value of bad) {
      expect(schemaErrors(value), JSON.stringify(value)).not.toEqual([]);
      expect(load(value), JSON.stringify(value)).toMatchObject({ ok: false });
    }
  });

  it('describes every key, with its unit where the file uses seconds', () => {
    const schema = JSON.parse(committed) as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
    const timeouts = schema.properties['timeouts']?.properties ?? {};
    expect(timeouts['read']?.description).toBe('`read_ms` in seconds (1000 ms each).');
    expect(timeouts['read_ms']?.description).toBe('One attempt, request to full response, in milliseconds. Default 30000.');
    expect(schema.properties['retry_policy']?.properties?.['initial_delay']?.description).toBe('`min_delay_ms` in seconds (1000 ms each).');
    const undescribed: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
      for (const [key, child] of Object.entries(properties ?? {})) if (!child.description) undescribed.push(`${path}.${key}`);
      for (const [key, child] of Object.entries(node)) visit(child, `${path}.${key}`);
    };
    visit(schema, '');
    expect(undescribed).toEqual([]);
  });
});
