import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyStatusMessage, messageKey } from '../../src/connections/reducer.js';
import { parseStatusMessage, type StatusMessage } from '../../src/connections/status-message.js';
import { isConfigError, isStatusMessageError, isTemplateError, StatusMessageError } from '../../src/core/errors.js';
import { loadItsmConfig, parseItsmConfig } from '../../src/tickets/config.js';
import { compileSafePattern, DEFAULT_MAX_PATTERN_INPUT } from '../../src/tickets/safe-pattern.js';
import { compileTemplate } from '../../src/tickets/template.js';
import { compileValidator } from '../../src/tickets/validator.js';
import { record } from '../connections/fixtures.js';
import { checkProperty, runs } from './support/property.js';

/** Anything a broker could deliver: bytes, text, JSON values, message-shaped objects with hostile values, objects that throw. */
const FIELDS = ['type', 'connection_id', 'tenant_id', 'organization_id', 'status', 'timestamp', 'options', 'error', 'error_message', 'documents_processed', '__proto__', 'constructor'];
const wild = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('sync', 'verification', 'sync_started', 'sync_completed', 'sync_failed', 'success', 'failed', 'completed', '2025-10-01T10:00:00Z', '', 'c1', 't1'), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 }))));
const messageLike = fc.dictionary(fc.constantFrom(...FIELDS), wild, { maxKeys: 10 });
const hostileObject = fc.constantFrom(
  () => Object.defineProperty({}, 'connection_id', { get: () => { throw new Error('boom'); }, enumerable: true }),
  () => new Proxy({}, { get: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); } }),
  () => ({ connection_id: 'c', tenant_id: 't', status: 'success', type: 'verification', options: new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }) }),
  () => Object.create(null) as object,
);
const statusInput = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 200 }),
  messageLike,
  messageLike.map((m) => JSON.stringify(m)),
  messageLike.map((m) => new TextEncoder().encode(JSON.stringify(m))),
  // Built inside the property: fast-check itself would trip over the traps while shrinking or printing.
  hostileObject,
);

describe('fuzz: parseStatusMessage', () => {
  it('never throws, and returns a message or a StatusMessageError with a reason', async () => {
    await checkProperty('connections', 'parseStatusMessage: never throws on arbitrary bytes, strings, objects, hostile proxies; ok or StatusMessageError', runs(1_500), (counter) =>
      fc.property(statusInput, fc.constantFrom(undefined, 'data_source.sync_status', 'data_source.verification_status'), (generated, queue) => {
        const input = typeof generated === 'function' ? (generated as () => unknown)() : generated;
        const result = counter.count(() => parseStatusMessage(input, { queue }));
        if (result.ok) {
          expect(['sync', 'verification']).toContain(result.message.kind);
          expect(typeof result.message.connectionId === 'string' && result.message.connectionId !== '').toBe(true);
          expect(typeof result.message.organizationId === 'string' && result.message.organizationId !== '').toBe(true);
        } else {
          expect(result.error).toBeInstanceOf(StatusMessageError);
          expect(isStatusMessageError(result.error)).toBe(true);
          expect(typeof result.error.reason).toBe('string');
        }
        return true;
      }),
    );
  });
});

/** A timestamped message for connection c-1 of tenant t-1; `ms` and the status give its ordering key. */
const timedMessage = fc.record({
  ms: fc.integer({ min: 0, max: 50 }),
  kind: fc.constantFrom('sync_started', 'sync_completed', 'sync_failed', 'verification:success', 'verification:failed'),
  docs: fc.nat(1000),
  option: fc.constantFrom('ENG', 'ENG,PROD', 'DOCS, OPS'),
});
function toMessage(m: { ms: number; kind: string; docs: number; option: string }): StatusMessage {
  const base = { connection_id: 'c-1', tenant_id: 't-1', timestamp: new Date(Date.UTC(2025, 9, 1, 10, 0, 0, m.ms)).toISOString() };
  const body = m.kind.startsWith('verification:')
    ? { ...base, type: 'verification', status: m.kind.slice(13), options: m.kind.endsWith('success') ? { spaces: m.option } : null, error: m.kind.endsWith('failed') ? `bad ${m.option}` : null }
    : { ...base, type: 'sync', status: m.kind, documents_processed: m.docs, error_message: m.kind === 'sync_failed' ? `failed ${m.option}` : null };
  const parsed = parseStatusMessage(body);
  if (!parsed.ok) throw parsed.error;
  return parsed.message;
}
const stateOf = (c: ReturnType<typeof record>) => ({ ...c, version: 0, updatedAt: '' });
const NOW = { now: Date.UTC(2026, 0, 1) };

