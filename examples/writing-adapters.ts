/**
 * docs/writing-adapters.md: every port implemented in a few lines, wired
 * into ConnectionService, StatusConsumer, TicketService and SupportCounter.
 */
import assert from 'node:assert/strict';
import {
  type Actor,
  type AuditEntry,
  type AuditLog,
  type Clock,
  ConnectionService,
  type ContactResolver,
  type Logger,
  MemoryConnectionStore,
  type MessageSource,
  type MetricsSink,
  type Notifier,
  redactValue,
  type RejectInfo,
  ServiceNowClient,
  type SourceMessage,
  StatusConsumer,
  SupportCounter,
  TicketService,
  type WebhookPayload,
  type WebhookTransport,
} from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

/** Logger: structured lines (pino and winston fit the same shape). */
const lines: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: (message, fields) => lines.push(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => lines.push(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => lines.push(JSON.stringify({ level: 'error', message, ...fields })),
};

/** Clock: time you control (tests), or the system's. */
let now = Date.parse('2025-10-01T10:00:00Z');
const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };

/** AuditLog: append-only; entries never hold credentials. */
const audit: AuditEntry[] = [];
const auditLog: AuditLog = { record: async (entry) => void audit.push(entry) };

/** WebhookTransport: resolves once the external service accepted the event, throws otherwise. */
const sent: WebhookPayload[] = [];
const webhook: WebhookTransport = {
  async send(payload) {
    sent.push(redactValue(payload) as WebhookPayload); // keep a redacted copy only: verify payloads carry credentials
  },
};

/** MessageSource: delivers one message at a time; ack after the handler returns, reject poison with its reason, redeliver on a throw. */
class ArraySource implements MessageSource {
  readonly acked: string[] = [];
  readonly rejected: RejectInfo[] = [];
  private deliver: ((message: SourceMessage) => Promise<void>) | undefined;
  constructor(private readonly messages: SourceMessage[]) {}
  async start(deliver: (message: SourceMessage) => Promise<void>): Promise<void> {
    this.deliver = deliver;
    for (let message = this.messages.shift(); message && this.deliver; message = this.messages.shift()) {
      try {
        await this.deliver(message);
      } catch {
        this.messages.push({ ...message, redelivered: true }); // not settled: try again later
      }
    }
  }
  async stop(): Promise<void> {
    this.deliver = undefined;
  }
  async ack(message: SourceMessage): Promise<void> {
    this.acked.push(message.id);
  }
  async reject(_message: SourceMessage, info: RejectInfo): Promise<void> {
    this.rejected.push(info);
  }
}

// Connections on these ports (the store here is the memory one; itsmkit/postgres is the SQL one).
const store = new MemoryConnectionStore();
const service = new ConnectionService({ store, webhook, audit: auditLog, clock });
const actor: Actor = { userId: 'u-1', userEmail: 'alice@example.com', organizationId: 'org-1', role: 'admin' };
await service.seed(actor);
const [jira] = await service.list(actor, { type: 'jira' });
assert.ok(jira);
await service.verify(actor, jira.id, { credentials: { apiToken: 'secret-token-value' } });
assert.equal(JSON.stringify(sent).includes('secret-token-value'), false);

const source = new ArraySource([
  { id: 'm1', body: JSON.stringify({ type: 'verification', connection_id: jira.id, tenant_id: 'org-1', status: 'success', options: { projects: 'OPS' } }) },
  { id: 'm2', body: 'not json' },
]);
const consumer = new StatusConsumer({ source, store, updates: service.updates, clock, logger });
await consumer.start();
console.log(`acked ${source.acked.join(', ')}; rejected ${source.rejected.map((r) => r.reason).join(', ')}`);
assert.deepEqual(source.acked, ['m1']);
assert.equal((await store.get('org-1', jira.id))?.lastVerificationError, null);
console.log('audit:', audit.map((a) => a.action));

// Tickets on these ports: metrics, contacts and notifications.
const metricLines: string[] = [];
const metrics: MetricsSink = {
  inc: (metric, labels, value = 1) => void metricLines.push(`${metric.name}:${value}|c|#${Object.entries(labels).map(([k, v]) => `${k}:${v}`).join(',')}`),
  observe: (metric, labels, value) => void metricLines.push(`${metric.name}:${value}|h|#${Object.entries(labels).map(([k, v]) => `${k}:${v}`).join(',')}`),
};
const directory: Record<string, string> = { ACME: 'it-desk@acme.example' };
const contactResolver: ContactResolver = { resolveEmail: async (request) => request.clientEmail ?? directory[request.client] };
const notifier: Notifier = {
  async sendAcknowledgement(ack) {
    lines.push(`mail to ${ack.to}: ${ack.incidentNumber} ${ack.topic}`);
    return { emailSent: true, emailProvider: 'example' };
  },
};
const fake = new FakeServiceNow();
const servicenow = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: fake.fetch, logger });
const tickets = new TicketService({ servicenow, metrics, logger, clock });
const support = new SupportCounter({ tickets, contactResolver, notifier, logger });
const result = await support.createSupportIncident({ client: 'ACME', category: 'Google Workspace – Account Access', shortDescription: 'Locked out after password reset' });
console.log(`${result.number}: ${result.topic}, email sent ${result.automation.emailSent}`);
assert.equal(result.automation.emailSent, true);
console.log(metricLines.join('\n'));
console.log(lines.filter((l) => l.startsWith('mail')).join('\n'));
tickets.close();
