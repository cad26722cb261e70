import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/core/keyed-create.js';

describe('fingerprintOf', () => {
  it('is the same for equal bodies whatever their key order', () => {
    expect(fingerprintOf({ a: 1, b: [1, { c: 'x' }] })).toBe(fingerprintOf({ b: [1, { c: 'x' }], a: 1 }));
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: 2 }));
  });

  describe('regression (fuzz): bodies with no JSON form are ValidationErrors at their path', () => {
    it('a cycle, deep nesting, a BigInt or a throwing getter', () => {
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic['self'] = cyclic;
      let deep: unknown = 'x';
      for (let i = 0; i < 3_000; i++) deep = { a: deep };
      const cases: [unknown, string, string][] = [
        [cyclic, 'depth', 'self.self'],
        [deep, 'depth', 'a.a.a'],
        [{ fields: { n: 10n } }, 'type', 'fields.n'],
        [{ list: [1, 2n] }, 'type', 'list.1'],
        [Object.defineProperty({}, 'x', { get: () => { throw new Error('trap'); }, enumerable: true }), 'unreadable', 'x'],
      ];
      for (const [body, rule, path] of cases) {
        expect(() => fingerprintOf(body)).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ rule, field: expect.stringContaining(path) })] }));
      }
    });
  });
});
