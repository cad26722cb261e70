import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidationError, ValidationError } from '../../src/core/errors.js';
import { encodedQuery } from '../../src/servicenow/encoded-query.js';
import { parseQuery, splitTerms } from '../../src/testing/fake-servicenow/query.js';

describe('encodedQuery', () => {
  it('writes every operator', () => {
    const q = encodedQuery()
      .where('a', '=', 'x')
      .where('b', '!=', 2)
      .where('c', 'LIKE', 'vpn')
      .where('d', 'NOT LIKE', 'test')
      .where('e', 'STARTSWITH', 'SAP')
      .where('f', 'ENDSWITH', 'db')
      .where('g', 'IN', ['1', 2, true])
      .where('h', 'NOT IN', ['x'])
      .where('i', 'ISEMPTY')
      .where('j', 'ISNOTEMPTY')
      .where('k', '<', 1)
      .where('l', '<=', 2)
      .where('m', '>', 3)
      .where('n', '>=', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(q.toString()).toBe(
      'a=x^b!=2^cLIKEvpn^dNOT LIKEtest^eSTARTSWITHSAP^fENDSWITHdb^gIN1,2,true^hNOT INx^iISEMPTY^jISNOTEMPTY^k<1^l<=2^m>3^n>=2026-01-02 03:04:05',
    );
  });

  it('joins OR, NQ and sorts', () => {
    const q = encodedQuery<'active' | 'priority' | 'state' | 'number'>()
      .where('active', '=', true)
      .or('priority', '=', 1)
      .newQuery()
      .where('state', 'IN', [6, 7])
      .orderBy('number')
      .orderByDesc('priority');
    expect(q.toString()).toBe('active=true^ORpriority=1^NQstateIN6,7^ORDERBYnumber^ORDERBYDESCpriority');
    expect(q.fields()).toEqual(['active', 'priority', 'state', 'number', 'priority']);
    expect(encodedQuery().orderBy('number').toString()).toBe('ORDERBYnumber');
    expect(encodedQuery().isEmpty).toBe(true);
  });

  it('is immutable', () => {
    const base = encodedQuery().where('active', '=', true);
    const a = base.where('priority', '=', 1);
    expect(base.toString()).toBe('active=true');
    expect(a.toString()).toBe('active=true^priority=1');
  });

  it('doubles carets so ^OR and ^NQ in a value stay in the value', () => {
    const q = encodedQuery().where('short_description', '=', 'x^NQactive=false^ORpriority=1');
    expect(q.toString()).toBe('short_description=x^^NQactive=false^^ORpriority=1');
    const parsed = parseQuery(q.toString());
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]).toEqual([[{ field: 'short_description', operator: '=', value: 'x^NQactive=false^ORpriority=1' }]]);
  });

  it('can refuse carets instead', () => {
    expect(() => encodedQuery({ caret: 'reject' }).where('a', '=', 'x^y')).toThrow(ValidationError);
  });

  it('refuses what could change the query', () => {
    const issue = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(isValidationError(error)).toBe(true);
        return (error as ValidationError).issues[0];
      }
      throw new Error('did not throw');
    };
    expect(issue(() => encodedQuery().where('ORactive' as string, '=', 1))).toMatchObject({ field: 'ORactive', rule: 'field' });
    expect(issue(() => encodedQuery().where('a=1^b', '=', 1))).toMatchObject({ rule: 'field' });
    expect(issue(() => encodedQuery().where('a', 'IN', ['x,y']))).toMatchObject({ field: 'a', rule: 'comma' });
    expect(issue(() => encodedQuery().where('a', 'IN', []))).toMatchObject({ rule: 'in' });
    expect(issue(() => encodedQuery().where('a', '=', ' javascript:gs.getUserID()'))).toMatchObject({ rule: 'javascript' });
    expect(issue(() => encodedQuery().where('a', '=', Number.NaN))).toMatchObject({ rule: 'type' });
    expect(issue(() => encodedQuery().where('a', '<', '=5'))).toMatchObject({ rule: 'ambiguous' });
    expect(issue(() => encodedQuery().where('a', '=', null as unknown as string))).toMatchObject({ rule: 'type' });
    expect(issue(() => encodedQuery().where('a', 'DROP' as '=', 'x'))).toMatchObject({ rule: 'operator' });
    expect(issue(() => encodedQuery().or('a', '=', 'x'))).toMatchObject({ rule: 'or' });
    expect(issue(() => encodedQuery().newQuery())).toMatchObject({ rule: 'nq' });
  });

  it('never lets a value add a clause (property)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[\^ORNQa-z=,]{0,12}$/),
      fc.constantFrom('^', '^^', '^OR', '^NQ', 'x^ORactive=true', '^NQpriority=1', 'a^', '^^^OR'),
    );
    const ops = fc.constantFrom('=', '!=', 'LIKE', 'STARTSWITH', 'ENDSWITH', '<', '>=') as fc.Arbitrary<'=' | '!=' | 'LIKE' | 'STARTSWITH' | 'ENDSWITH' | '<' | '>='>;
    fc.assert(
      fc.property(fc.array(fc.tuple(ops, value, fc.boolean()), { minLength: 1, maxLength: 6 }), (conditions) => {
        const safe = conditions.filter(([op, v]) => !/^\s*javascript:/i.test(v) && !(op === '<' && v.startsWith('=')));
        fc.pre(safe.length > 0);
        let q = encodedQuery();
        safe.forEach(([op, v, or], i) => {
          q = i > 0 && or ? q.or(`f${i}`, op, v) : q.where(`f${i}`, op, v);
        });
        const parsed = parseQuery(q.toString());
        const all = parsed.groups.flat(2);
        expect(parsed.groups).toHaveLength(1);
        expect(all.map((c) => c.value)).toEqual(safe.map(([, v]) => v));
        expect(all.map((c) => c.field)).toEqual(safe.map((_, i) => `f${i}`));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps IN lists to their values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string().filter((s) => !s.includes(',') && !/^\s*javascript:/i.test(s)), { minLength: 1, maxLength: 5 }), (values) => {
        const q = encodedQuery().where('state', 'IN', values).where('active', '=', true);
        const terms = splitTerms(q.toString());
        expect(terms).toHaveLength(2);
        expect(terms[0]).toBe(`stateIN${values.join(',')}`);
      }),
    );
  });
});

describe('regression (fuzz): values that cannot be read or printed are ValidationErrors', () => {
  it('a field or operator without a string form is named by its type', () => {
    const bare = Object.create(null) as string;
    expect(() => encodedQuery().where(bare, '=', 'x')).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ field: '(object)', rule: 'field' })] }));
    expect(() => encodedQuery().where('a', bare as '=', 'x')).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ rule: 'operator', message: 'unknown operator "(object)"' })] }));
  });

  it('a throwing Proxy as a value or an IN list is refused', () => {
    const trap = () => { throw new Error('trap'); };
    expect(() => encodedQuery().where('a', '=', new Proxy({}, { get: trap, getPrototypeOf: trap }) as string)).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ field: 'a', rule: 'type' })] }));
    expect(() => encodedQuery().where('a', 'IN', new Proxy(['x'], { get: trap }))).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ field: 'a', rule: 'unreadable' })] }));
  });
});
