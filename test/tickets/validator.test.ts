import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isConfigError, isValidationError, type ConfigError, type ValidationError } from '../../src/core/errors.js';
import type { FieldMap } from '../../src/tickets/config-schema.js';
import { compileValidator, fieldMapIssues } from '../../src/tickets/validator.js';

const incident: FieldMap = {
  shortDescription: { required: true, maxLength: 10 },
  description: { minLength: 3 },
  urgency: { enum: ['high', 'medium', 'low'], wireValues: { high: '1', medium: '2', low: '3' } },
  correlationId: { pattern: '^[a-z0-9-]+$' },
  count: { type: 'integer' },
  ratio: { type: 'number' },
  active: { type: 'boolean' },
  labels: { type: 'array', maxLength: 2, pattern: '^\\S+$' },
  meta: { type: 'object' },
  client: { wire: 'u_client' },
  notes: { allowEmpty: false },
  title: { required: true, allowEmpty: true },
};

function caught<T>(fn: () => unknown): T {
  try {
    fn();
  } catch (e) {
    return e as T;
  }
  throw new Error('did not throw');
}

afterEach(() => vi.restoreAllMocks());

describe('compileValidator', () => {
  const v = compileValidator(incident, { wireCase: 'snake', label: 'servicenow incident' });

  it('maps SDK names to wire names and values through wireValues', () => {
    const result = v.validate({
      shortDescription: 'VPN down',
      urgency: 'high',
      correlationId: 'job-42',
      count: 3,
      ratio: 0.5,
      active: false,
      labels: ['a', 'b'],
      meta: { x: 1 },
      client: 'Archer',
      title: '',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        short_description: 'VPN down',
        urgency: '1',
        correlation_id: 'job-42',
        count: 3,
        ratio: 0.5,
        active: false,
        labels: ['a', 'b'],
        meta: { x: 1 },
        u_client: 'Archer',
        title: '',
      },
      issues: [],
    });
    expect(v.fields).toContain('shortDescription');
    expect(v.wireNames['client']).toBe('u_client');
  });

  it('reports every rule failure at once', () => {
    const result = v.validate({
      description: 'ab',
      urgency: 'urgent',
      correlationId: 'Not OK',
      count: 1.5,
      ratio: Number.NaN,
      active: 'yes',
      labels: ['a b', 'c', 'd'],
      meta: [],
      notes: '   ',
      title: null,
      shortDescripton: 'typo',
    });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([
      { field: 'shortDescription', rule: 'required', message: 'is required' },
      { field: 'description', rule: 'minLength', message: 'must have at least 3 characters (got 2)' },
      { field: 'urgency', rule: 'enum', message: 'must be one of: high, medium, low' },
      { field: 'correlationId', rule: 'pattern', message: 'must match ^[a-z0-9-]+$' },
      { field: 'count', rule: 'type', message: 'must be an integer (got number)' },
      { field: 'ratio', rule: 'type', message: 'must be a number (got number)' },
      { field: 'active', rule: 'type', message: 'must be a boolean (got string)' },
      { field: 'labels', rule: 'maxLength', message: 'must have at most 2 items (got 3)' },
      { field: 'labels.0', rule: 'pattern', message: 'must match ^\\S+$' },
      { field: 'meta', rule: 'type', message: 'must be an object (got array)' },
      { field: 'notes', rule: 'allowEmpty', message: 'must not be empty' },
      { field: 'title', rule: 'required', message: 'is required' },
      { field: 'shortDescripton', rule: 'unknown', message: 'is not a known field of servicenow incident' },
    ]);
  });

  it('checks maxLength and required-not-empty', () => {
    expect(v.validate({ shortDescription: 'x'.repeat(11), title: 't' }).issues).toEqual([
      { field: 'shortDescription', rule: 'maxLength', message: 'must have at most 10 characters (got 11)' },
    ]);
    expect(v.validate({ shortDescription: '  ', title: 't' }).issues).toEqual([
      { field: 'shortDescription', rule: 'allowEmpty', message: 'is required and must not be empty' },
    ]);
  });

  it('rejects payloads that are not objects', () => {
    for (const payload of [null, 'x', [], 3]) {
      expect(v.validate(payload).issues).toEqual([{ field: '(root)', rule: 'type', message: 'servicenow incident must be an object' }]);
    }
  });

  it('runs custom checks by function and by name, with the whole payload', () => {
    const seen: unknown[] = [];
    const cv = compileValidator(
      {
        start: { custom: 'iso' },
        end: {
          custom: [
            'iso',
            (value, payload) => {
              seen.push(payload);
              return String(value) < String(payload['start']) ? 'must not be before start' : undefined;
            },
          ],
        },
      },
      { checks: { iso: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? undefined : 'must be YYYY-MM-DD') } },
    );
    expect(cv.validate({ start: '2025-02-01', end: '2025-01-01' }).issues).toEqual([{ field: 'end', rule: 'custom', message: 'must not be before start' }]);
    expect(cv.validate({ start: 'soon', end: 'zzz' }).issues).toEqual([
      { field: 'start', rule: 'custom', message: 'must be YYYY-MM-DD' },
      { field: 'end', rule: 'custom', message: 'must be YYYY-MM-DD' },
    ]);
    expect(seen).toEqual([{ start: '2025-02-01', end: '2025-01-01' }, { start: 'soon', end: 'zzz' }]);
  });

  it('builds nested wire shapes from dotted wire paths and wraps array items', () => {
    const jira = compileValidator({
      projectKey: { wire: 'project.key', required: true },
      projectId: { wire: 'project.id' },
      issueType: { wire: 'issuetype.name' },
      components: { type: 'array', itemWire: 'name' },
      priority: { wire: 'priority.name', enum: ['High', 'Low'] },
    });
    expect(jira.assertValid({ projectKey: 'OPS', projectId: '1', issueType: 'Bug', components: ['API', 'UI'], priority: 'High' })).toEqual({
      project: { key: 'OPS', id: '1' },
      issuetype: { name: 'Bug' },
      components: [{ name: 'API' }, { name: 'UI' }],
      priority: { name: 'High' },
    });
  });

  it('accepts snake_case keys as SDK camelCase fields', () => {
    const sv = compileValidator({ short_description: { required: true } }, { wireCase: 'snake' });
    expect(sv.validate({ shortDescription: 'x' })).toEqual({ ok: true, value: { short_description: 'x' }, issues: [] });
  });

  it('keeps unknown fields when asked, but never __proto__', () => {
    const kv = compileValidator({ a: {} }, { unknownFields: 'keep' });
    const payload = JSON.parse('{"a":"1","extra":2,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const result = kv.validate(payload);
    expect(result.value).toEqual({ a: '1', extra: 2 });
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('assertValid throws a ValidationError with every issue', () => {
    const err = caught<ValidationError>(() => v.assertValid({ urgency: 'x' }));
    expect(isValidationError(err)).toBe(true);
    expect(err.issues.map((i) => i.field)).toEqual(['shortDescription', 'urgency', 'title']);
    expect(err.message).toMatch(/^Invalid servicenow incident: shortDescription: is required; urgency/);
  });
});

describe('bad field maps', () => {
  it('reports every problem of a field map at compile time', () => {
    const err = caught<ConfigError>(() =>
      compileValidator(
        {
          a: { pattern: '(a+)+$' },
          b: { pattern: '(' },
          c: { minLength: 5, maxLength: 2 },
          d: { type: 'number', maxLength: 3 },
          e: { custom: 'nope' },
          f: { wire: 'x.__proto__' },
          g: { wire: 'same' },
          h: { wire: 'same' },
          i_j: {},
          iJ: {},
          k: { itemWire: 'name' },
          n: { type: 'boolean', pattern: 'x' },
        },
        { label: 'test' },
      ),
    );
    expect(isConfigError(err)).toBe(true);
    expect(err.message).toMatch(/^Invalid field mapping for test/);
    expect(err.issues.map((i) => `${i.field}:${i.rule}`)).toEqual([
      'a.pattern:pattern',
      'b.pattern:pattern',
      'c.minLength:range',
      'd.maxLength:type',
      'f.wire:wire',
      'h.wire:duplicate',
      'iJ:duplicate',
      'k.itemWire:type',
      'n.pattern:type',
      'e.custom:custom',
    ]);
  });

  it('fieldMapIssues is empty for a good map', () => {
    expect(fieldMapIssues({ a: { required: true, maxLength: 3, pattern: '^a+$' } })).toEqual([]);
  });
});

describe('hostile patterns and input', () => {
  it('never runs a pattern on input past the cap, so a huge value costs no matching', () => {
    // `\d+\d+x` is accepted at load (no nesting) but backtracks polynomially: the cap is what bounds it.
    const pv = compileValidator({ code: { pattern: '^\\d+\\d+x$' } }, { maxPatternInput: 64 });
    const test = vi.spyOn(RegExp.prototype, 'test');
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    const result = pv.validate({ code: '1'.repeat(1_000_000) });
    const calls = test.mock.calls.length + exec.mock.calls.length;
    expect(calls).toBe(0);
    expect(result.issues).toEqual([{ field: 'code', rule: 'pattern', message: 'is longer than 64 characters, the most a pattern is checked on' }]);
    const before = test.mock.calls.length;
    const atCap = pv.validate({ code: '1'.repeat(64) });
    const matched = test.mock.calls.length - before;
    expect(matched).toBe(1);
    expect(atCap.issues).toEqual([{ field: 'code', rule: 'pattern', message: 'must match ^\\d+\\d+x$' }]);
  });

  it('defaults the cap to 1024 characters', () => {
    const pv = compileValidator({ code: { pattern: '^a+$' } });
    expect(pv.validate({ code: 'a'.repeat(1024) }).ok).toBe(true);
    expect(pv.validate({ code: 'a'.repeat(1025) }).issues[0]?.rule).toBe('pattern');
  });

  it('refuses the classic catastrophic pattern before any input reaches it', () => {
    expect(() => compileValidator({ x: { pattern: '^(a+)+$' } })).toThrow(/nested quantifier/);
  });
});

describe('properties', () => {
  const v = compileValidator(incident, { wireCase: 'snake' });

  it('never throws; ok exactly when there are no issues; issues name payload or rule fields', () => {
    const known = new Set(Object.keys(incident));
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.constantFrom(...known), fc.string()), fc.anything()), (payload) => {
        const result = v.validate(payload);
        expect(result.ok).toBe(result.issues.length === 0);
        for (const issue of result.issues) {
          const root = issue.field.split('.')[0] as string;
          expect(known.has(root) || Object.hasOwn(payload, issue.field)).toBe(true);
        }
      }),
    );
  });

  it('reports exactly the fields that are broken, all at once', () => {
    const breakable = { description: 'ab', urgency: 'x', correlationId: 'A B', count: 0.5, active: 1, notes: '' } as const;
    fc.assert(
      fc.property(fc.subarray(Object.keys(breakable) as (keyof typeof breakable)[]), (broken) => {
        const payload: Record<string, unknown> = { shortDescription: 'ok', title: 't' };
        for (const key of broken) payload[key] = breakable[key];
        const fields = v.validate(payload).issues.map((i) => i.field);
        expect(fields.sort()).toEqual([...broken].sort());
      }),
    );
  });

  it('maps every valid payload to exactly its wire names', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ''), fc.option(fc.constantFrom('high', 'medium', 'low'), { nil: undefined }), (short, urgency) => {
        const result = v.validate({ shortDescription: short, title: '', ...(urgency ? { urgency } : {}) });
        expect(result.ok).toBe(true);
        expect(Object.keys(result.value ?? {}).sort()).toEqual(['short_description', 'title', ...(urgency ? ['urgency'] : [])].sort());
      }),
    );
  });
});

describe('regression (fuzz): field maps and payloads that cannot be read', () => {
  it('a field map that is not one is a ConfigError, not a TypeError', () => {
    expect(() => compileValidator(null as unknown as FieldMap)).toThrow(expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ field: '(root)' })] }));
    expect(() => compileValidator({ summary: null } as unknown as FieldMap)).toThrow(expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ field: 'summary' })] }));
    expect(fieldMapIssues(undefined as unknown as FieldMap)).toEqual([expect.objectContaining({ field: '(root)' })]);
    const trapped = Object.defineProperty({}, 'summary', { get: () => { throw new Error('trap'); }, enumerable: true });
    expect(() => compileValidator(trapped)).toThrow(expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ field: 'summary', rule: 'unreadable' })] }));
  });

  it('a payload getter that throws is an issue at its path', () => {
    const v = compileValidator({ summary: { required: true } });
    const payload = Object.defineProperty({}, 'summary', { get: () => { throw new Error('trap'); }, enumerable: true });
    expect(v.validate(payload)).toEqual({ ok: false, issues: [{ field: 'summary', rule: 'unreadable', message: expect.stringContaining('trap') }] });
    expect(() => v.assertValid(payload)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});
