import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError, type ConfigError } from '../../src/core/errors.js';
import { RetryPolicy } from '../../src/core/retry-policy.js';
import { clientOptions, compilePayloadValidators, loadItsmConfig, parseItsmConfig, retryPolicyOptions } from '../../src/tickets/config.js';
import { loadItsmConfigFile } from '../../src/tickets/config-file.js';
import { DEFAULT_ITSM_CONFIG } from '../../src/tickets/default-config.js';
import { TemplateRegistry } from '../../src/tickets/template-registry.js';

function configError(input: unknown): ConfigError {
  try {
    parseItsmConfig(input);
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error('loaded');
}

/** A config file in snake_case, times in seconds. */
const fileStyle = {
  retry_policy: { max_retries: 3, backoff_multiplier: 2, initial_delay: 1, max_delay: 30, retryable_status_codes: [429, 500, 502, 503, 504] },
  timeout: { connect: 5, read: 20, total: 45 },
  field_mapping: {
    servicenow: {
      incident: {
        short_description: { required: true, max_length: 120 },
        urgency: { enum: ['1', '2', '3'] },
        u_client: { max_length: 100 },
      },
    },
  },
  templates: {
    servicenow_basic: {
      platform: 'servicenow',
      ticket_type: 'incident',
      variables: { title: { type: 'string' } },
      fields: { short_description: 'x' },
    },
  },
  classification: {
    rules: [{ id: 'r1', category: 'VPN', topic: 'VPN', match_keywords: ['vpn'], recommended_resources: [] }],
  },
};

describe('loadItsmConfig', () => {
  it('validates the default config, with at least 20 rules per platform and the four templates', () => {
    const config = loadItsmConfig(DEFAULT_ITSM_CONFIG);
    expect(config).toEqual(DEFAULT_ITSM_CONFIG);
    const { servicenow, jira } = config.fieldMapping;
    expect(Object.keys(servicenow.incident).length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(servicenow.changeRequest).length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(jira.issue).length).toBeGreaterThanOrEqual(20);
    const templates = Object.values(config.templates);
    expect(templates.filter((t) => t.platform === 'servicenow')).toHaveLength(2);
    expect(templates.filter((t) => t.platform === 'jira')).toHaveLength(2);
    expect(() => compilePayloadValidators(config)).not.toThrow();
    expect(() => new TemplateRegistry(config.templates)).not.toThrow();
    expect(loadItsmConfig({})).toEqual(DEFAULT_ITSM_CONFIG);
  });

  it('has the default timeouts and feeds them to the retry policy', () => {
    expect(DEFAULT_ITSM_CONFIG.timeouts).toEqual({ connectMs: 10_000, readMs: 30_000, totalMs: 60_000 });
    const options = retryPolicyOptions(DEFAULT_ITSM_CONFIG);
    expect(options).toMatchObject({ attemptTimeoutMs: 30_000, totalBudgetMs: 60_000 });
    expect(RetryPolicy.from(options).totalBudgetMs).toBe(60_000);
  });

  it('accepts snake_case keys and the short names, converting seconds to ms', () => {
    const config = parseItsmConfig(fileStyle);
    expect(config.retryPolicy).toEqual({ retries: 3, factor: 2, minDelayMs: 1000, maxDelayMs: 30_000, retryOnStatus: [429, 500, 502, 503, 504] });
    expect(config.timeouts).toEqual({ connectMs: 5000, readMs: 20_000, totalMs: 45_000 });
    expect(retryPolicyOptions(config)).toMatchObject({ attemptTimeoutMs: 20_000, totalBudgetMs: 45_000 });
    // The connect timeout reaches the Node transport through clientOptions.
    expect(clientOptions(config)).toEqual({ retry: retryPolicyOptions(config), http: { connectTimeoutMs: 5000 } });
    expect(clientOptions(DEFAULT_ITSM_CONFIG).http).toEqual({ connectTimeoutMs: 10_000 });
    expect(config.fieldMapping.servicenow.incident).toEqual({
      short_description: { required: true, maxLength: 120 },
      urgency: { enum: ['1', '2', '3'] },
      u_client: { maxLength: 100 },
    });
    // Other ticket types keep their defaults; templates merge by name.
    expect(config.fieldMapping.jira).toEqual(DEFAULT_ITSM_CONFIG.fieldMapping.jira);
    expect(config.templates['servicenow_basic']?.ticketType).toBe('incident');
    expect(Object.keys(config.templates)).toHaveLength(5);
    expect(config.classification.rules).toEqual([{ id: 'r1', category: 'VPN', topic: 'VPN', matchKeywords: ['vpn'], recommendedResources: [] }]);
    expect(config.classification.fallback.topic).toBe('Unclassified / Manual Review');

    const validator = compilePayloadValidators(config).get('servicenow', 'incident');
    expect(validator.validate({ shortDescription: 'x', urgency: '1', uClient: 'A' })).toEqual({
      ok: true,
      value: { short_description: 'x', urgency: '1', u_client: 'A' },
      issues: [],
    });
  });

  it("loads the original file's top-level validation section as it is, kept on config.validation and not interpreted", () => {
    const withValidation = { ...fileStyle, validation: { enabled: true, strict_mode: false, max_payload_kb: 64, rules: ['required'] } };
    const config = loadItsmConfig(JSON.stringify(withValidation));
    expect(config.validation).toEqual({ enabled: true, strict_mode: false, max_payload_kb: 64, rules: ['required'] });
    expect(parseItsmConfig(fileStyle).validation).toEqual({});
    expect(() => parseItsmConfig({ validation: 'strict' })).toThrow(/validation/);
  });

  it('refuses a config nested deeper than 64 levels with a ConfigError naming the path, as an object or as JSON text', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 2_000; i++) deep = { a: deep };
    const config = { templates: { t: { platform: 'servicenow', ticket_type: 'incident', fields: { short_description: deep } } } };
    for (const input of [config, JSON.stringify(config)]) {
      const error = (() => {
        try {
          parseItsmConfig(input);
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(isConfigError(error)).toBe(true);
      expect(error.issues[0]).toMatchObject({ rule: 'depth', message: 'nests deeper than 64 levels' });
      expect(error.issues[0]?.field.startsWith('templates.t.fields.short_description.a.a')).toBe(true);
    }
  });

  it('accepts the same config as JSON text and in camelCase', () => {
    expect(parseItsmConfig(JSON.stringify(fileStyle))).toEqual(parseItsmConfig(fileStyle));
    const camel = loadItsmConfig({
      retryPolicy: { retries: 3, factor: 2, minDelayMs: 1000, maxDelayMs: 30_000, retryOnStatus: [429, 500, 502, 503, 504] },
      timeouts: { connectMs: 5000, readMs: 20_000, totalMs: 45_000 },
    });
    expect(camel.retryPolicy).toEqual(parseItsmConfig(fileStyle).retryPolicy);
    expect(camel.timeouts).toEqual(parseItsmConfig(fileStyle).timeouts);
  });

  it('reports a typo with its path as written', () => {
    expect(configError({ retry_policy: { max_retires: 3 } }).issues).toEqual([
      { field: 'retry_policy.max_retires', rule: 'unknown_key', message: 'unknown key "max_retires"' },
    ]);
    expect(configError({ retryPolicy: { retires: 3 } }).issues).toEqual([
      { field: 'retryPolicy.retires', rule: 'unknown_key', message: 'unknown key "retires"' },
    ]);
  });

  it('reports two typos in one section as two issues, each field one path', () => {
    expect(configError({ timeouts: { conect: 1, raed: 2 } }).issues).toEqual([
      { field: 'timeouts.conect', rule: 'unknown_key', message: 'unknown key "conect"' },
      { field: 'timeouts.raed', rule: 'unknown_key', message: 'unknown key "raed"' },
    ]);
  });

  it('reports every bad key at once, each with its path', () => {
    const err = configError({
      retry_policy: { max_retires: 3, backoff_multiplier: 0 },
      timeout: { connect: -1 },
      field_mapping: {
        servicenow: {
          incident: {
            short_description: { required: 'yes', max_lenght: 3 },
            correlation_id: { pattern: '(a+)+' },
            description: { min_length: 9, max_length: 2 },
          },
          problem: {},
        },
        jra: {},
      },
      templates: {
        bad: { platform: 'jira', ticket_type: 'incident', fields: {} },
        broken: { platform: 'servicenow', ticketType: 'incident', fields: { shortDescription: 'Hi {name', nope: 'x', urgency: '{__proto__.x}' } },
        typo: { platform: 'servicenow', ticketType: 'incident', feilds: {} },
      },
      classification: { rules: [{ id: 'a', topic: 't', recommendedResources: [{ type: 'pdf', label: 'x', url: 'not a url' }] }] },
      templatez: {},
    });
    expect(err.message).toMatch(/^Invalid ITSM config: /);
    expect(err.issues.map((i) => `${i.field} ${i.rule}`)).toEqual([
      'retry_policy.max_retires unknown_key',
      'timeout.connect too_small',
      'field_mapping.servicenow.incident.short_description.required invalid_type',
      'field_mapping.servicenow.incident.short_description.max_lenght unknown_key',
      'field_mapping.servicenow.problem unknown_key',
      'field_mapping.jra unknown_key',
      'templates.typo.fields invalid_type',
      'templates.typo.feilds unknown_key',
      'classification.rules.0.recommendedResources.0.type invalid_value',
      'classification.rules.0.recommendedResources.0.url invalid_format',
      'templatez unknown_key',
      'retry_policy.backoff_multiplier too_small',
      'field_mapping.servicenow.incident.correlation_id.pattern pattern',
      'field_mapping.servicenow.incident.description.min_length range',
      'templates.bad.ticket_type enum',
      'templates.broken.fields.shortDescription placeholder',
      'templates.broken.fields.urgency forbidden',
      'templates.broken.fields.nope unknown',
    ]);
  });

  it('reports semantic problems of a config that parses', () => {
    const err = configError({
      classification: {
        rules: [
          { id: 'a', topic: 't', matchKeywords: ['x'], recommendedResources: [] },
          { id: 'a', topic: 't', recommendedResources: [] },
        ],
      },
      retryPolicy: { minDelayMs: 5000, maxDelayMs: 100 },
    });
    expect(err.issues).toEqual([
      { field: 'retryPolicy.minDelayMs', rule: 'range', message: 'must not be greater than retry.maxDelayMs' },
      { field: 'classification.rules.1.id', rule: 'duplicate', message: '"a" is also the id of rule 0' },
      { field: 'classification.rules.1', rule: 'required', message: 'needs matchKeywords or matchErrorCodes (use categoryDefaults for a default topic)' },
    ]);
  });

  it('refuses input that is not an object or not JSON', () => {
    expect(configError('{ nope').issues).toEqual([{ field: '(root)', rule: 'json', message: expect.any(String) }]);
    // The parser's message can quote the text around the error (a secret in a config file): only the position is said.
    const secret = 'canary-9f1c-in-config';
    expect(JSON.stringify(configError(`{"token": "${secret}" oops}`))).not.toContain(secret);
    expect(configError(`{"token": "${secret}" oops}`).issues[0]?.message).toMatch(/^The ITSM config is not valid JSON \(at character \d+\)$/);
    expect(configError([]).issues).toEqual([{ field: '(root)', rule: 'type', message: 'must be an object or JSON text of one' }]);
    expect(configError('3').issues[0]?.rule).toBe('type');
  });

  it('reports both spellings of one key', () => {
    expect(configError({ retryPolicy: {}, retry_policy: {} }).issues).toEqual([
      { field: 'retry_policy', rule: 'unknown_key', message: 'unknown key "retry_policy"' },
    ]);
  });
});

describe('compilePayloadValidators', () => {
  const validators = compilePayloadValidators(DEFAULT_ITSM_CONFIG);

  it('names an unknown platform or ticket type', () => {
    expect(() => validators.get('zendesk', 'ticket')).toThrow(/Unknown platform "zendesk"/);
    expect(() => validators.get('jira', 'incident')).toThrow(/Unknown jira ticket type "incident"/);
    try {
      validators.get('zendesk', 'ticket');
    } catch (e) {
      expect((e as ConfigError).issues).toEqual([{ field: 'platform', rule: 'enum', message: 'must be one of: servicenow, jira' }]);
    }
  });

  it('validates support incidents with the default ServiceNow mapping', () => {
    const result = validators.get('servicenow', 'incident').validate({
      shortDescription: 'Cannot log into Google Workspace account',
      description: 'User reports being unable to access their account after password reset.\n\nError Code: 500\n\nClient: Archer Insurance',
      urgency: 'high',
      impact: 'high',
      category: 'Google Workspace – Account Access',
      client: 'Archer Insurance',
      source: 'BBP Support Counter',
      contactType: 'self-service',
      clientEmail: 'user@archerinsurance.com',
    });
    expect(result.value).toEqual({
      short_description: 'Cannot log into Google Workspace account',
      description: 'User reports being unable to access their account after password reset.\n\nError Code: 500\n\nClient: Archer Insurance',
      urgency: '1',
      impact: '1',
      category: 'Google Workspace – Account Access',
      u_client: 'Archer Insurance',
      u_source: 'BBP Support Counter',
      contact_type: 'self-service',
      u_client_email: 'user@archerinsurance.com',
    });
  });

  it('builds the Jira fields shape with the default Jira mapping', () => {
    const value = validators.get('jira', 'issue').assertValid({
      projectKey: 'OPS',
      issueType: 'Bug',
      summary: 'Nightly failed',
      priority: 'High',
      components: ['API'],
      fixVersions: ['1.2'],
      affectsVersions: ['1.1'],
      assigneeAccountId: '5b10a2844c20165700ede21g',
      dueDate: '2025-10-12',
      parent: 'OPS-1',
      originalEstimate: '2d 4h',
    });
    expect(value).toEqual({
      project: { key: 'OPS' },
      issuetype: { name: 'Bug' },
      summary: 'Nightly failed',
      priority: { name: 'High' },
      components: [{ name: 'API' }],
      fixVersions: [{ name: '1.2' }],
      versions: [{ name: '1.1' }],
      assignee: { id: '5b10a2844c20165700ede21g' },
      duedate: '2025-10-12',
      parent: { key: 'OPS-1' },
      timetracking: { originalEstimate: '2d 4h' },
    });
  });
});

describe('loadItsmConfigFile', () => {
  it('reads a JSON file and reports its problems like loadItsmConfig', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'itsmkit-'));
    const good = join(dir, 'itsm_config.json');
    await writeFile(good, JSON.stringify(fileStyle));
    expect((await loadItsmConfigFile(good)).retryPolicy.retries).toBe(3);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ retry_policy: { max_retires: 1 } }));
    await expect(loadItsmConfigFile(bad)).rejects.toMatchObject({ name: 'ConfigError', issues: [{ field: 'retry_policy.max_retires' }] });
  });
});

describe('regression (fuzz): config values that cannot be read', () => {
  it('a getter that throws is a ConfigError at its path', () => {
    const input = { templates: { t: { platform: 'jira', ticketType: 'issue', fields: Object.defineProperty({}, 'summary', { get: () => { throw new Error('trap'); }, enumerable: true }) } } };
    expect(() => parseItsmConfig(input)).toThrow(expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ field: 'templates.t.fields.summary', rule: 'unreadable' })] }));
  });

  it('a Proxy whose keys cannot be read is a ConfigError at its path', () => {
    const input = { retryPolicy: new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }) };
    expect(() => loadItsmConfig(input)).toThrow(expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ field: 'retryPolicy', rule: 'unreadable' })] }));
  });
});
