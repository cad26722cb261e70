/**
 * docs/metrics.md: the five ITSM metrics TicketService records, read back
 * from the in-memory sink, and the same on a Prometheus registry.
 */
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { PrometheusMetricsSink } from '../src/adapters/prometheus/index.js';
import { InMemoryMetricsSink, ITSM_METRICS, type MetricsSink, ServiceNowClient, TicketService } from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

const fake = new FakeServiceNow();
const servicenow = new ServiceNowClient({
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
  fetch: fake.fetch,
  retry: { minDelayMs: 1, maxDelayMs: 5 }, // fast retries for the demo
});

const memory = new InMemoryMetricsSink();
const registry = new Registry();
const prometheus = new PrometheusMetricsSink({ registry });
// Any number of sinks: a MetricsSink is two methods.
const both: MetricsSink = {
  inc: (metric, labels, value) => (memory.inc(metric, labels, value), prometheus.inc(metric, labels, value)),
  observe: (metric, labels, value) => (memory.observe(metric, labels, value), prometheus.observe(metric, labels, value)),
};
const tickets = new TicketService({ servicenow, metrics: both });

await tickets.create({ platform: 'servicenow', payload: { shortDescription: 'Disk full on db-1' } });
fake.faults.add({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' } }); // one 503 on the create, then the retry succeeds
await tickets.create({ platform: 'servicenow', payload: { shortDescription: 'Disk full on db-2' }, correlationKey: 'alert-2' });
await tickets.create({ platform: 'servicenow', payload: { shortDescription: '', urgency: 'urgent' } }).catch(() => {});
await tickets.createFromTemplate('servicenow-job-failure-incident', { error: { summary: 'x' } }).catch(() => {});

const total = ITSM_METRICS.ticketCreationTotal.name;
console.log(`${total}: success ${memory.counter(total, { outcome: 'success' })}, validation_error ${memory.counter(total, { outcome: 'validation_error' })}`);
assert.equal(memory.counter(total, { platform: 'servicenow', outcome: 'success' }), 2);
assert.equal(memory.counter(ITSM_METRICS.ticketRetryAttemptsTotal.name, { platform: 'servicenow' }), 1);
assert.equal(memory.counter(ITSM_METRICS.validationErrorsTotal.name, { field: 'shortDescription' }), 1);
assert.equal(memory.counter(ITSM_METRICS.templateRenderingErrorsTotal.name, { template_name: 'servicenow-job-failure-incident' }), 1);
const duration = memory.histogram(ITSM_METRICS.ticketCreationDurationSeconds.name, { platform: 'servicenow', outcome: 'success' });
console.log(`duration: ${duration?.count} creations, buckets ${ITSM_METRICS.ticketCreationDurationSeconds.buckets.join(', ')} s`);
for (const s of memory.series()) console.log(`  ${s.name}${JSON.stringify(s.labels)} ${s.value}`);

const text = await registry.metrics();
assert.match(text, /itsm_validation_errors_total\{platform="servicenow",field="urgency"\} 1/);
console.log(text.split('\n').filter((l) => l.startsWith('itsm_ticket_creation_duration_seconds_bucket{le="0.5"')).join('\n'));
tickets.close();
