import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/core/keyed-create.js';
import { encodeSegment, path } from '../../src/core/path.js';
import { isSecretKey, redactHeaders, redactUrl, redactValue } from '../../src/core/redact.js';
import { canonicalId, isUuid } from '../../src/connections/ids.js';
import { credentialIssues } from '../../src/connections/credential-issues.js';
import { formatServerSentEvent } from '../../src/connections/event-stream.js';
import { fromWireConnection, fromWireDelegation, fromWireUpdate, parseDataSourcesError } from '../../src/connections/mapper.js';
import { parseConnectionPatch, parseConnectionUpdate, parseSyncInput, parseVerifyInput } from '../../src/connections/requests.js';
import { normaliseOptions } from '../../src/connections/status-message.js';
import { adfToText, assertAdf, validateAdf } from '../../src/jira/adf.js';
import { isBoundedJql, jql, jqlString, jqlValue } from '../../src/jira/jql.js';
import { parseJiraTime, publicFieldName } from '../../src/jira/mapper.js';
import { encodedQuery, type QueryOperator } from '../../src/servicenow/encoded-query.js';
import { INCIDENT_SCHEMA } from '../../src/servicenow/incidents.js';
import { formatServiceNowDate, mapRecord, parseServiceNowDate, readField, toCamelCase, toWireName } from '../../src/servicenow/mapper.js';
import { checkTableName, parseLinkHeader } from '../../src/servicenow/table-resource.js';
import { compileClassifier } from '../../src/tickets/classifier.js';
import { compilePayloadValidators, parseItsmConfig, resolveItsmConfig } from '../../src/tickets/config.js';
import { deriveCorrelationKey } from '../../src/tickets/correlation-key.js';
import { DEFAULT_ITSM_CONFIG } from '../../src/tickets/default-config.js';
import { compileSafePattern } from '../../src/tickets/safe-pattern.js';
import { clientFromDescription, composeDescription, parseSupportRequest } from '../../src/tickets/support-request.js';
import { compileTemplate, renderTemplate } from '../../src/tickets/template.js';
import { TemplateRegistry } from '../../src/tickets/template-registry.js';
import { compileValidator, fieldMapIssues } from '../../src/tickets/validator.js';
import { hostile, hostileData, hostileString, place, returnsOrThrowsTyped, type HostileRecipe } from './support/hostile.js';
import { checkProperty, runs } from './support/property.js';

/**
 * Every public parser, builder and renderer against hostile input: it returns,
 * or throws an itsmkit error (with a field path where the error has issues);
 * never a TypeError, RangeError, SyntaxError, URIError or what a getter threw.
 */
interface Target {
  readonly area: string;
  readonly name: string;
  /** Builds the call from generated values (recipes are made inside the property). */
  readonly input: fc.Arbitrary<() => unknown>;
}

/** Cases per property under `npm test` (10,000 under `npm run reliability`). */
const QUICK = 150;

const made = (r: HostileRecipe) => r.make();
const call = <T>(arb: fc.Arbitrary<T>, fn: (value: T) => unknown): fc.Arbitrary<() => unknown> => arb.map((v) => () => fn(v));
const withValue = (arb: fc.Arbitrary<HostileRecipe>, fn: (value: unknown) => unknown) => call(arb, (r) => fn(made(r)));

/** A hostile value placed at one of `paths` inside `base`. */
const placed = (arb: fc.Arbitrary<HostileRecipe>, base: unknown, paths: readonly (readonly (string | number)[])[], fn: (value: unknown) => unknown) =>
  call(fc.tuple(arb, fc.constantFrom(...paths)), ([r, at]) => fn(place(base, at, made(r))));

