import { describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';

const unused: typeof fetch = () => Promise.reject(new Error('no request expected'));

describe('client.redactSecrets', () => {
  it('removes a ServiceNow client\'s password, plain and URL-encoded, and leaves other text alone', () => {
    const sn = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'svc', password: 'p@ss w0rd/x' }, fetch: unused });
    const text = sn.redactSecrets(`login p@ss w0rd/x failed; retried with ${encodeURIComponent('p@ss w0rd/x')} for svc`);
    expect(text).not.toContain('p@ss w0rd/x');
    expect(text).not.toContain(encodeURIComponent('p@ss w0rd/x'));
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('for svc');
  });

  it('removes a Jira client\'s API token', () => {
    const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'ops@acme.example', apiToken: 'ATATT3xFfGF0-secret-token' }, fetch: unused });
    expect(jira.redactSecrets('token ATATT3xFfGF0-secret-token refused')).toBe('token [REDACTED] refused');
  });
});