describe('fuzz: the status reducer', () => {
  it('is order-insensitive and idempotent for timestamped messages (any shuffle with replays ends where the sorted sequence does)', async () => {
    await checkProperty('connections', 'applyStatusMessage: any shuffled, duplicated delivery of timestamped messages = sorted replay; a replay changes nothing', runs(800), (counter) =>
      fc.property(
        // Distinct ordering keys: two different messages with one key are first-applied-wins by design.
        fc.uniqueArray(timedMessage, { minLength: 1, maxLength: 12, selector: (m) => `${m.ms}|${m.kind.startsWith('verification') ? 'v' : m.kind}` }).filter((ms) => new Set(ms.map((m) => messageKey(toMessage(m)))).size === ms.length),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        (specs, order, enabled) => {
          const messages = specs.map(toMessage);
          const apply = (sequence: readonly StatusMessage[]) => {
            let c = record({ id: 'c-1', organizationId: 't-1', enabled });
            for (const m of sequence) {
              const r = counter.count(() => applyStatusMessage(c, m, NOW));
              if (r.outcome === 'applied') c = r.connection;
            }
            return c;
          };
          const sorted = apply([...messages].sort((a, b) => (messageKey(a) ?? 0) - (messageKey(b) ?? 0)));
          // A delivery: the messages shuffled by `order`, with replays of some of them.
          const shuffled = [...messages];
          order.forEach((n, i) => {
            const j = n % shuffled.length;
            const k = i % shuffled.length;
            [shuffled[j], shuffled[k]] = [shuffled[k]!, shuffled[j]!];
          });
          const delivered = [...shuffled, ...order.slice(0, 5).map((n) => messages[n % messages.length]!)];
          const final = apply(delivered);
          expect(stateOf(final)).toEqual(stateOf(sorted));
          // Idempotent: replaying any message on the final state changes nothing.
          for (const m of messages) expect(counter.count(() => applyStatusMessage(final, m, NOW)).outcome).toBe('ignored');
          return true;
        },
      ),
    );
  });
});

const SEGMENTS = ['a', 'b', 'job', 'id', 'x_1', '0', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const placeholderPath = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));
const literal = fc.oneof(fc.constantFrom('{{', '}}', '${{process.exit()}}', '{{constructor.constructor("return 1")()}}', '`', '\\', ' ', 'x', '{{a}}', 'require("fs")', '"'), fc.string({ maxLength: 6 }).map((s) => s.replace(/[{}]/g, '')));
const textPart = fc.oneof(literal.map((text) => ({ text })), placeholderPath.map((path) => ({ path })));

