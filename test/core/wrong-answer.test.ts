import { describe, expect, it } from 'vitest';
import { isUnexpectedResponseError } from '../../src/core/errors.js';
import { wrongAnswer } from '../../src/core/wrong-answer.js';

describe('wrongAnswer', () => {
  it('is an UnexpectedResponseError that names the problem and keeps the body off the message', () => {
    const body = { records: [], email: 'someone@example.com' };
    const error = wrongAnswer(
      { status: 200, requestId: 'r-1', retry: { attempts: 1, elapsedMs: 3, delaysMs: [] }, data: body },
      { platform: 'jira', method: 'GET', url: 'https://acme.atlassian.net/rest/api/3/issue/OPS-1' },
      'has no "key" (a string)',
    );
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(error.message).toBe('jira GET https://acme.atlassian.net/rest/api/3/issue/OPS-1 answered 200. The answer has no "key" (a string)');
    expect(error.message).not.toContain('someone@example.com');
    expect(error.body).toBe(body);
    expect(error.requestId).toBe('r-1');
    expect(JSON.stringify(error)).not.toContain('someone@example.com');
  });
});
