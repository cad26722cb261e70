import { describe, expect, expectTypeOf, it } from 'vitest';
import { isConfigError } from '../../src/core/errors.js';
import { defineItsmConfig, type ItsmConfigInput } from '../../src/tickets/config-input.js';
import { loadItsmConfig, parseItsmConfig } from '../../src/tickets/config.js';
import { SupportCounter } from '../../src/tickets/support-counter.js';
import { TicketService } from '../../src/tickets/ticket-service.js';
import { setup, unexpected } from './support.js';

const resources = [{ type: 'doc' as const, label: 'VPN help', url: 'https://intranet.example.com/vpn' }];

/** A config as an itsm_config.json file has it: snake_case, times in seconds. */
const snake = {
  retry_policy: { max_retries: 2, initial_delay: 0.25 },
  timeout: { read: 12 },
  classification: {
    rules: [{ id: 'vpn-tunnel', category: 'Network – VPN', topic: 'Tunnel Trouble', match_keywords: ['tunnel'], recommended_resources: resources }],
    category_defaults: [{ category: 'Network – VPN', topic: 'Network Desk', recommended_resources: resources }],
  },
} as const;

/** The same config in camelCase, milliseconds. */
const camel = {
  retryPolicy: { retries: 2, minDelayMs: 250 },
  timeouts: { readMs: 12_000 },
  classification: {
    rules: [{ id: 'vpn-tunnel', category: 'Network – VPN', topic: 'Tunnel Trouble', matchKeywords: ['tunnel'], recommendedResources: resources }],
    categoryDefaults: [{ category: 'Network – VPN', topic: 'Network Desk', recommendedResources: resources }],
  },
} as const;

describe('defineItsmConfig', () => {
  it('returns its argument, typed: either spelling compiles, a typo does not', () => {
    const snakeConfig = defineItsmConfig(snake);
    const camelConfig = defineItsmConfig(camel);
    expect(snakeConfig).toBe(snake);
    expect(camelConfig).toBe(camel);
    expectTypeOf(defineItsmConfig).returns.toEqualTypeOf<ItsmConfigInput>();
    defineItsmConfig({
      $schema: './node_modules/itsmkit/schema/itsm-config.schema.json',
      field_mapping: { servicenow: { change_request: { short_description: { required: true, max_length: 80 } } } },
      templates: { t: { platform: 'servicenow', ticket_type: 'change_request', fields: { short_description: 'x' } } },
    });
    // @ts-expect-error a misspelt key is a type error
    defineItsmConfig({ retry_policy: { max_retrys: 3 } });
    // @ts-expect-error seconds are numbers
    defineItsmConfig({ timeout: { read: '12' } });
  });
});

describe('loadItsmConfig', () => {
  it('loads the snake_case and the camelCase spelling to the same config', () => {
    const fromSnake = loadItsmConfig(snake);
    expect(fromSnake).toEqual(loadItsmConfig(camel));
    expect(fromSnake.retryPolicy).toMatchObject({ retries: 2, minDelayMs: 250 });
    expect(fromSnake.timeouts.readMs).toBe(12_000);
    // Anything else still compiles (parsed JSON) and is checked at run time.
    const parsed: unknown = JSON.parse('{"timeout": {"read": 12}}');
    expect(parseItsmConfig(parsed).timeouts.readMs).toBe(12_000);
  });

  it('reports two spellings of one key, in either order', () => {
    for (const retryPolicy of [{ retries: 2, max_retries: 3 }, { max_retries: 3, retries: 2 }, { minDelayMs: 1, min_delay_ms: 2 }]) {
      try {
        loadItsmConfig({ retryPolicy });
        unexpected();
      } catch (e) {
        if (!isConfigError(e)) throw e;
        expect(e.issues).toHaveLength(1);
        expect(e.issues[0]).toMatchObject({ rule: 'unknown_key', field: expect.stringMatching(/^retryPolicy\.(max_retries|min_delay_ms)$/) });
      }
    }
  });

  it('ignores a string $schema and refuses any other', () => {
    expect(loadItsmConfig({ $schema: 'https://unpkg.com/itsmkit/schema/itsm-config.schema.json' })).toEqual(loadItsmConfig({}));
    expect(() => loadItsmConfig(JSON.parse('{"$schema": 1}'))).toThrow('$schema: must be a string');
  });
});

describe('TicketService config', () => {
  it('takes snake_case and camelCase configs alike', () => {
    const fromSnake = new TicketService({ config: snake });
    const fromCamel = new TicketService({ config: camel });
    expect(fromSnake.config).toEqual(fromCamel.config);
    expect(fromSnake.config.timeouts.readMs).toBe(12_000);
    expect(fromSnake.config.classification.categoryDefaults[0]?.topic).toBe('Network Desk');
  });
});

describe('SupportCounter', () => {
  it('classifies with the rules of a snake_case or a camelCase config', async () => {
    for (const config of [snake, camel]) {
      const { tickets } = setup({ config });
      const support = new SupportCounter({ tickets });
      const ruled = await support.createSupportIncident({ client: 'Northwind', category: 'Network – VPN', shortDescription: 'The tunnel drops', priority: 'Low' });
      expect(ruled.classification).toMatchObject({ topic: 'Tunnel Trouble', ruleId: 'vpn-tunnel' });
      const defaulted = await support.createSupportIncident({ client: 'Northwind', category: 'Network – VPN', shortDescription: 'Slow network', priority: 'Low' });
      expect(defaulted.classification).toMatchObject({ topic: 'Network Desk', outcome: 'categoryDefault' });
    }
  });
});
