import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../src/core/errors.js';
import { isBoundedJql, jql, jqlString, jqlValue } from '../../src/jira/jql.js';
import { parseJql } from '../../src/testing/fake-jira/jql.js';

describe('jql quoting', () => {
  it('quotes strings and escapes quotes, backslashes and control characters', () => {
    expect(jqlString('a "b" \\ c\nd\u0001')).toBe('"a \\"b\\" \\\\ c\\nd\\u0001"');
    expect(jql`project = ${'OPS'} AND labels in ${['a', 'b c']} AND votes = ${3}`).toBe('project = "OPS" AND labels in ("a", "b c") AND votes = 3');
  });

  it('refuses values it cannot render safely', () => {
    for (const bad of [Number.NaN, [], null, { a: 1 }] as unknown[]) {
      let error: unknown;
      try {
        jqlValue(bad as string);
      } catch (e) {
        error = e;
      }
      expect(isValidationError(error)).toBe(true);
    }
  });

  it('no value can break out of its literal: the parsed query keeps it as one value (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 4 }), (value, list) => {
        const parsed = parseJql(jql`project = ${'OPS'} AND labels = ${value} AND summary in ${list} ORDER BY created DESC`);
        expect(parsed.where).toEqual({
          type: 'and',
          left: { type: 'and', left: { type: 'clause', field: 'project', op: '=', values: ['OPS'] }, right: { type: 'clause', field: 'labels', op: '=', values: [value] } },
          right: { type: 'clause', field: 'summary', op: 'in', values: list },
        });
        expect(parsed.orderBy).toEqual([{ field: 'created', direction: 'DESC' }]);
      }),
      { numRuns: 500 },
    );
  });

  it('tells bounded from unbounded queries', () => {
    expect(isBoundedJql('')).toBe(false);
    expect(isBoundedJql('  ORDER BY key DESC')).toBe(false);
    expect(isBoundedJql('project = OPS ORDER BY created DESC')).toBe(true);
  });
});

describe('regression (fuzz): lists that cannot be rendered are ValidationErrors, never a stack overflow', () => {
  it('a nested, deep or cyclic list is refused as a type error', () => {
    const cyclic: unknown[] = ['a'];
    cyclic.push(cyclic);
    let deep: unknown = ['x'];
    for (let i = 0; i < 3_000; i++) deep = [deep];
    for (const list of [[['a']], cyclic, deep]) {
      expect(() => jqlValue(list as string[])).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ field: 'jql', rule: 'type' })] }));
    }
  });

  it('a list whose items cannot be read (a throwing Proxy) is refused with rule "unreadable"', () => {
    const trap = new Proxy(['a'], { get: () => { throw new Error('trap'); } });
    expect(() => jql`labels in ${trap}`).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ field: 'jql value 1', rule: 'unreadable' })] }));
  });
});
