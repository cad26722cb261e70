import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { SupportCounter } from '../../src/tickets/support-counter.js';
import { createTicketsHandler } from '../../src/tickets/tickets-handler.js';
import { CANARY, setup } from './support.js';

const request = {
  client: 'Archer Insurance',
  category: 'Google Workspace – Account Access',
  errorCode: '500',
  shortDescription: 'Cannot log into Google Workspace account',
  detailedDescription: 'User reports being unable to access their account after password reset.',
  priority: 'High',
  clientEmail: 'user@archerinsurance.com',
};

function app(options: { password?: string; basePath?: string } = {}) {
  const env = setup(options.password ? { password: options.password } : {});
  const support = new SupportCounter({ tickets: env.tickets, logger: env.logger });
  const handler = createTicketsHandler({ tickets: env.tickets, support, logger: env.logger, ...(options.basePath ? { basePath: options.basePath } : {}) });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await handler(
      new Request(`http://api.test${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  return { ...env, call };
}

describe('support endpoints', () => {
  it('GET /health', async () => {
    expect(await app().call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('POST /incident answers 201 with exactly the enriched response shape', async () => {
    const { call, snFake } = app();
    const res = await call('POST', '/incident', request);
    const row = snFake.table('incident')[0];
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      sys_id: row?.['sys_id'],
      number: row?.['number'],
      client: 'Archer Insurance',
      category: 'Google Workspace – Account Access',
      shortDescription: 'Cannot log into Google Workspace account',
      detailedDescription: request.detailedDescription,
      state: '1',
      priority: 'High',
      topic: 'Google Workspace Account Access',
      recommendedResources: [{ type: 'doc', label: 'Google Workspace Account Access Troubleshooting', url: 'https://support.google.com/a/answer/1728857' }],
      automation: { classified: true, emailSent: false, emailProvider: null, workNoteAdded: true },
    });
  });

  it('an Idempotency-Key makes POST /incident safe to retry', async () => {
    const { call, snFake } = app();
    snFake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST' } });
    const res = await call('POST', '/incident', request, { 'idempotency-key': 'req-123' });
    expect(res.status).toBe(201);
    expect(snFake.table('incident')).toHaveLength(1);
    expect(snFake.table('incident')[0]?.['correlation_id']).toBe('req-123');
  });

  it('replays the first 201 to a repeat with the same Idempotency-Key and body, creating one incident', async () => {
    const { call, snFake } = app();
    const first = await call('POST', '/incident', request, { 'idempotency-key': 'req-7' });
    const second = await call('POST', '/incident', request, { 'idempotency-key': 'req-7' });
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(snFake.table('incident')).toHaveLength(1);
    expect(snFake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
  });

  it('answers 409 to a repeat while the first request with the key is in flight, and 422 to the key with another body', async () => {
    const { call, snFake } = app();
    snFake.faults.add({ fault: { kind: 'delay', ms: 200 }, match: { method: 'POST' } });
    const [first, during] = await Promise.all([call('POST', '/incident', request, { 'idempotency-key': 'req-8' }), call('POST', '/incident', request, { 'idempotency-key': 'req-8' })]);
    expect(first.status).toBe(201);
    expect(during.status).toBe(409);
    expect(String(during.body['error'])).toContain('req-8');
    const other = await call('POST', '/incident', { ...request, shortDescription: 'Another problem' }, { 'idempotency-key': 'req-8' });
    expect(other.status).toBe(422);
    expect(String(other.body['error'])).toContain('different request body');
    expect(snFake.table('incident')).toHaveLength(1);
  });

  it('does not keep a failed answer: a retry with the key runs again and still makes one incident', async () => {
    const { call, snFake } = app();
    snFake.faults.add({ fault: { kind: 'status', status: 400, body: { error: { message: 'Invalid' }, status: 'failure' } }, match: { method: 'POST' } });
    expect((await call('POST', '/incident', request, { 'idempotency-key': 'req-9' })).status).toBe(500);
    expect((await call('POST', '/incident', request, { 'idempotency-key': 'req-9' })).status).toBe(201);
    expect((await call('POST', '/incident', request, { 'idempotency-key': 'req-9' })).status).toBe(201);
    expect(snFake.table('incident')).toHaveLength(1);
  });

  it('400 with the validation issues in the seed shape', async () => {
    const { call } = app();
    const res = await call('POST', '/incident', { client: 'Archer Insurance', category: 'X' });
    expect(res).toMatchObject({ status: 400, body: { error: 'Invalid request payload', details: { issues: [{ path: ['shortDescription'], message: 'Required' }] } } });
    const bad = await call('POST', '/incident', '{"client":');
    expect(bad).toMatchObject({ status: 400, body: { error: 'Invalid request payload', details: { issues: [{ path: [], message: 'Body is not valid JSON' }] } } });
  });

  it('500 with the ServiceNow error and its status code, and no secret', async () => {
    const { call, logger } = app({ password: `${CANARY}-wrong` });
    const res = await call('POST', '/incident', request);
    expect(res).toEqual({ status: 500, headers: expect.anything(), body: { error: 'ServiceNow API error: 401 Unauthorized', statusCode: 401 } });
    expect(JSON.stringify(res.body) + JSON.stringify(logger.lines)).not.toContain(CANARY);
  });

  it('GET /incidents and GET /automation-activity in the seed shapes', async () => {
    const { call } = app();
    await call('POST', '/incident', request);
    const list = await call('GET', '/incidents?source=bbp&limit=20&state=open');
    expect(list.status).toBe(200);
    expect(list.body['total']).toBe(1);
    expect((list.body['incidents'] as unknown[])[0]).toEqual({
      sys_id: expect.any(String),
      number: expect.stringMatching(/^INC/),
      short_description: request.shortDescription,
      description: `${request.detailedDescription}\n\nError Code: 500\n\nClient: Archer Insurance`,
      state: '1',
      priority: '1',
      category: request.category,
      sys_created_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      client: 'Archer Insurance',
    });
    expect(await call('GET', '/incidents?limit=abc')).toMatchObject({ status: 400, body: { details: { issues: [{ path: ['limit'] }] } } });
    const activity = await call('GET', '/automation-activity?limit=50');
    expect(activity).toMatchObject({ status: 200, body: { count: 1, activities: [{ incidentNumber: expect.stringMatching(/^INC/), client: 'Archer Insurance', summary: "Classified as 'Google Workspace Account Access'", sys_id: expect.any(String), timestamp: expect.any(String) }] } });
  });

  it('unknown routes 404, wrong methods 405, and a base path', async () => {
    const { call } = app({ basePath: '/api' });
    expect((await call('GET', '/api/nope')).status).toBe(404);
    expect((await call('GET', '/health')).status).toBe(404);
    const wrong = await call('DELETE', '/api/incident');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await call('GET', '/api/health')).status).toBe(200);
  });
});

describe('template endpoints', () => {
  const body = { variables: { projectKey: 'OPS', error: { summary: 'disk full' } }, job: { id: '4711', name: 'nightly-export' } };

  it('lists templates', async () => {
    const res = await app().call('GET', '/templates');
    expect((res.body['templates'] as { name: string }[]).map((t) => t.name)).toEqual([
      'servicenow-job-failure-incident',
      'servicenow-standard-change',
      'jira-job-failure-bug',
      'jira-follow-up-task',
    ]);
  });

  it('previews a render without sending', async () => {
    const { call, jiraFake } = app();
    const res = await call('POST', '/templates/jira-job-failure-bug/preview', body);
    expect(res).toMatchObject({ status: 200, body: { platform: 'jira', valid: true, issues: [], payload: { summary: 'Job nightly-export failed: disk full' }, correlationKey: 'job-4711.jira-job-failure-bug' } });
    expect(jiraFake.requests).toHaveLength(0);
  });

  it('creates from a template: 201 with the ticket', async () => {
    const { call } = app();
    const res = await call('POST', '/templates/jira-job-failure-bug/tickets', body);
    expect(res).toMatchObject({ status: 201, body: { outcome: 'success', platform: 'jira', key: 'OPS-1', jobId: '4711', retry: { attempts: 1 } } });
    expect(res.body).not.toHaveProperty('raw');
  });

  it('404 for an unknown template, 400 naming missing and mistyped variables', async () => {
    const { call } = app();
    expect(await call('POST', '/templates/nope/tickets', body)).toMatchObject({ status: 404, body: { error: 'Unknown template "nope"' } });
    const res = await call('POST', '/templates/jira-job-failure-bug/tickets', { variables: { labels: 'x' }, job: body.job });
    expect(res.status).toBe(400);
    expect(res.body['details']).toEqual({
      issues: [
        { path: ['error', 'summary'], message: 'Required' },
        { path: ['projectKey'], message: 'Required' },
        { path: ['labels'], message: 'must be an array (got string)' },
      ],
    });
    expect(await call('POST', '/templates/jira-job-failure-bug/tickets', { variables: [] })).toMatchObject({ status: 400, body: { details: { issues: [{ path: ['variables'] }] } } });
  });
});

describe('the sandbox serves the tickets API', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('over the same fakes the sandbox serves as servicenow and jira', async () => {
    const res = await fetch(`${sandbox.tickets.url}/incident`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(res.status).toBe(201);
    const { number } = (await res.json()) as { number: string };
    expect(sandbox.servicenow.fake.table('incident').map((r) => r['number'])).toContain(number);
    const bug = await fetch(`${sandbox.tickets.url}/templates/jira-follow-up-task/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { projectKey: 'OPS', ticket: number, action: 'confirm access restored' } }),
    });
    const { key } = (await bug.json()) as { key: string };
    expect(sandbox.jira.fake.issues.size).toBeGreaterThan(0);
    expect([...sandbox.jira.fake.issues.values()].map((i) => i.key)).toContain(key);
    expect(sandbox.tickets.fake.metrics.counter('itsm_ticket_creation_total', { outcome: 'success' })).toBe(2);
  });
});
