import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionsClient } from '../../src/connections/client.js';
import type { Actor } from '../../src/connections/connection.js';
import { StatusConsumer } from '../../src/connections/host/consumer.js';
import { createDataSourcesHandler } from '../../src/connections/host/handler.js';
import { MemoryAuditLog } from '../../src/adapters/memory/audit-log.js';
import { MemoryMessageSource } from '../../src/adapters/memory/message-source.js';
import { MemoryConnectionStore } from '../../src/adapters/memory/connection-store.js';
import { ConnectionService, WEBHOOK_ACTIONS } from '../../src/connections/host/service.js';
import { HttpWebhookTransport } from '../../src/connections/host/webhook-transport.js';
import { InMemoryMetricsSink } from '../../src/core/metrics.js';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import { FakeSyncService } from '../../src/testing/fake-sync-service.js';
import type { Fault } from '../../src/testing/faults.js';
import { handlerFetch, json, type Handler } from '../../src/testing/handler.js';
import { SupportCounter } from '../../src/tickets/support-counter.js';
import type { SupportRequest } from '../../src/tickets/support-request.js';
import { TicketService } from '../../src/tickets/ticket-service.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { CANARY, FlowRun, recordCanaryTotals } from './support/canary.js';

afterAll(recordCanaryTotals);

const ORG = 'org-canary';
const member: Actor = { userId: 'u-1', userEmail: 'member@example.com', organizationId: ORG, role: 'member' };
const RETRY = { retries: 2, minDelayMs: 10, jitter: 'none', attemptTimeoutMs: 40 } as const;
const WEBHOOK_URL = 'https://automation.example.com/hooks/sync';

/**
 * The whole data-sources path with the canary as every secret: the client's
 * bearer token, the verify credentials and the webhook's Authorization. Only
 * the credential headers, the verify request's body and the verify webhook's
 * payload may carry it.
 */
function canaryDataSources(run: FlowRun, apiWrap: (handler: Handler) => Handler = (h) => h) {
  const clock = new FakeClock();
  const store = new MemoryConnectionStore();
  const audit = new MemoryAuditLog();
  const source = new MemoryMessageSource();
  const syncService = new FakeSyncService({ source, authorization: `Bearer ${CANARY}` });
  const webhook = new HttpWebhookTransport({ url: WEBHOOK_URL, auth: `Bearer ${CANARY}`, fetch: run.recorder.fetch(handlerFetch(syncService.handle)), logger: run.recorder.logger, clock, retry: RETRY });
  run.recorder.watch(webhook.transport.events);
  const service = new ConnectionService({ store, audit, webhook });
  service.updates.subscribe(ORG, (published) => run.recorder.value('update event', published));
  const consumer = new StatusConsumer({ source, store, updates: service.updates, logger: run.recorder.logger });
  void consumer.start();
  const handler = createDataSourcesHandler(service, { authenticate: (request) => (request.headers.get('authorization') === `Bearer ${CANARY}` ? member : undefined), sseRetryMs: 5 });
  const client = new ConnectionsClient({ baseUrl: 'https://platform.example.com', token: CANARY, fetch: run.recorder.fetch(handlerFetch(apiWrap(handler))), logger: run.recorder.logger, retry: RETRY });
  run.recorder.watch(client.events);
  const inspectState = async () => {
    run.recorder.value('store', await store.list(ORG));
    run.recorder.value('audit log', audit.entries);
    run.recorder.value('webhooks as the external service keeps them', syncService.received);
    run.recorder.value('dead letters', source.deadLetters);
  };
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await source.drain();
  };
  return { store, service, syncService, source, consumer, client, handler, inspectState, settle };
}

/** Bodies that may carry the credentials: the verify call and the verify webhook. */
const allowBody = (url: URL, body: string) => url.pathname.endsWith('/verify') || (url.href === WEBHOOK_URL && body.includes(`"action":"${WEBHOOK_ACTIONS.verify}"`));
const KEY = 'connections|verify credentials, data-sources bearer token and webhook auth: success, failed verification, webhook failures (5xx echoing the payload, 401, reset, timeout), API error echoing the body, SSE stream';

