import { describe, expect, it } from 'vitest';
import { credentialIssues } from '../../src/connections/credential-issues.js';

describe('credentialIssues', () => {
  it('names every credential-like key with its path, arrays included', () => {
    expect(credentialIssues({ spaces: 'ENG', nested: [{ apiToken: 'x' }] }, 'config')).toEqual([expect.objectContaining({ field: 'config.nested.0.apiToken', rule: 'no_credentials' })]);
  });

  it('regression (fuzz): a sparse array is walked (holes read as undefined), not a TypeError', () => {
    const sparse: unknown[] = [];
    sparse[3] = { password: 'x' };
    expect(credentialIssues({ list: sparse }, 'config')).toEqual([expect.objectContaining({ field: 'config.list.3.password' })]);
  });
});
