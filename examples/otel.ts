/**
 * docs/otel.md: OpenTelemetry spans for every call and attempt, printed with
 * the ConsoleSpanExporter, the traceparent the server receives, and the ITSM
 * metrics as OpenTelemetry instruments. Runs against the in-process fake.
 */
import assert from 'node:assert/strict';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { otelMetricsSink, otelTracer } from '../src/adapters/otel/index.js';
import { type FetchLike, ServiceNowClient, TicketService } from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

// The SDK setup a host service has (usually with an OTLP exporter instead of the console).
const memory = new InMemorySpanExporter(); // only so this example can check what it printed
const tracerProvider = new TracerProvider({
  spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }), new SimpleSpanProcessor({ exporter: memory })],
});

// The fake instance, behind a fetch that shows the traceparent each request carries.
const fake = new FakeServiceNow();
const fetch: FetchLike = (input, init) => {
  const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
  console.log(`server got ${init?.method ?? 'GET'} with traceparent ${headers.get('traceparent')}`);
  return fake.fetch(input, init);
};

const servicenow = new ServiceNowClient({
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
  fetch,
  retry: { minDelayMs: 1, maxDelayMs: 5 }, // fast retries for the demo
  // With the SDK registered globally (NodeSDK, or trace.setGlobalTracerProvider and
  // propagation.setGlobalPropagator), otelTracer() needs no options.
  tracer: otelTracer({ tracerProvider, propagator: new W3CTraceContextPropagator() }),
});

const { sysId } = await servicenow.incidents.create({ shortDescription: 'Disk full on db-1' });
fake.faults.add({ fault: { kind: 'status', status: 503 }, match: { method: 'GET' } }); // one 503, then the retry succeeds
await servicenow.incidents.get(sysId);
await tracerProvider.forceFlush();

const spans = memory.getFinishedSpans();
console.log(spans.map((s) => `${s.parentSpanContext ? '  ' : ''}${s.name} ${JSON.stringify(s.attributes['http.response.status_code'])}`).join('\n'));
assert.deepEqual(
  spans.map((s) => s.name),
  ['POST', 'servicenow incident.create', 'GET', 'GET', 'servicenow incident.get'],
);
assert.equal(spans[2]?.attributes['error.type'], '503');
assert.equal(spans[3]?.attributes['http.request.resend_count'], 1);

// The ITSM metrics as OpenTelemetry instruments (a pull reader here; a PeriodicExportingMetricReader with OTLP in a service).
class PullReader extends MetricReader {
  protected override onForceFlush = () => Promise.resolve();
  protected override onShutdown = () => Promise.resolve();
}
const reader = new PullReader();
const tickets = new TicketService({ servicenow, metrics: otelMetricsSink({ meterProvider: new MeterProvider({ readers: [reader] }) }) });
await tickets.create({ platform: 'servicenow', payload: { shortDescription: 'Disk full on db-2' } });
tickets.close();
const { resourceMetrics } = await reader.collect();
for (const metric of resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)) {
  console.log(`${metric.descriptor.name}: ${metric.dataPoints.length} series`);
}
assert.ok(resourceMetrics.scopeMetrics[0]?.metrics.some((m) => m.descriptor.name === 'itsm_ticket_creation_total'));
await tracerProvider.shutdown();