/** Own-property lookup, as the renderer promises. */
function lookup(variables: unknown, path: string): unknown {
  let node = variables;
  for (const segment of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function prototypeSnapshot(): string {
  return JSON.stringify([Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort()));
}

describe('fuzz: the template renderer', () => {
  const before = prototypeSnapshot();

  it('never pollutes prototypes, never evaluates, and reports every missing variable', async () => {
    // Variables come from JSON.parse so `__proto__` can be an own key, as in a request body.
    const variables = fc.dictionary(fc.constantFrom(...SEGMENTS), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.dictionary(fc.constantFrom(...SEGMENTS), fc.oneof(fc.string({ maxLength: 8 }), fc.dictionary(fc.constantFrom(...SEGMENTS), fc.string({ maxLength: 4 }), { maxKeys: 3 })), { maxKeys: 4 })), { maxKeys: 6 }).map((v) => JSON.parse(JSON.stringify(v).replace(/"_proto_"/g, '"__proto__"')) as Record<string, unknown>);
    await checkProperty('tickets', 'template renderer: no prototype pollution (checked after every case), no evaluation, every missing variable reported', runs(1_000), (counter) =>
      fc.property(fc.dictionary(fc.constantFrom('summary', 'description', 'labels', 'x'), fc.array(textPart, { minLength: 1, maxLength: 5 }), { minKeys: 1, maxKeys: 3 }), variables, (fields, vars) => {
        const templateFields: Record<string, string> = {};
        for (const [key, parts] of Object.entries(fields)) templateFields[key] = parts.map((p) => ('path' in p ? `{${p.path}}` : p.text)).join('');
        const paths = Object.values(fields).flatMap((parts) => parts.flatMap((p) => ('path' in p ? [p.path] : [])));
        const forbidden = paths.some((p) => p.split('.').some((s) => FORBIDDEN.has(s)));
        let template;
        try {
          template = counter.count(() => compileTemplate({ platform: 'jira', ticketType: 'issue', fields: templateFields }, 'fuzz'));
        } catch (error) {
          expect(isTemplateError(error), String(error)).toBe(true);
          expect(forbidden, `refused a template without a forbidden segment: ${JSON.stringify(templateFields)} ${String(error)}`).toBe(true);
          return true;
        }
        expect(forbidden, `compiled a template reaching a forbidden segment: ${JSON.stringify(templateFields)}`).toBe(false);
        const missing = [...new Set(paths.filter((p) => lookup(vars, p) === undefined || lookup(vars, p) === null))];
        let payload: Record<string, unknown>;
        try {
          payload = counter.count(() => template.render(vars)).payload;
        } catch (error) {
          expect(isTemplateError(error), String(error)).toBe(true);
          expect([...(error as { missing: readonly string[] }).missing].sort()).toEqual(missing.sort());
          expect(prototypeSnapshot()).toBe(before);
          return true;
        }
        expect(missing).toEqual([]);
        // Nothing evaluated: each field is the literal text with each placeholder's value in place.
        for (const [key, all] of Object.entries(fields)) {
          const parts = all.filter((p) => 'path' in p || p.text !== '');
          const only = parts.length === 1 && 'path' in parts[0]!;
          const expected = only
            ? lookup(vars, (parts[0] as { path: string }).path)
            : parts.map((p) => ('path' in p ? ((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))(lookup(vars, p.path)) : p.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}'))).join('');
          expect(payload[key]).toEqual(expected);
        }
        expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
        expect(prototypeSnapshot()).toBe(before);
        return true;
      }),
    );
  });
});

/** Shapes behind catastrophic backtracking, around arbitrary safe atoms. */
const atom = fc.constantFrom('a', '\\d', '\\w', '[a-z]', '.', 'x', '\\s', '[^,]');
const hostilePattern = fc.tuple(fc.constantFrom('', '^', '^id-', '[A-Z]'), fc.oneof(
  fc.tuple(atom, fc.constantFrom('+', '*', '{2,}'), fc.constantFrom('+', '*', '{1,}', '{2,5}')).map(([a, q1, q2]) => `(${a}${q1})${q2}`),
  fc.tuple(atom, fc.constantFrom('+', '*')).map(([a, q]) => `(${a}|${a})${q}`),
  fc.tuple(atom, atom, fc.constantFrom('+', '*')).map(([a, b, q]) => `(${a}${b}|${a})${q}`),
  fc.tuple(atom, fc.constantFrom('+', '*')).map(([a, q]) => `(-${a}+)${q}`),
  fc.tuple(atom).map(([a]) => `(${a})\\1`),
  fc.tuple(atom).map(([a]) => `(?<n>${a})\\k<n>`),
), fc.constantFrom('', '$', 'x$', '!')).map(([pre, core, post]) => `${pre}${core}${post}`);

describe('fuzz: the payload validator', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses hostile patterns at load', async () => {
    await checkProperty('tickets', 'validator: catastrophic-backtracking patterns and backreferences refused at load (ConfigError)', runs(800), (counter) =>
      fc.property(hostilePattern, (pattern) => {
        const safe = counter.count(() => compileSafePattern(pattern));
        expect('error' in safe, `accepted ${pattern}`).toBe(true);
        expect(() => counter.count(() => compileValidator({ summary: { pattern } }))).toThrow(expect.objectContaining({ name: 'ConfigError' }));
        return true;
      }),
    );
  });

  it('never runs a pattern on more input than maxPatternInput, whatever the payload', async () => {
    // The patterns the load check lets through may still be polynomial (`\d+\d+x`): input size is the bound.
    const validator = compileValidator({ summary: { pattern: '^\\d+\\d+x$' }, ref: { pattern: '^[A-Z]+-\\d+$', required: false } }, { unknownFields: 'keep' });
    const sources = new Set(['^\\d+\\d+x$', '^[A-Z]+-\\d+$']);
    let longest = 0;
    let patternRuns = 0;
    for (const method of ['test', 'exec'] as const) {
      const original = RegExp.prototype[method] as (this: RegExp, s: string) => unknown;
      vi.spyOn(RegExp.prototype, method).mockImplementation(function (this: RegExp, s: string) {
        if (sources.has(this.source)) {
          patternRuns++;
          longest = Math.max(longest, String(s).length);
        }
        return original.call(this, s);
      } as never);
    }
    const hostileInput = fc.tuple(fc.constantFrom('1', '9', 'A', '-', 'x'), fc.integer({ min: 0, max: 200_000 }), fc.constantFrom('', 'y', '!', 'x')).map(([c, n, end]) => c.repeat(n) + end);
    await checkProperty('tickets', `validator: pattern rules never run on input over ${DEFAULT_MAX_PATTERN_INPUT} characters (hostile inputs up to 200,000; regex calls counted)`, runs(400), (counter) =>
      fc.property(hostileInput, hostileInput, (summary, ref) => {
        const result = counter.count(() => validator.validate({ summary, ref }));
        if (summary.length > DEFAULT_MAX_PATTERN_INPUT) expect(result.ok).toBe(false);
        return true;
      }),
    );
    expect(patternRuns).toBeGreaterThan(0);
    expect(longest).toBeLessThanOrEqual(DEFAULT_MAX_PATTERN_INPUT);
  });
});