const TEMPLATE = { platform: 'jira', ticketType: 'issue', description: 'd', variables: { 'job.id': { type: 'string' } }, fields: { summary: 'Job {job.id} failed', description: '{detail}', labels: ['ops', '{label}'] } };
const TEMPLATE_PATHS = [[], ['fields'], ['fields', 'summary'], ['fields', 'labels'], ['fields', 'labels', 1], ['variables'], ['variables', 'job.id'], ['variables', 'job.id', 'default'], ['platform'], ['ticketType'], ['fields', 'extra']] as const;
/** A config with every section, built from the defaults (one template, one field map, one rule, so a case stays fast). */
const CONFIG = ((d) => ({
  retryPolicy: d.retryPolicy,
  timeouts: d.timeouts,
  fieldMapping: { jira: d.fieldMapping.jira },
  templates: { 'jira-job-failure-bug': d.templates['jira-job-failure-bug'] },
  classification: { ...d.classification, rules: d.classification.rules.slice(0, 1) },
  validation: { note: 'kept as written' },
}))(JSON.parse(JSON.stringify(DEFAULT_ITSM_CONFIG)) as typeof DEFAULT_ITSM_CONFIG);
const CONFIG_PATHS = [[], ['retryPolicy'], ['retryPolicy', 'retries'], ['retryPolicy', 'retryOnStatus', 0], ['timeouts', 'connectMs'], ['fieldMapping'], ['fieldMapping', 'jira', 'issue'], ['fieldMapping', 'jira', 'issue', 'summary'], ['fieldMapping', 'jira', 'issue', 'summary', 'maxLength'], ['fieldMapping', 'jira', 'issue', 'priority'], ['templates'], ['templates', 'jira-job-failure-bug'], ['templates', 'jira-job-failure-bug', 'fields'], ['templates', 'jira-job-failure-bug', 'fields', 'summary'], ['templates', 'jira-job-failure-bug', 'variables'], ['classification'], ['classification', 'rules'], ['classification', 'rules', 0], ['classification', 'rules', 0, 'recommendedResources'], ['validation'], ['__proto__']] as const;
const FIELD_MAP = { summary: { required: true, maxLength: 10, pattern: '^[a-z]+$' }, priority: { type: 'number', enum: [1, 2, 3] }, labels: { type: 'array', required: false } };
const FIELD_MAP_PATHS = [[], ['summary'], ['summary', 'pattern'], ['summary', 'maxLength'], ['priority', 'enum'], ['priority', 'enum', 0], ['labels', 'type'], ['extra'], ['summary', 'custom']] as const;
const ADF = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hello', marks: [{ type: 'strong' }] }] }] };
const ADF_PATHS = [[], ['content'], ['content', 0], ['content', 0, 'content'], ['content', 0, 'content', 0], ['content', 0, 'content', 0, 'text'], ['content', 0, 'content', 0, 'marks'], ['type'], ['version']] as const;
const PAYLOAD_PATHS = [[], ['summary'], ['priority'], ['labels'], ['labels', 0], ['extra'], ['__proto__']] as const;
const OPERATORS: readonly QueryOperator[] = ['=', '!=', 'LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'ISEMPTY', 'ISNOTEMPTY'];
const anyString = fc.oneof(hostileString, fc.string({ maxLength: 200 }), fc.constantFrom('x'.repeat(100_000), '\ud800'.repeat(1_000)));

const loaded = parseItsmConfig(CONFIG);
const validators = compilePayloadValidators(loaded);
const classifier = compileClassifier(loaded.classification);
const template = compileTemplate(TEMPLATE as never, 't');
const validator = compileValidator(FIELD_MAP as never);

const TARGETS: readonly Target[] = [
  // core
  { area: 'core', name: 'path`` / encodeSegment: any value as a segment (ConfigError)', input: withValue(hostile, (v) => [encodeSegment(v, 'sysId'), path`/api/now/table/${v}`]) },
  { area: 'core', name: 'redactUrl / isSecretKey: any string', input: call(anyString, (s) => [redactUrl(s), redactUrl(`https://u:p@x.test/a?token=${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}&sysparm_query=${s.length}`), isSecretKey(s)]) },
  { area: 'core', name: 'redactHeaders: any header names and values', input: call(fc.dictionary(anyString, anyString, { maxKeys: 5 }), (h) => redactHeaders(h)) },
  { area: 'core', name: 'redactValue: any decoded value (deep, cyclic, BigInt, huge)', input: withValue(hostileData, (v) => redactValue(v)) },
  { area: 'core', name: 'fingerprintOf: any request body (ValidationError with the path)', input: withValue(hostile, (v) => fingerprintOf(v)) },
  // servicenow
  { area: 'servicenow', name: 'encodedQuery builder: any field, operator and value (ValidationError)', input: call(fc.tuple(fc.oneof(hostile, fc.constantFrom('active', 'caller_id.name').map((s): HostileRecipe => ({ name: s, make: () => s }))), fc.oneof(fc.constantFrom(...OPERATORS), hostileString), hostile, fc.boolean()), ([f, op, v, or]) => {
    const q = encodedQuery().where('active', '=', true);
    const args = [made(f), op, made(v)] as unknown as [string, '=', string];
    return (or ? q.or(...args) : q.where(...args)).orderBy(made(f) as string).toString();
  }) },
  { area: 'servicenow', name: 'encodedQuery IN lists: any list (ValidationError)', input: call(fc.tuple(fc.array(hostile, { maxLength: 4 }), fc.constantFrom('IN', 'NOT IN') as fc.Arbitrary<'IN'>), ([list, op]) => encodedQuery().where('state', op, list.map(made) as string[]).toString()) },
  { area: 'servicenow', name: 'mapper: toCamelCase, toWireName, parseServiceNowDate, checkTableName, parseLinkHeader on any string', input: call(anyString, (s) => [toCamelCase(s), toWireName(s), parseServiceNowDate(s), parseLinkHeader(s), returnsOrThrowsTyped(() => checkTableName(s), 'checkTableName')]) },
  { area: 'servicenow', name: 'formatServiceNowDate: any Date, invalid included (ValidationError)', input: call(fc.date(), (d) => formatServiceNowDate(d)) },
  { area: 'servicenow', name: 'readField / mapRecord: any decoded record', input: withValue(hostileData, (v) => [readField(v, { kind: 'choice' } as never, 'all'), mapRecord({ number: v, priority: v, sys_id: 'x' } as never, INCIDENT_SCHEMA, true, true), typeof v === 'object' && v !== null ? mapRecord(v as never, INCIDENT_SCHEMA, 'all', false) : undefined]) },
  // jira
  { area: 'jira', name: 'jqlValue / jql``: any value or list (ValidationError)', input: call(fc.tuple(hostile, fc.array(hostile, { maxLength: 3 })), ([v, list]) => [returnsOrThrowsTyped(() => jqlValue(made(v) as string), 'jqlValue'), jql`labels in ${list.map(made) as string[]}`]) },
  { area: 'jira', name: 'jqlString / isBoundedJql / publicFieldName / parseJiraTime: any string', input: call(anyString, (s) => [jqlString(s), isBoundedJql(s), publicFieldName(s), parseJiraTime(s)]) },
  { area: 'jira', name: 'validateAdf / assertAdf / adfToText: hostile values anywhere in a document (issues with the path)', input: placed(hostile, ADF, ADF_PATHS, (doc) => {
    const issues = validateAdf(doc, 'description');
    for (const issue of issues) expect(issue.field.startsWith('description')).toBe(true);
    return [issues, adfToText(doc), returnsOrThrowsTyped(() => assertAdf(doc), 'assertAdf')];
  }) },
  // tickets
  { area: 'tickets', name: 'loadItsmConfig / resolveItsmConfig: hostile values anywhere in a config (ConfigError with the path)', input: placed(hostile, CONFIG, CONFIG_PATHS, (config) => {
    const outcome = returnsOrThrowsTyped(() => parseItsmConfig(config), 'loadItsmConfig');
    if (outcome instanceof Error) for (const issue of (outcome as unknown as { issues: { field: string }[] }).issues) expect(typeof issue.field).toBe('string');
    // A loaded config resolves to itself; anything else is loaded again.
    return outcome instanceof Error ? outcome : expect(resolveItsmConfig(outcome as never)).toBe(outcome);
  }) },
  { area: 'tickets', name: 'compileTemplate / TemplateRegistry: hostile values anywhere in a definition (TemplateError)', input: placed(hostile, TEMPLATE, TEMPLATE_PATHS, (definition) => [returnsOrThrowsTyped(() => compileTemplate(definition as never, 'fuzz'), 'compileTemplate'), new TemplateRegistry({ fuzz: definition } as never).list()]) },
  { area: 'tickets', name: 'template render: hostile variables anywhere (TemplateError naming the variable)', input: placed(hostile, { job: { id: '42' }, detail: 'x', label: 'l' }, [[], ['job'], ['job', 'id'], ['detail'], ['label'], ['__proto__']], (vars) => [template.render(vars as never), renderTemplate(TEMPLATE as never, vars as never)]) },
  { area: 'tickets', name: 'compileValidator / fieldMapIssues: hostile values anywhere in a field map (ConfigError)', input: placed(hostile, FIELD_MAP, FIELD_MAP_PATHS, (map) => [fieldMapIssues(map as never), compileValidator(map as never)]) },
  { area: 'tickets', name: 'payload validators: hostile payloads (issues with the path, never a throw)', input: placed(hostile, { summary: 'abc', priority: 1, labels: ['a'] }, PAYLOAD_PATHS, (payload) => {
    const results = [validator.validate(payload), validators.get('jira', 'issue').validate(payload), validators.get('servicenow', 'incident').validate(payload)];
    for (const r of results) for (const issue of r.issues) expect(typeof issue.field).toBe('string');
    return [...results, returnsOrThrowsTyped(() => validator.assertValid(payload), 'assertValid')];
  }) },
  { area: 'tickets', name: 'compileSafePattern: any pattern text', input: call(anyString, (s) => compileSafePattern(s)) },
  { area: 'tickets', name: 'classifier: any category, text and error code', input: call(fc.tuple(anyString, anyString, anyString), ([category, text, errorCode]) => classifier.classify({ category, text, errorCode } as never)) },
  { area: 'tickets', name: 'support requests: parseSupportRequest on any decoded body; composeDescription / clientFromDescription / deriveCorrelationKey on any strings', input: call(fc.tuple(hostileData, anyString, anyString), ([body, a, b]) => [parseSupportRequest(made(body)), parseSupportRequest({ client: made(body), errorCode: a, detailedDescription: b, priority: made(body) }), composeDescription({ client: a, errorCode: b, detailedDescription: a }), clientFromDescription(a), deriveCorrelationKey(a, b)]) },
  // connections
  { area: 'connections', name: 'request parsers: parseConnectionUpdate / Patch / parseVerifyInput / parseSyncInput on any decoded body', input: placed(hostileData, { enabled: true, config: { spaces: 'ENG' }, options: {} }, [[], ['config'], ['config', 'spaces'], ['enabled'], ['options'], ['__proto__']], (body) => [parseConnectionUpdate(body), parseConnectionPatch(body), parseVerifyInput(body), parseSyncInput(body)]) },
  { area: 'connections', name: 'wire decoders: fromWireConnection / fromWireUpdate / fromWireDelegation / parseDataSourcesError / normaliseOptions / credentialIssues on any decoded value', input: withValue(hostileData, (v) => [fromWireConnection, fromWireUpdate, fromWireDelegation, parseDataSourcesError, normaliseOptions, (x: unknown) => credentialIssues(x, 'config')].map((fn) => returnsOrThrowsTyped(() => fn(v), fn.name))) },
  { area: 'connections', name: 'canonicalId / isUuid / formatServerSentEvent: any string', input: call(fc.tuple(anyString, hostileData), ([s, r]) => [canonicalId(s), isUuid(s), isUuid(made(r)), formatServerSentEvent({ event: s, data: s, id: s })]) },
];

describe('fuzz: every public parser, builder and renderer returns or throws an itsmkit error', () => {
  for (const target of TARGETS) {
    it(target.name, async () => {
      await checkProperty(target.area, `hostile input: ${target.name}`, runs(QUICK), (counter) =>
        fc.property(target.input, (run) => {
          counter.count(() => returnsOrThrowsTyped(run, target.name));
          return true;
        }),
      );
    });
  }
});
