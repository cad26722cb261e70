import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTemplateError, type TemplateError } from '../../src/core/errors.js';
import type { TemplateDefinition } from '../../src/tickets/config-schema.js';
import { DEFAULT_ITSM_CONFIG } from '../../src/tickets/default-config.js';
import { compileTemplate, renderTemplate } from '../../src/tickets/template.js';
import { TemplateRegistry } from '../../src/tickets/template-registry.js';

const jira = (fields: TemplateDefinition['fields'], variables?: TemplateDefinition['variables']): TemplateDefinition => ({
  platform: 'jira',
  ticketType: 'issue',
  fields,
  ...(variables ? { variables } : {}),
});

function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (isTemplateError(e)) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('renderTemplate', () => {
  it('substitutes top-level and nested variables in strings inside objects and arrays', () => {
    const rendered = renderTemplate(
      jira({
        summary: 'Job {job.name} failed on {host}',
        labels: ['{team}', 'fixed', { note: '{job.owner.name} / {job.id}' }],
        customFields: { customfield_1: { nested: ['{job.id}'] }, count: 3, flag: true, none: null },
      }),
      { host: 'web-1', team: 'sre', job: { id: 42, name: 'nightly', owner: { name: 'Ana' } } },
    );
    expect(rendered).toEqual({
      template: 'template',
      platform: 'jira',
      ticketType: 'issue',
      payload: {
        summary: 'Job nightly failed on web-1',
        labels: ['sre', 'fixed', { note: 'Ana / 42' }],
        customFields: { customfield_1: { nested: [42] }, count: 3, flag: true, none: null },
      },
    });
  });

  it('keeps the value of a whole-string placeholder as is, and stringifies objects inside text', () => {
    const { payload } = renderTemplate(jira({ labels: '{labels}', count: '{n}', text: 'labels={labels} n={n} ok={ok}' }), {
      labels: ['a', 'b'],
      n: 7,
      ok: false,
    });
    expect(payload).toEqual({ labels: ['a', 'b'], count: 7, text: 'labels=["a","b"] n=7 ok=false' });
  });

  it('turns {{ and }} into literal braces', () => {
    const { payload } = renderTemplate(jira({ summary: '{{literal}} {x} {{{x}}} }}' }), { x: 'v' });
    expect(payload['summary']).toBe('{literal} v {v} }');
  });

  it('lists every missing variable in one TemplateError', () => {
    const err = templateError(() =>
      renderTemplate(jira({ summary: '{a} {b.c}', labels: ['{d}', '{a}'] }, { e: { type: 'string' }, f: { required: false } }), { b: {} }),
    );
    expect(err.message).toBe('Template "template" cannot be rendered: missing variables e, a, b.c, d');
    expect(err.missing).toEqual(['e', 'a', 'b.c', 'd']);
    expect(err.template).toBe('template');
  });

  it('treats null as missing and applies defaults; optional variables drop or render empty', () => {
    const t = compileTemplate(
      jira(
        { summary: '{title}{suffix}', priority: '{priority}', assignee: '{assignee}', labels: ['x', '{extra}'] },
        { title: {}, suffix: { required: false }, priority: { default: 'High' }, assignee: { required: false }, extra: { required: false } },
      ),
    );
    expect(t.render({ title: 'T', priority: null }).payload).toEqual({ summary: 'T', priority: 'High', labels: ['x'] });
    expect(templateError(() => t.render({ title: null })).missing).toEqual(['title']);
  });

  it('checks declared types and names the path of each wrong one', () => {
    const t = compileTemplate(
      jira({ summary: '{job.id} {count} {tags} {meta.a}' }, {
        'job.id': { type: 'string' },
        count: { type: 'integer' },
        tags: { type: 'array' },
        meta: { type: 'object' },
        flag: { type: 'boolean', required: false },
        any: { type: 'any', required: false },
      }),
      'typed',
    );
    const err = templateError(() => t.render({ job: { id: 5 }, count: 1.5, tags: 'x', meta: [], flag: 'yes', any: Symbol.for('x') }));
    expect(err.missing).toEqual(['meta.a']);
    expect(err.issues).toEqual([
      { field: 'job.id', rule: 'type', message: 'must be a string (got number)' },
      { field: 'count', rule: 'type', message: 'must be an integer (got number)' },
      { field: 'tags', rule: 'type', message: 'must be an array (got string)' },
      { field: 'meta', rule: 'type', message: 'must be an object (got array)' },
      { field: 'flag', rule: 'type', message: 'must be a boolean (got string)' },
      // `any` takes any type, but only values a JSON payload can carry.
      { field: 'any', rule: 'json', message: 'must be a JSON value (got symbol)' },
    ]);
    expect(err.message).toBe(
      'Template "typed" cannot be rendered: missing variable meta.a; job.id must be a string (got number); count must be an integer (got number); tags must be an array (got string); meta must be an object (got array); flag must be a boolean (got string); any must be a JSON value (got symbol)',
    );
    expect(t.render({ job: { id: 'J' }, count: 2, tags: [], meta: { a: 1 } }).payload).toEqual({ summary: 'J 2 [] 1' });
  });

  it('reports missing and wrong-typed variables together, never printing values', () => {
    const err = templateError(() => renderTemplate(jira({ summary: '{secret} {x}' }, { secret: { type: 'number' } }), { secret: 'hunter2' }));
    expect(err.missing).toEqual(['x']);
    expect(err.issues.map((i) => i.field)).toEqual(['secret']);
    expect(err.message).not.toContain('hunter2');
  });

  it('refuses prototype paths and bad placeholders at compile time, all at once', () => {
    const err = templateError(() =>
      compileTemplate(
        jira(
          JSON.parse('{"a":"{__proto__.polluted}","b":["{constructor.name}"],"c":{"d":"{x.prototype}"},"e":"{ spaced }","f":"{open","g":"close}","__proto__":"x"}'),
          { 'y.__proto__': {} },
        ),
        'evil',
      ),
    );
    expect(err.template).toBe('evil');
    expect(err.issues.map((i) => `${i.field} ${i.rule}`)).toEqual([
      'variables.y.__proto__ forbidden',
      'fields.a forbidden',
      'fields.b.0 forbidden',
      'fields.c.d forbidden',
      'fields.e placeholder',
      'fields.f placeholder',
      'fields.g placeholder',
      'fields.__proto__ forbidden',
    ]);
  });

  it('reads own properties only: inherited values count as missing', () => {
    const variables = Object.create({ inherited: 'from prototype' }) as Record<string, unknown>;
    expect(templateError(() => renderTemplate(jira({ summary: '{inherited}' }), variables)).missing).toEqual(['inherited']);
    expect(templateError(() => renderTemplate(jira({ summary: '{toString}' }), {})).missing).toEqual(['toString']);
    expect(templateError(() => renderTemplate(jira({ summary: '{s.length}' }), { s: 'abc' })).missing).toEqual(['s.length']);
  });

  it('indexes arrays with numeric segments', () => {
    expect(renderTemplate(jira({ summary: '{items.1.name}' }), { items: [{ name: 'a' }, { name: 'b' }] }).payload).toEqual({ summary: 'b' });
  });

  it('accepts snake_case top-level field names as SDK names', () => {
    expect(renderTemplate({ platform: 'servicenow', ticketType: 'incident', fields: { short_description: '{x}' } }, { x: 'y' }).payload).toEqual({
      shortDescription: 'y',
    });
  });

  it('renders fresh objects every time', () => {
    const t = compileTemplate(jira({ customFields: { a: ['x'] } }));
    const first = t.render({}).payload;
    (first['customFields'] as { a: string[] }).a.push('mutated');
    expect(t.render({}).payload).toEqual({ customFields: { a: ['x'] } });
  });
});

