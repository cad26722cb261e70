/**
 * Type tests of the public API (checked by `tsc --noEmit`, which covers test/):
 * fields every read returns are required, one naming rule for pages and
 * iteration on every platform, and inputs typed where the shape is known.
 * The runtime halves check that what the types refuse is refused at run time too.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defineTable,
  isConfigError,
  loadItsmConfig,
  parseItsmConfig,
  TASK_FIELDS,
  type ChangeRequest,
  type ChangeTask,
  type CreatedIssue,
  type DataSourceConnection,
  type Incident,
  type ItsmConfig,
  type JiraClient,
  type JiraIssue,
  type JiraSearchOptions,
  type JiraSearchPageOptions,
  type Page,
  type Problem,
  type RecordOf,
  type RequestedItem,
  type SearchPage,
  type ServiceNowClient,
  type SupportCounter,
  type SupportRequest,
  type TableRecord,
  type TicketResult,
  type TicketResultOf,
  type TicketService,
  type TicketServiceOptions,
} from '../../src/index.js';

type Incidents = ServiceNowClient['incidents'];
type Issues = JiraClient['issues'];

describe('returned records: fields every read returns are required', () => {
  it('ServiceNow records of numbered tables always have sysId and number', () => {
    type CreatedIncident = Awaited<ReturnType<Incidents['create']>>;
    expectTypeOf<CreatedIncident['number']>().toEqualTypeOf<string>();
    expectTypeOf<CreatedIncident['sysId']>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<Incidents['get']>>['number']>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<Incidents['update']>>['number']>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<Incidents['search']>>['records'][number]['number']>().toEqualTypeOf<string>();
    for (const numbered of [{} as Incident, {} as Problem, {} as ChangeRequest, {} as ChangeTask, {} as RequestedItem]) {
      expectTypeOf(numbered.number).toEqualTypeOf<string>();
    }
    // Other columns stay optional: `fields` may leave them out.
    expectTypeOf<Incident['shortDescription']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<TableRecord['sysId']>().toEqualTypeOf<string>();
  });

  it('a table declared without numbers keeps a `number` column optional; one declared with them makes it required', () => {
    const plain = defineTable({ table: 'u_plain', label: 'plain', base: TASK_FIELDS, fields: {} });
    const numbered = defineTable({ table: 'u_numbered', label: 'numbered', number: { prefix: 'NUM', start: 1 }, base: TASK_FIELDS, fields: {} });
    expectTypeOf<RecordOf<typeof plain>['number']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RecordOf<typeof numbered>['number']>().toEqualTypeOf<string>();
    expect(numbered.identity).toEqual(['sys_id', 'number']);
    expect(plain.identity).toEqual(['sys_id']);
  });

  it('Jira issues, created issues, connections and ticket results have their ids', () => {
    expectTypeOf<JiraIssue['id']>().toEqualTypeOf<string>();
    expectTypeOf<JiraIssue['key']>().toEqualTypeOf<string>();
    expectTypeOf<CreatedIssue['key']>().toEqualTypeOf<string>();
    expectTypeOf<DataSourceConnection['id']>().toEqualTypeOf<string>();
    expectTypeOf<TicketResultOf<'servicenow'>['number']>().toEqualTypeOf<string>();
    expectTypeOf<TicketResultOf<'jira'>['key']>().toEqualTypeOf<string>();
    expectTypeOf((service: TicketService) => service.create({ platform: 'servicenow', payload: {} })).returns.toEqualTypeOf<Promise<TicketResultOf<'servicenow'>>>();
    expectTypeOf((service: TicketService) => service.create({ platform: 'jira', payload: {} })).returns.toEqualTypeOf<Promise<TicketResultOf<'jira'>>>();
    const result = {} as TicketResult;
    if (result.platform === 'jira') expectTypeOf(result.key).toEqualTypeOf<string>();
    else expectTypeOf(result.number).toEqualTypeOf<string>();
  });
});

describe('one naming rule: search and list read one page, iterate reads every page', () => {
  it('ServiceNow', () => {
    expectTypeOf<ReturnType<Incidents['search']>>().toEqualTypeOf<Promise<Page<Incident>>>();
    expectTypeOf<ReturnType<Incidents['iterate']>>().toExtend<AsyncIterable<Incident>>();
    expectTypeOf<ReturnType<ServiceNowClient['problems']['search']>>().toEqualTypeOf<Promise<Page<Problem>>>();
    expectTypeOf<ReturnType<ReturnType<ServiceNowClient['table']>['list']>>().toEqualTypeOf<Promise<Page<TableRecord>>>();
    expectTypeOf<ReturnType<ReturnType<ServiceNowClient['table']>['iterate']>>().toExtend<AsyncIterable<TableRecord>>();
    expectTypeOf<Page<Incident>['nextOffset']>().toEqualTypeOf<number | undefined>();
  });

  it('Jira', () => {
    expectTypeOf<ReturnType<Issues['search']>>().toEqualTypeOf<Promise<SearchPage>>();
    expectTypeOf<ReturnType<Issues['iterate']>>().toExtend<AsyncIterable<JiraIssue>>();
    expectTypeOf<SearchPage['nextCursor']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<JiraSearchPageOptions['cursor']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<JiraSearchOptions>().not.toHaveProperty('cursor');
    expectTypeOf<JiraSearchOptions['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Issues>().not.toHaveProperty('searchPages');
  });
});

describe('inputs typed where the shape is known', () => {
  it('loadItsmConfig checks keys at compile time (either case), and still at run time', () => {
    expectTypeOf(loadItsmConfig({ retry_policy: { max_retries: 3 }, timeouts: { readMs: 15_000 } })).toEqualTypeOf<ItsmConfig>();
    expectTypeOf(loadItsmConfig('{"retry_policy":{"retries":3}}')).toEqualTypeOf<ItsmConfig>();
    // @ts-expect-error a misspelled section
    expect(() => loadItsmConfig({ retry_polcy: { retries: 3 } })).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    // @ts-expect-error a misspelled key inside a section
    expect(() => loadItsmConfig({ retryPolicy: { retires: 3 } })).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    // @ts-expect-error a value of the wrong type
    expect(() => loadItsmConfig({ timeouts: { readMs: '15s' } })).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    const parsed: unknown = JSON.parse('{"retry_polcy":{}}');
    // @ts-expect-error a value of unknown shape goes through parseItsmConfig
    expect(() => loadItsmConfig(parsed)).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    let caught: unknown;
    try {
      parseItsmConfig(parsed);
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught) && caught.issues[0]?.field).toBe('retry_polcy');
  });

  it("TicketService's config and SupportCounter's request are typed", () => {
    type ConfigOption = NonNullable<TicketServiceOptions['config']>;
    // @ts-expect-error a misspelled section
    const misspelled: ConfigOption = { retry_polcy: {} };
    const snake: ConfigOption = { retry_policy: { max_retries: 2 }, field_mapping: { servicenow: { incident: { short_description: { required: true } } } } };
    expect([misspelled, snake]).toHaveLength(2);
    expectTypeOf<Parameters<SupportCounter['createSupportIncident']>[0]>().toEqualTypeOf<SupportRequest>();
    // @ts-expect-error not one of the priorities
    const urgent: SupportRequest = { client: 'Northwind', category: 'Network', shortDescription: 'VPN down', priority: 'Urgent' };
    expect(urgent.priority).toBe('Urgent');
  });
});