describe('secret canary: connections', () => {
  it('never leaks verify credentials, the data-sources token or the webhook secret outside the verify body and credential headers', async () => {
    const run = new FlowRun(KEY, [], { allowBody });
    const ds = canaryDataSources(run);
    const credentials = { api_token: CANARY, email: 'ops@example.com', password: CANARY, nested: { secret: CANARY } };
    await run.flow('seed', () => ds.client.seed());
    const [confluence] = (await run.flow('list', () => ds.client.list({ type: 'confluence' }))) as { id: string }[];
    const id = confluence!.id;
    const verified = ds.client.waitFor(id, (s) => s.status === 'idle' && s.lastVerificationAt !== null, { timeoutMs: 2_000 });
    await run.flow('verify', () => ds.client.verify(id, { config: { url: 'https://acme.atlassian.net/wiki' }, credentials }));
    await run.flow('waitFor (SSE stream)', () => verified);
    await run.flow('enable', () => ds.client.patch(id, { enabled: true }));
    await run.flow('sync', () => ds.client.sync(id));
    await ds.settle();
    // A failed verification (the external service refuses the credentials).
    ds.syncService.invalidCredential = CANARY;
    await run.flow('verify refused by the service', () => ds.client.verify(id, { credentials: { api_token: CANARY } }));
    await ds.settle();
    await run.flow('get after failure', () => ds.client.get(id));
    // Webhook failures, each echoing the payload (credentials included) in its body.
    for (const [name, fault] of [
      ['webhook 503 echoing the payload', { kind: 'status', status: 503, body: { error: `bad ${CANARY}`, credentials } }],
      ['webhook 500 echoing text', { kind: 'status', status: 500, body: `upstream said ${CANARY}` }],
      ['webhook 401', { kind: 'status', status: 401, body: { error: `token ${CANARY} refused` } }],
      ['webhook reset after receiving', { kind: 'drop', when: 'after' }],
      ['webhook timeout', { kind: 'delay', ms: 400 }],
      ['webhook HTML page', { kind: 'html' }],
    ] as [string, Fault][]) {
      ds.syncService.faults.add({ fault, times: 3 });
      await run.flow(`verify: ${name}`, () => ds.client.verify(id, { credentials }));
      await run.flow(`sync: ${name}`, () => ds.client.sync(id, { force: true }));
      ds.syncService.faults.clear();
      await ds.settle();
    }
    // Host-side errors with the credentials in the request: a body the API refuses.
    await run.flow('verify with an unknown field', () => ds.client.verify(id, { credentials, extra: CANARY } as never));
    await run.flow('verify an unknown connection', () => ds.client.verify('00000000-0000-4000-8000-000000000000', { credentials }));
    await ds.inspectState();
    await ds.consumer.stop();
    await run.finish();
    expect(run.recorder.inspected).toBeGreaterThan(100);
  });

  it('scrubs credentials an API error echoes, from every place the error goes', async () => {
    const run = new FlowRun(KEY, [], { allowBody });
    const ds = canaryDataSources(run, (handler) => async (request) => {
      if (request.url.endsWith('/verify')) {
        const body = await request.text();
        return json({ error: 'Invalid request', message: `Could not use ${body}` }, 400);
      }
      return handler(request);
    });
    await ds.client.seed();
    const [jira] = await ds.client.list({ type: 'jira' });
    await run.flow('verify answered 400 echoing the credentials', () => ds.client.verify(jira!.id, { credentials: { username: 'svc', password: CANARY } }));
    await ds.inspectState();
    await ds.consumer.stop();
    await run.finish();
  });
});

/** TicketService and SupportCounter on clients whose every secret is the canary. */
function canaryTickets(run: FlowRun) {
  const clock = new FakeClock();
  const snFake = new FakeServiceNow({ now: () => clock.now(), users: [{ userName: 'admin', password: CANARY }] });
  const jiraFake = new FakeJira({ now: () => clock.now(), credentials: { email: 'demo@example.com', apiToken: CANARY } });
  const servicenow = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin', password: CANARY }, fetch: run.recorder.fetch(snFake.fetch), clock, retry: RETRY, logger: run.recorder.logger });
  const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'demo@example.com', apiToken: CANARY }, fetch: run.recorder.fetch(jiraFake.fetch), clock, retry: RETRY, logger: run.recorder.logger, consistency: { polls: 2, intervalMs: 10 } });
  run.recorder.watch(servicenow.events);
  run.recorder.watch(jira.events);
  const metrics = new InMemoryMetricsSink();
  const tickets = new TicketService({ servicenow, jira, metrics, logger: run.recorder.logger, clock });
  const support = new SupportCounter({ tickets, logger: run.recorder.logger });
  return { snFake, jiraFake, tickets, support, metrics };
}

