import { describe, expect, it } from 'vitest';
import {
  isConfigError,
  isServerError,
  isTemplateError,
  isValidationError,
  type ConfigError,
  type TemplateError,
  type ValidationError,
} from '../../src/core/errors.js';
import { handlerFetch } from '../../src/testing/handler.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { deriveCorrelationKey } from '../../src/tickets/correlation-key.js';
import { loadItsmConfig } from '../../src/tickets/config.js';
import { TicketService } from '../../src/tickets/ticket-service.js';
import { CANARY, setup, unexpected } from './support.js';

const incident = { shortDescription: 'VPN down in Zurich', description: 'Users cannot connect.', urgency: 'high', impact: 'medium', client: 'Archer Insurance' };
const bugVariables = { projectKey: 'OPS', error: { summary: 'disk full', detail: 'No space left on /var' } };
const job = { id: '4711', name: 'nightly-export' };

describe('TicketService.create', () => {
  it('validates, maps to wire names and creates a ServiceNow incident', async () => {
    const { tickets, snFake, metrics } = setup();
    const result = await tickets.create({ platform: 'servicenow', payload: incident, correlationKey: 'alert-42' });

    const post = snFake.requestsTo('/api/now/table/incident', 'POST');
    expect(post).toHaveLength(1);
    expect(post[0]?.body).toEqual({
      short_description: 'VPN down in Zurich',
      description: 'Users cannot connect.',
      urgency: '1',
      impact: '2',
      u_client: 'Archer Insurance',
      correlation_id: 'alert-42',
    });
    const row = snFake.table('incident')[0];
    expect(result).toMatchObject({
      outcome: 'success',
      platform: 'servicenow',
      type: 'incident',
      id: row?.['sys_id'],
      number: row?.['number'],
      key: undefined,
      url: `https://acme.service-now.com/incident.do?sys_id=${row?.['sys_id']}`,
      correlationKey: 'alert-42',
      reconciled: false,
      retry: { attempts: 1 },
      jobId: undefined,
    });
    expect(metrics.counter('itsm_ticket_creation_total', { platform: 'servicenow', outcome: 'success' })).toBe(1);
    expect(metrics.histogram('itsm_ticket_creation_duration_seconds', { platform: 'servicenow', outcome: 'success' })?.count).toBe(1);
  });

  it('creates a ServiceNow change request', async () => {
    const { tickets, snFake } = setup();
    const result = await tickets.create({ platform: 'servicenow', type: 'changeRequest', payload: { type: 'standard', shortDescription: 'Deploy api 2.1', risk: 'low' } });
    expect(snFake.requestsTo('/api/now/table/change_request', 'POST')[0]?.body).toEqual({ type: 'standard', short_description: 'Deploy api 2.1', risk: '4' });
    expect(result.number).toMatch(/^CHG\d{7}$/);
  });

  it('creates a Jira issue with its correlation key', async () => {
    const { tickets, jiraFake } = setup();
    const result = await tickets.create({ platform: 'jira', payload: { projectKey: 'OPS', issueType: 'Task', summary: 'Rotate certs', labels: ['ops'] }, correlationKey: 'rotate-1' });
    expect(result).toMatchObject({ outcome: 'success', platform: 'jira', type: 'issue', key: 'OPS-1', url: 'https://acme.atlassian.net/browse/OPS-1', correlationKey: 'rotate-1' });
    expect(jiraFake.issuesWithLabel('itsmkit-corr-rotate-1')).toHaveLength(1);
  });

  it('reports every field issue at once, sends nothing, and counts each field', async () => {
    const { tickets, snFake, metrics } = setup();
    const error = (await tickets
      .create({ platform: 'servicenow', payload: { description: 'x'.repeat(4001), urgency: 'urgent', shortDescriptoin: 'typo' } })
      .then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(isValidationError(error)).toBe(true);
    expect(error.issues.map((i) => [i.field, i.rule])).toEqual([
      ['shortDescription', 'required'],
      ['description', 'maxLength'],
      ['urgency', 'enum'],
      ['shortDescriptoin', 'unknown'],
    ]);
    expect(snFake.requestsTo('/api/now/table/', 'POST')).toHaveLength(0);
    for (const field of ['shortDescription', 'description', 'urgency', '(unknown)']) {
      expect(metrics.counter('itsm_validation_errors_total', { platform: 'servicenow', field })).toBe(1);
    }
    expect(metrics.counter('itsm_ticket_creation_total', { platform: 'servicenow', outcome: 'validation_error' })).toBe(1);
  });

  it('refuses an unknown platform or ticket type naming the path, before counting anything', async () => {
    const { tickets, metrics } = setup();
    const bad = (await tickets.create({ platform: 'zendesk' as never, payload: {} }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(isValidationError(bad)).toBe(true);
    expect(bad.issues).toEqual([{ field: 'platform', rule: 'enum', message: 'must be one of: servicenow, jira' }]);
    const type = (await tickets.create({ platform: 'jira', type: 'incident', payload: {} }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(type.issues[0]?.field).toBe('type');
    expect(metrics.series()).toEqual([]);
  });

  it('needs the platform client it is asked to use', async () => {
    const tickets = new TicketService();
    const error = (await tickets.create({ platform: 'jira', payload: {} }).then(unexpected, (e: unknown) => e)) as ConfigError;
    expect(isConfigError(error)).toBe(true);
    expect(error.issues[0]?.field).toBe('jira');
  });

  it('takes an already loaded config as it is (the merged defaults are not re-checked as user input)', () => {
    // A narrowed incident mapping that the built-in incident templates no longer fit: loading it
    // again used to treat those templates as the user's and throw.
    const narrowed = { fieldMapping: { servicenow: { incident: { shortDescription: { required: true, maxLength: 160 } } } } };
    const config = loadItsmConfig(narrowed);
    const tickets = new TicketService({ config });
    expect(tickets.config).toBe(config);
  });

  it('refuses a config with a typo, naming the key as written', () => {
    const error = (() => {
      try {
        return new TicketService({ config: { retry_policy: { max_retrys: 3 } } as never });
      } catch (e) {
        return e as ConfigError;
      }
    })() as ConfigError;
    expect(isConfigError(error)).toBe(true);
    expect(error.issues.map((i) => i.field)).toContain('retry_policy.max_retrys');
  });

  it('refuses Jira fields the mapping knows but the client cannot send, instead of dropping them', async () => {
    const { tickets, jiraFake } = setup();
    const error = (await tickets
      .create({ platform: 'jira', payload: { projectKey: 'OPS', issueType: 'Task', summary: 'x', environment: 'prod' } })
      .then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(error.issues).toEqual([{ field: 'environment', rule: 'unsupported', message: expect.stringContaining('cannot send') }]);
    expect(jiraFake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('TicketService.createFromTemplate', () => {
  it('injects the job, derives the correlation key from job id and template, and creates the issue', async () => {
    const { tickets, jiraFake, logger } = setup();
    const result = await tickets.createFromTemplate('jira-job-failure-bug', bugVariables, { job });
    const issue = jiraFake.issues.get(result.id);
    expect(issue?.fields['summary']).toBe('Job nightly-export failed: disk full');
    expect(result).toMatchObject({ template: 'jira-job-failure-bug', jobId: '4711', correlationKey: 'job-4711.jira-job-failure-bug' });
    expect(issue?.fields['labels']).toEqual(['itsmkit', 'job-failure', 'itsmkit-corr-job-4711.jira-job-failure-bug']);
    expect(logger.lines.at(-1)?.fields).toMatchObject({ jobId: '4711', platform: 'jira', operation: 'createFromTemplate', outcome: 'success', template: 'jira-job-failure-bug' });
  });

  it("keeps a ServiceNow template's own correlationId", async () => {
    const { tickets, snFake } = setup();
    const result = await tickets.createFromTemplate('servicenow-job-failure-incident', { error: { summary: 'exit 1' } }, { job });
    expect(result.correlationKey).toBe('job-4711');
    expect(snFake.requestsTo('/api/now/table/incident', 'POST')[0]?.body).toMatchObject({ correlation_id: 'job-4711', short_description: 'Job nightly-export failed: exit 1' });
  });

  it('an unknown template is a TemplateError naming it, counted as (unknown)', async () => {
    const { tickets, metrics } = setup();
    const error = (await tickets.createFromTemplate('no-such-template', {}).then(unexpected, (e: unknown) => e)) as TemplateError;
    expect(isTemplateError(error)).toBe(true);
    expect(error.issues).toEqual([{ field: 'template', rule: 'unknown', message: 'no template named "no-such-template"' }]);
    expect(metrics.counter('itsm_template_rendering_errors_total', { template_name: '(unknown)' })).toBe(1);
    expect(metrics.counter('itsm_ticket_creation_total')).toBe(0);
  });

  it('a variable of the wrong type and missing ones are one TemplateError naming each path', async () => {
    const { tickets, metrics, jiraFake } = setup();
    const error = (await tickets
      .createFromTemplate('jira-job-failure-bug', { projectKey: 'OPS', labels: 'not-a-list' }, { job })
      .then(unexpected, (e: unknown) => e)) as TemplateError;
    expect(error.missing).toEqual(['error.summary']);
    expect(error.issues).toEqual([{ field: 'labels', rule: 'type', message: 'must be an array (got string)' }]);
    expect(metrics.counter('itsm_template_rendering_errors_total', { template_name: 'jira-job-failure-bug' })).toBe(1);
    expect(jiraFake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('previews without sending, with the issues the payload would be refused for', () => {
    const { tickets, jiraFake } = setup();
    const preview = tickets.previewTemplate('jira-job-failure-bug', { ...bugVariables, projectKey: 'lowercase' }, { job });
    expect(preview.payload['summary']).toBe('Job nightly-export failed: disk full');
    expect(preview.correlationKey).toBe('job-4711.jira-job-failure-bug');
    expect(preview.issues.map((i) => i.field)).toEqual(['projectKey']);
    expect(jiraFake.requests).toHaveLength(0);
  });
});

describe('no duplicates under injected faults', () => {
  it('ServiceNow: a 503 after the incident landed is resolved by correlation id, one incident', async () => {
    const { tickets, snFake, metrics } = setup();
    snFake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST', path: '/incident' } });
    const result = await tickets.createFromTemplate('servicenow-job-failure-incident', { error: { summary: 'exit 1' } }, { job });
    expect(result).toMatchObject({ reconciled: true, retry: { attempts: 2 } });
    expect(snFake.table('incident').filter((r) => r['correlation_id'] === 'job-4711')).toHaveLength(1);
    expect(snFake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
    expect(metrics.counter('itsm_ticket_retry_attempts_total', { platform: 'servicenow' })).toBe(1);
    expect(metrics.counter('itsm_ticket_creation_total', { platform: 'servicenow', outcome: 'success' })).toBe(1);
  });

  it('ServiceNow: a connection reset after the write, with a derived key, still one incident', async () => {
    const { tickets, snFake } = setup();
    snFake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST', path: '/incident' } });
    const result = await tickets.create({ platform: 'servicenow', payload: incident, job });
    expect(result.correlationKey).toBe(deriveCorrelationKey('4711', 'servicenow-incident'));
    expect(result.reconciled).toBe(true);
    expect(snFake.table('incident')).toHaveLength(1);
  });

  it('Jira: a 503 after the issue landed is resolved by correlation key, one issue', async () => {
    const { tickets, jiraFake, metrics } = setup();
    jiraFake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST', path: '/issue' } });
    const result = await tickets.createFromTemplate('jira-job-failure-bug', bugVariables, { job });
    expect(result.reconciled).toBe(true);
    expect(jiraFake.issuesWithLabel('itsmkit-corr-job-4711.jira-job-failure-bug')).toHaveLength(1);
    expect(metrics.counter('itsm_ticket_retry_attempts_total', { platform: 'jira' })).toBe(1);
  });

  it('the same key twice makes one ticket on each platform: the second call returns it with created: false', async () => {
    const { tickets, snFake, jiraFake } = setup();
    const sn1 = await tickets.create({ platform: 'servicenow', payload: incident, correlationKey: 'alert-4711' });
    const sn2 = await tickets.create({ platform: 'servicenow', payload: incident, correlationKey: 'alert-4711' });
    expect([sn1.created, sn2.created]).toEqual([true, false]);
    expect(sn2.id).toBe(sn1.id);
    expect(snFake.table('incident')).toHaveLength(1);
    const j1 = await tickets.createFromTemplate('jira-job-failure-bug', bugVariables, { job });
    const j2 = await tickets.createFromTemplate('jira-job-failure-bug', bugVariables, { job });
    expect([j1.created, j2.created]).toEqual([true, false]);
    expect(j2.key).toBe(j1.key);
    expect(jiraFake.issuesWithLabel('itsmkit-corr-job-4711.jira-job-failure-bug')).toHaveLength(1);
  });

  it('counts duplicates a lookup finds in itsm_ticket_duplicates_total', async () => {
    const { tickets, snFake, metrics } = setup();
    // Two incidents with one key, written outside the SDK.
    for (const n of [1, 2]) snFake.insert('incident', { short_description: `outside ${n}`, correlation_id: 'alert-dup' });
    const result = await tickets.create({ platform: 'servicenow', payload: incident, correlationKey: 'alert-dup' });
    expect(result.created).toBe(false);
    expect(result.number).toBe('INC0010001');
    expect(metrics.counter('itsm_ticket_duplicates_total', { platform: 'servicenow' })).toBe(1);
  });

  it('429 and a 503 before the write are retried; every retry counted', async () => {
    const { tickets, snFake, metrics } = setup();
    snFake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } }, match: { method: 'POST' } });
    snFake.faults.add({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' } });
    const result = await tickets.create({ platform: 'servicenow', payload: incident, correlationKey: 'k-1' });
    expect(result.retry.attempts).toBe(3);
    expect(snFake.table('incident')).toHaveLength(1);
    expect(metrics.counter('itsm_ticket_retry_attempts_total', { platform: 'servicenow' })).toBe(2);
  });

  it('without a correlation key an ambiguous failure is not re-sent, and counts as an error', async () => {
    const { tickets, snFake, metrics, logger } = setup();
    snFake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST' } });
    const error = await tickets.create({ platform: 'servicenow', payload: incident }).then(unexpected, (e: unknown) => e);
    expect(isServerError(error)).toBe(true);
    expect(snFake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
    expect(metrics.counter('itsm_ticket_creation_total', { platform: 'servicenow', outcome: 'error' })).toBe(1);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'error', fields: { jobId: null, platform: 'servicenow', operation: 'create', outcome: 'error', status: 503 } });
  });
});

describe('concurrency, events and logs', () => {
  it('keeps at most `concurrency` platform calls in flight, and every creation succeeds', async () => {
    const { snFake } = setup();
    let inFlight = 0;
    let peak = 0;
    const fetch = handlerFetch(async (request) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      try {
        return await snFake.handle(request);
      } finally {
        inFlight--;
      }
    });
    const servicenow = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin', password: CANARY }, fetch });
    const tickets = new TicketService({ servicenow, concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => tickets.create({ platform: 'servicenow', payload: { shortDescription: `t${i}` } })));
    expect(results.every((r) => r.outcome === 'success')).toBe(true);
    expect(peak).toBe(3);
    expect(snFake.table('incident')).toHaveLength(12);
  });

  it('stops counting retries after close()', async () => {
    const { tickets, snFake, metrics } = setup();
    tickets.close();
    snFake.faults.add({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' } });
    await tickets.create({ platform: 'servicenow', payload: incident, correlationKey: 'k-2' });
    expect(metrics.counter('itsm_ticket_retry_attempts_total')).toBe(0);
  });

  it('log lines carry job id, platform, operation and outcome, and never the secret', async () => {
    const { tickets, logger } = setup({ password: `${CANARY}-wrong` });
    await tickets.create({ platform: 'servicenow', payload: incident, job }).catch(() => undefined);
    await tickets.create({ platform: 'servicenow', payload: {}, job }).catch(() => undefined);
    await tickets.createFromTemplate('jira-job-failure-bug', bugVariables, { job });
    await tickets.createFromTemplate('jira-job-failure-bug', {}, { job }).catch(() => undefined);
    expect(logger.lines.map((l) => [l.fields['operation'], l.fields['outcome']])).toEqual([
      ['create', 'error'],
      ['create', 'validation_error'],
      ['createFromTemplate', 'success'],
      ['createFromTemplate', 'template_error'],
    ]);
    for (const line of logger.lines) {
      expect(line.fields).toMatchObject({ jobId: '4711', platform: expect.any(String), operation: expect.any(String), outcome: expect.any(String) });
    }
    expect(logger.lines[0]?.fields).toMatchObject({ error: 'AuthError', status: 401 });
    expect(JSON.stringify(logger.lines)).not.toContain(CANARY);
  });
});