/** JSON with the config's real section names and some of their keys, so the loader gets past the root. */
const SECTION_KEYS: Record<string, string[]> = {
  retryPolicy: ['maxRetries', 'max_retries', 'initialDelay', 'initial_delay', 'maxDelay', 'backoffMultiplier'],
  retry_policy: ['max_retries', 'initial_delay'],
  timeouts: ['connect', 'read', 'total', 'connectMs'],
  fieldMapping: ['servicenow', 'jira'],
  templates: ['t1', 'jira-job-failure-bug'],
  classification: ['rules', 'defaultCategory', 'categories'],
};
const configish = fc.dictionary(
  fc.constantFrom(...Object.keys(SECTION_KEYS)),
  fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.constantFrom(...Object.values(SECTION_KEYS).flat()), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })),
  { maxKeys: 4 },
);
const unknownKey = fc.stringMatching(/^[a-z][a-zA-Z]{2,10}$/).filter((k) => !Object.values(SECTION_KEYS).flat().includes(k) && !(k in SECTION_KEYS) && !['enabled', 'description'].includes(k));

describe('fuzz: the config loader', () => {
  it('throws nothing but ConfigError on arbitrary JSON', async () => {
    await checkProperty('tickets', 'config loader: arbitrary JSON (and config-shaped JSON) loads or throws a ConfigError, never anything else', runs(1_000), (counter) =>
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), configish, fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()), (input) => {
        try {
          counter.count(() => parseItsmConfig(input));
        } catch (error) {
          expect(isConfigError(error), String(error)).toBe(true);
          for (const issue of (error as { issues: { field: string; rule: string; message: string }[] }).issues) {
            expect(typeof issue.field === 'string' && typeof issue.rule === 'string' && typeof issue.message === 'string').toBe(true);
          }
        }
        return true;
      }),
    );
  });

  it('reports every unknown key with its path', async () => {
    await checkProperty('tickets', 'config loader: every unknown key (root and sections) reported with its path', runs(400), (counter) =>
      fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom('', 'retryPolicy', 'timeouts', 'classification'), unknownKey), { minLength: 1, maxLength: 6, selector: ([s, k]) => `${s}.${k}` }), (placed) => {
        const input: Record<string, Record<string, unknown> | number> = {};
        for (const [section, key] of placed) {
          if (section === '') input[key] = 1;
          else input[section] = { ...((input[section] as Record<string, unknown>) ?? {}), [key]: 1 };
        }
        let issues: { field: string; rule: string }[] = [];
        try {
          counter.count(() => loadItsmConfig(input));
        } catch (error) {
          expect(isConfigError(error)).toBe(true);
          issues = (error as { issues: { field: string; rule: string }[] }).issues;
        }
        const reported = new Set(issues.filter((i) => i.rule === 'unknown_key').map((i) => i.field));
        for (const [section, key] of placed) expect(reported, JSON.stringify(issues)).toContain(section ? `${section}.${key}` : key);
        return true;
      }),
    );
  });
});