describe('template properties', () => {
  const segment = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/));
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('.'));

  it('never pollutes Object.prototype and refuses every prototype path', () => {
    fc.assert(
      fc.property(path, fc.jsonValue(), (p, value) => {
        const variables = JSON.parse(`{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}`) as Record<string, unknown>;
        const forbidden = p.split('.').some((s) => ['__proto__', 'constructor', 'prototype'].includes(s));
        try {
          const { payload } = renderTemplate(jira({ summary: `{${p}}`, [p]: { nested: `x{${p}}` } as never }), { ...variables, [p.split('.')[0] as string]: value });
          expect(forbidden).toBe(false);
          expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
        } catch (e) {
          expect(isTemplateError(e)).toBe(true);
          if (forbidden) expect((e as TemplateError).issues.some((i) => i.rule === 'forbidden')).toBe(true);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
      }),
    );
  });

  it('renders any text without placeholders back unchanged once braces are escaped', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = text.replace(/[{}]/g, (b) => b + b);
        expect(renderTemplate(jira({ summary: escaped }), {}).payload['summary']).toBe(text);
      }),
    );
  });

  it('substitutes any string value verbatim, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, value) => {
        const escaped = before.replace(/[{}]/g, (b) => b + b);
        expect(renderTemplate(jira({ summary: `${escaped}{v}` }), { v: value }).payload['summary']).toBe(before + value);
      }),
    );
  });
});

