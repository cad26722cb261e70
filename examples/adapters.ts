/**
 * README "Adapters": itsmkit/postgres on PGlite (pass a pg Pool in
 * production), the status consumer on the in-memory source (or RabbitMQ with
 * itsmkit/amqp when AMQP_URL is set), and itsmkit/prometheus.
 */
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { Registry } from 'prom-client';
import { AmqpMessageSource, AmqpStatusPublisher } from '../src/adapters/amqp/index.js';
import { PostgresAuditLog, PostgresConnectionStore } from '../src/adapters/postgres/index.js';
import { metricsHandler, PrometheusMetricsSink } from '../src/adapters/prometheus/index.js';
import { type Actor, ConnectionService, ITSM_METRICS, MemoryMessageSource, type MessageSource, StatusConsumer, type WebhookTransport } from '../src/index.js';

// itsmkit/postgres: a pg Pool or Client, or PGlite, as the client.
const db = new PGlite();
const store = new PostgresConnectionStore({ client: db });
const migrated = await store.migrate();
console.log(`migrations applied: ${migrated.applied.join(', ')}`);
// The audit trail of configuration and status changes, in the same database (PostgresDelegationStore too).
const audit = new PostgresAuditLog({ client: db });

const webhook: WebhookTransport = { send: async () => {} }; // the external sync service; HttpWebhookTransport in production
const service = new ConnectionService({ store, webhook });
const actor: Actor = { userId: '6f1c2b9a-0000-4000-8000-0000000000a1', userEmail: 'alice@example.com', organizationId: '6f1c2b9a-0000-4000-8000-000000000001', role: 'admin' };
await service.seed(actor);
const jira = (await service.list(actor, { type: 'jira' }))[0];
assert.ok(jira);

// itsmkit/amqp with a broker, the in-memory source without one: the consumer does not care.
// (topology: 'passive' when another service declares the queue; queueType: 'quorum' for a quorum queue of our own.)
const amqpUrl = process.env['AMQP_URL'];
const memory = new MemoryMessageSource();
const source: MessageSource = amqpUrl ? new AmqpMessageSource({ url: amqpUrl, queue: 'itsmkit_example_status' }) : memory;
const consumer = new StatusConsumer({ source, store, updates: service.updates, audit });
await consumer.start();
const message = { type: 'verification', connection_id: jira.id, tenant_id: actor.organizationId, status: 'success', options: { projects: 'OPS,SUP' }, timestamp: new Date().toISOString() };
if (amqpUrl) {
  const publisher = new AmqpStatusPublisher({ url: amqpUrl, queue: 'itsmkit_example_status' });
  await publisher.publish(message);
  await publisher.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
} else {
  memory.publish(message);
  await memory.drain();
}
const verified = await store.get(actor.organizationId, jira.id);
console.log(`jira connection after the status message: ${verified?.status}, options ${JSON.stringify(verified?.latestOptions)} (via ${amqpUrl ? 'RabbitMQ' : 'the in-memory source'})`);
assert.deepEqual(verified?.latestOptions, { projects: ['OPS', 'SUP'] });
console.log('audited:', (await audit.list(actor.organizationId)).map((e) => e.action));
await consumer.stop();
await db.close();

// itsmkit/prometheus: a MetricsSink on your registry, and a /metrics handler.
const registry = new Registry();
const metrics = new PrometheusMetricsSink({ registry });
metrics.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'servicenow', outcome: 'success' });
const scrape = await metricsHandler(registry)(new Request('http://localhost/metrics'));
const text = await scrape.text();
console.log(text.split('\n').filter((l) => l.startsWith('itsm_')).join('\n'));
assert.match(text, /itsm_ticket_creation_total\{platform="servicenow",outcome="success"\} 1/);
