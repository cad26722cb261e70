import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveCorrelationKey } from '../../src/tickets/correlation-key.js';

describe('deriveCorrelationKey', () => {
  it('is job id + name when both are safe', () => {
    expect(deriveCorrelationKey('4711', 'jira-job-failure-bug')).toBe('job-4711.jira-job-failure-bug');
  });

  it('is deterministic, safe for ServiceNow and Jira, and keeps distinct inputs distinct', () => {
    expect(deriveCorrelationKey('a b', 't')).not.toBe(deriveCorrelationKey('a-b', 't'));
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100 }), (id, name) => {
        const key = deriveCorrelationKey(id, name);
        expect(key).toBe(deriveCorrelationKey(id, name));
        expect(key).toMatch(/^[A-Za-z0-9._-]{1,96}$/);
      }),
    );
  });
});