describe('TemplateRegistry', () => {
  const registry = new TemplateRegistry(DEFAULT_ITSM_CONFIG.templates);

  it('lists the four default templates', () => {
    expect(registry.list().map((t) => [t.name, t.platform, t.ticketType])).toEqual([
      ['servicenow-job-failure-incident', 'servicenow', 'incident'],
      ['servicenow-standard-change', 'servicenow', 'changeRequest'],
      ['jira-job-failure-bug', 'jira', 'issue'],
      ['jira-follow-up-task', 'jira', 'issue'],
    ]);
    expect(registry.list()[0]?.variables).toEqual(['job.id', 'job.name', 'error.summary', 'error.detail', 'urgency', 'assignmentGroup']);
    expect(registry.has('jira-follow-up-task')).toBe(true);
  });

  it('renders a default template', () => {
    expect(
      registry.render('servicenow-job-failure-incident', { job: { id: '42', name: 'nightly' }, error: { summary: 'disk full' } }).payload,
    ).toEqual({
      shortDescription: 'Job nightly failed: disk full',
      description: 'Job nightly (42) failed.\n\nNo further detail.',
      urgency: 'medium',
      impact: 'medium',
      category: 'software',
      contactType: 'self-service',
      correlationId: 'job-42',
    });
  });

  it('names an unknown template', () => {
    const err = templateError(() => registry.render('nope', {}));
    expect(err.template).toBe('nope');
    expect(err.message).toMatch(/^Unknown template "nope"; known: servicenow-job-failure-incident, /);
    expect(err.issues).toEqual([{ field: 'template', rule: 'unknown', message: 'no template named "nope"' }]);
  });

  it('reports every broken template at construction', () => {
    const err = templateError(() => new TemplateRegistry({ a: jira({ x: '{' }), b: jira({ y: '{__proto__}' }), c: jira({ z: 'ok' }) }));
    expect(err.template).toBe('a, b');
    expect(err.issues.map((i) => i.field)).toEqual(['a.fields.x', 'b.fields.y']);
  });
});

describe('every throw is a TemplateError, whatever the variables are', () => {
  const any = jira({ summary: '{value}', description: 'as text: {value}' });

  it('refuses a circular variable (it could not be sent as JSON), naming it', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const error = templateError(() => renderTemplate(any, { value: circular }));
    expect(error.issues).toEqual([{ field: 'value', rule: 'json', message: expect.stringContaining('circular') }]);
  });

  it('refuses a BigInt, a symbol and a function in an untyped slot', () => {
    for (const value of [10n, Symbol('s'), () => 1]) {
      expect(templateError(() => renderTemplate(any, { value })).issues[0]).toMatchObject({ field: 'value', rule: 'json' });
    }
    expect(templateError(() => renderTemplate(any, { value: { n: 1n } })).issues[0]).toMatchObject({ field: 'value', rule: 'json' });
  });

  it('reports a getter that throws as an unreadable variable, not the getter’s own error', () => {
    const error = templateError(() =>
      renderTemplate(any, {
        get value(): string {
          throw new RangeError('boom');
        },
      }),
    );
    expect(error.issues).toEqual([{ field: 'value', rule: 'read', message: 'could not be read (RangeError)' }]);
  });

  it('refuses fields nested deeper than 64 levels when compiling, instead of overflowing the stack', () => {
    let deep: TemplateDefinition['fields'][string] = '{x}';
    for (let i = 0; i < 2_000; i++) deep = { a: deep };
    const error = templateError(() => compileTemplate(jira({ summary: 'x', deep })));
    expect(error.issues[0]).toMatchObject({ rule: 'depth', message: 'nests deeper than 64 levels' });
  });

  it('throws only TemplateErrors for 10,000 arbitrary variable sets (property)', () => {
    const template = compileTemplate(jira({ summary: '{a}', description: 'x {b.c} y', labels: ['{d}'] }, { a: { type: 'string' }, 'b.c': { type: 'any', required: false } }));
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, maxDepth: 4 }), fc.anything({ withBigInt: true, maxDepth: 3 }), (a, rest) => {
        try {
          template.render({ a, b: { c: rest }, d: rest } as never);
        } catch (e) {
          if (!isTemplateError(e)) throw e;
        }
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('regression (fuzz): definitions that are not objects or cannot be read', () => {
  it('compileTemplate refuses a missing definition with a TemplateError', () => {
    for (const definition of [undefined, null, 'x', []]) {
      expect(() => compileTemplate(definition as unknown as TemplateDefinition, 'bad')).toThrow(expect.objectContaining({ name: 'TemplateError', template: 'bad', issues: [expect.objectContaining({ field: '(root)', rule: 'type' })] }));
    }
  });

  it('a getter that throws in the fields is a TemplateError at its path', () => {
    const fields = Object.defineProperty({}, 'summary', { get: () => { throw new Error('trap'); }, enumerable: true });
    expect(() => compileTemplate({ platform: 'jira', ticketType: 'issue', fields } as TemplateDefinition, 't')).toThrow(expect.objectContaining({ name: 'TemplateError', issues: [expect.objectContaining({ field: 'fields.summary', rule: 'unreadable' })] }));
  });

  it('TemplateRegistry refuses templates that are not an object, or a name whose definition cannot be read', () => {
    expect(() => new TemplateRegistry(null as unknown as Record<string, TemplateDefinition>)).toThrow(expect.objectContaining({ name: 'TemplateError', issues: [expect.objectContaining({ rule: 'type' })] }));
    const templates = Object.defineProperty({}, 'broken', { get: () => { throw new Error('trap'); }, enumerable: true });
    expect(() => new TemplateRegistry(templates)).toThrow(expect.objectContaining({ name: 'TemplateError', template: 'broken', issues: [expect.objectContaining({ field: 'broken', rule: 'unreadable' })] }));
  });
});
