import { describe, expect, it } from 'vitest';
import { compileSafePattern, unsafePatternReason } from '../../src/tickets/safe-pattern.js';

describe('unsafePatternReason', () => {
  it.each([
    ['(a+)+', /nested quantifier/],
    ['(a*)*', /nested quantifier/],
    ['^(a+)+$', /nested quantifier/],
    ['(?:\\w+\\s?)*$', /nested quantifier/],
    ['((ab)*c)+', /nested quantifier/],
    ['(ab?){2,}', /nested quantifier/],
    ['(a|a)*', /repeated alternation/],
    ['(ab|a)+', /repeated alternation/],
    ['(\\d|x)*', /repeated alternation/],
    ['(a|)+', /repeated alternation/],
    ['(.|\\s)*', /repeated alternation/],
    ['(a)\\1', /backreference/],
    ['(?<x>a)\\k<x>', /named backreference/],
  ])('refuses %s', (pattern, reason) => {
    expect(unsafePatternReason(pattern)).toMatch(reason);
    expect(compileSafePattern(pattern)).toEqual({ error: expect.stringMatching(/refused as unsafe/) });
  });

  it.each([
    '^[A-Z][A-Z0-9_]{1,9}$',
    '^\\d{4}-\\d{2}-\\d{2}$',
    '^[^\\s@]+@[^\\s@]+$',
    '^(?:foo|bar)+$',
    '^(a|b|c)*$',
    '^(ab)+$',
    '^(\\.\\d+)?$',
    '^[(a+)+]$',
    '^\\(a+\\)+$',
    '^\\u{1F600}+$',
    '^(?=a)[a-z]+$',
    '^(?<year>\\d{4})$',
    '^x{2}$',
  ])('accepts %s', (pattern) => {
    expect(unsafePatternReason(pattern)).toBeUndefined();
    expect(compileSafePattern(pattern)).toEqual({ regex: expect.any(RegExp) });
  });

  it('reports syntax errors as invalid patterns', () => {
    expect(compileSafePattern('(')).toEqual({ error: expect.stringMatching(/not a valid regular expression/) });
    expect(compileSafePattern('a{')).toEqual({ error: expect.stringMatching(/not a valid regular expression/) });
  });
});