const TICKET_FAULTS: [string, (echo: string) => Fault, number][] = [
  ['400 echoing the secret', (echo) => ({ kind: 'status', status: 400, body: { error: { message: echo, detail: echo }, errorMessages: [echo] } }), 1],
  ['401 echoing the secret', (echo) => ({ kind: 'status', status: 401, body: { error: { message: echo }, errorMessages: [echo] } }), 1],
  ['403 echoing the secret', (echo) => ({ kind: 'status', status: 403, body: `<html>${echo}</html>` }), 1],
  ['429 past the retries', (echo) => ({ kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: echo } } }), 5],
  ['503 burst', (echo) => ({ kind: 'status', status: 503, body: echo }), 5],
  ['reset after the write', () => ({ kind: 'drop', when: 'after' }), 1],
  ['connection refused', () => ({ kind: 'drop', when: 'before' }), 5],
  ['HTML page with 200', () => ({ kind: 'html' }), 1],
  ['timeout', () => ({ kind: 'delay', ms: 400 }), 5],
];

describe('secret canary: tickets', () => {
  const KEY_TICKETS = 'tickets|TicketService (create, template, validation and rendering errors, every fault class) and SupportCounter (incident, list, activity) on canary client credentials';

  it('never leaks client credentials from TicketService log lines, errors, results or metrics', async () => {
    const run = new FlowRun(KEY_TICKETS, ['admin', 'demo@example.com']);
    const t = canaryTickets(run);
    const echo = `Invalid credentials ${CANARY}`;
    await run.flow('create (ServiceNow)', () => t.tickets.create({ platform: 'servicenow', payload: { shortDescription: 'Canary', urgency: 'high' }, correlationKey: 'canary-sn' }));
    await run.flow('create (Jira)', () => t.tickets.create({ platform: 'jira', payload: { projectKey: 'OPS', issueType: 'Task', summary: 'Canary' }, correlationKey: 'canary-jira' }));
    await run.flow('createFromTemplate', () => t.tickets.createFromTemplate('jira-job-failure-bug', { projectKey: 'OPS', error: { summary: 'disk full', detail: 'No space' } }, { job: { id: '4711', name: 'export' } }));
    await run.flow('validation error', () => t.tickets.create({ platform: 'servicenow', payload: { shortDescription: '', urgency: 'urgent' } }));
    await run.flow('template error', () => t.tickets.createFromTemplate('jira-job-failure-bug', {}, {}));
    for (const [name, fault, times] of TICKET_FAULTS) {
      for (const [platform, fake, payload] of [
        ['servicenow', t.snFake, { shortDescription: name }],
        ['jira', t.jiraFake, { projectKey: 'OPS', issueType: 'Task', summary: name }],
      ] as const) {
        fake.faults.add({ fault: fault(echo), times });
        await run.flow(`${platform}: ${name}`, () => t.tickets.create({ platform, payload, correlationKey: `canary-${platform}-${name.replace(/\W+/g, '-')}` }));
        fake.faults.clear();
      }
    }
    run.recorder.value('metrics', t.metrics.series());
    t.tickets.close();
    await run.finish();
  });

  it('never leaks client credentials from SupportCounter flows', async () => {
    const run = new FlowRun(KEY_TICKETS, ['admin']);
    const t = canaryTickets(run);
    const request: SupportRequest = { client: 'Archer Insurance', category: 'Google Workspace – Account Access', errorCode: '500', shortDescription: 'Cannot log in', priority: 'High', clientEmail: 'user@archerinsurance.com' };
    await run.flow('createSupportIncident', () => t.support.createSupportIncident(request));
    await run.flow('createSupportIncident (unclassified)', () => t.support.createSupportIncident({ ...request, category: 'Something else', clientEmail: undefined }));
    await run.flow('invalid request', () => t.support.createSupportIncident({ client: 'A', clientEmail: 'not-an-email' } as SupportRequest));
    await run.flow('listIncidents', () => t.support.listIncidents({}));
    await run.flow('automationActivity', () => t.support.automationActivity({}));
    for (const [name, fault, times] of TICKET_FAULTS) {
      t.snFake.faults.add({ fault: fault(`token ${CANARY}`), times });
      await run.flow(`createSupportIncident: ${name}`, () => t.support.createSupportIncident(request, { correlationKey: `canary-support-${name.replace(/\W+/g, '-')}` }));
      t.snFake.faults.clear();
      t.snFake.faults.add({ fault: fault(`token ${CANARY}`), times });
      await run.flow(`listIncidents: ${name}`, () => t.support.listIncidents({}));
      t.snFake.faults.clear();
    }
    t.tickets.close();
    await run.finish();
  });
});
