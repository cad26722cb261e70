import { describe, expect, it } from 'vitest';
import { isConfigError, type ConfigError } from '../../src/core/errors.js';
import { JiraClient, type JiraClientOptions } from '../../src/jira/client.js';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/client.js';

function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const jira = (options: Partial<JiraClientOptions>) => () => new JiraClient({ auth: { type: 'basic', email: 'ops@example.com', apiToken: 't0ken' }, ...options } as JiraClientOptions);
const sn = (options: Partial<ServiceNowClientOptions>) => () => new ServiceNowClient({ auth: { type: 'basic', username: 'admin', password: 'pw' }, ...options } as ServiceNowClientOptions);

describe('client options are checked for their product, each problem said once', () => {
  it('refuses a Jira baseUrl with the REST path, showing the URL to use (Cloud, and Data Center with a context path)', () => {
    expect(configError(jira({ baseUrl: 'https://acme.atlassian.net/rest/api/3' })).message).toBe(
      'Invalid JiraClient options: baseUrl: is the site root without the REST path: use "https://acme.atlassian.net" (the client adds /rest/api/3 or /rest/api/2)',
    );
    expect(configError(jira({ baseUrl: 'https://jira.acme.com/jira/rest/api/2/', deployment: 'datacenter', auth: { type: 'bearer', token: 'pat' } })).message).toContain(
      'use "https://jira.acme.com/jira"',
    );
    expect(() => jira({ baseUrl: 'https://jira.acme.com/jira' })()).not.toThrow();
  });

  it('names Jira, not ServiceNow, when the Jira baseUrl is missing or malformed', () => {
    expect(configError(jira({})).message).toBe('Invalid JiraClient options: baseUrl: is required, e.g. https://acme.atlassian.net');
    expect(configError(jira({ baseUrl: 'acme.atlassian.net' })).message).toBe('Invalid JiraClient options: baseUrl: is not an absolute URL such as https://acme.atlassian.net');
  });

  it('refuses a ServiceNow instanceUrl with a path, showing the instance root to use', () => {
    const error = configError(sn({ instanceUrl: 'https://acme.service-now.com/api/now/table/incident' }));
    expect(error.message).toBe('Invalid ServiceNowClient options: instanceUrl: is the instance root without a path: use "https://acme.service-now.com" (the client adds /api/now/...)');
  });

  it('reports missing credentials under the client name, the field once', () => {
    expect(configError(sn({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin' } as never })).message).toBe(
      'Invalid ServiceNowClient options: auth.password: is required (a non-empty string)',
    );
    expect(configError(jira({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'ops@example.com' } as never })).message).toBe(
      'Invalid JiraClient options: auth.apiToken: is required (a non-empty string)',
    );
    expect(configError(jira({ baseUrl: 'https://acme.atlassian.net', auth: undefined as never })).issues).toEqual([
      { field: 'auth', rule: 'required', message: 'is required: {type: "basic" | "bearer" | "oauth", ...}' },
    ]);
  });
});
