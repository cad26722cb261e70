import { describe, expect, it } from 'vitest';
import { parseJiraError } from '../../src/jira/parse-error.js';

describe('parseJiraError', () => {
  it('reads field errors into issues under camelCase names', () => {
    expect(parseJiraError({ errorMessages: [], errors: { issuetype: 'valid issue type is required', summary: 'You must specify a summary of the issue.', customfield_10010: 'bad' } })).toEqual({
      message: 'issueType: valid issue type is required; summary: You must specify a summary of the issue.; customfield_10010: bad',
      issues: [
        { field: 'issueType', rule: 'server', message: 'valid issue type is required' },
        { field: 'summary', rule: 'server', message: 'You must specify a summary of the issue.' },
        { field: 'customfield_10010', rule: 'server', message: 'bad' },
      ],
    });
  });

  it('uses errorMessages as the headline and detail', () => {
    expect(parseJiraError({ errorMessages: ["Field 'priority' is required", 'second'], errors: {} })).toEqual({ message: "Field 'priority' is required", detail: 'second' });
  });

  it('reads problem+json, the older {message} shape and text/html bodies', () => {
    expect(parseJiraError({ type: 'about:blank', title: 'Unsupported Media Type', status: 415, detail: "Content-Type 'null' is not supported." })).toEqual({
      message: 'Unsupported Media Type',
      detail: "Content-Type 'null' is not supported.",
    });
    expect(parseJiraError({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 })).toEqual({ message: 'Client must be authenticated to access this resource.' });
    expect(parseJiraError('<html><head><title>x</title><style>p{}</style></head><body><p>Client must be&nbsp;authenticated.</p></body></html>')).toEqual({ message: 'x Client must be authenticated.' });
    expect(parseJiraError({})).toBeUndefined();
    expect(parseJiraError('')).toBeUndefined();
    expect(parseJiraError(null)).toBeUndefined();
  });
});
