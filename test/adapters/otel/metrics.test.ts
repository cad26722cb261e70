import { DataPointType, MeterProvider, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { otelMetricsSink } from '../../../src/adapters/otel/index.js';
import { ITSM_METRICS, ServiceNowClient, TicketService } from '../../../src/index.js';
import { FakeServiceNow } from '../../../src/testing/index.js';

/** A reader the test collects from when it wants. */
class PullReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function collect(reader: PullReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics } = await reader.collect();
  const out = new Map<string, MetricData>();
  for (const scope of resourceMetrics.scopeMetrics) {
    expect(scope.scope.name).toBe('itsmkit');
    for (const metric of scope.metrics) out.set(metric.descriptor.name, metric);
  }
  return out;
}

function setup() {
  const reader = new PullReader();
  const sink = otelMetricsSink({ meterProvider: new MeterProvider({ readers: [reader] }) });
  return { reader, sink };
}

describe('otelMetricsSink', () => {
  it('records counters and histograms as OTel instruments with the definitions\' names, descriptions, units and buckets', async () => {
    const { reader, sink } = setup();
    sink.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'jira', outcome: 'success' });
    sink.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'jira', outcome: 'success' }, 2);
    sink.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'servicenow', outcome: 'error' });
    sink.observe(ITSM_METRICS.ticketCreationDurationSeconds, { platform: 'jira', outcome: 'success' }, 0.3);
    sink.observe(ITSM_METRICS.ticketCreationDurationSeconds, { platform: 'jira', outcome: 'success' }, 3);

    const metrics = await collect(reader);
    const total = metrics.get('itsm_ticket_creation_total');
    expect(total?.descriptor).toMatchObject({ description: ITSM_METRICS.ticketCreationTotal.help, unit: '' });
    expect(total?.dataPointType).toBe(DataPointType.SUM);
    expect(total?.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ platform: 'jira', outcome: 'success' }, 3],
      [{ platform: 'servicenow', outcome: 'error' }, 1],
    ]);

    const duration = metrics.get('itsm_ticket_creation_duration_seconds');
    expect(duration?.descriptor).toMatchObject({ description: ITSM_METRICS.ticketCreationDurationSeconds.help, unit: 's' });
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = duration?.dataPoints[0];
    expect(point?.attributes).toEqual({ platform: 'jira', outcome: 'success' });
    const value = point?.value as { count: number; sum: number; buckets: { boundaries: number[]; counts: number[] } };
    expect(value).toMatchObject({ count: 2, sum: 3.3 });
    expect(value.buckets.boundaries).toEqual(ITSM_METRICS.ticketCreationDurationSeconds.buckets);
    // 0.3 falls in (0.25, 0.5], 3 in (2, 5]; one more bucket for values above the last boundary.
    expect(value.buckets.counts).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('carries the five ITSM metrics TicketService records', async () => {
    const { reader, sink } = setup();
    const fake = new FakeServiceNow();
    const servicenow = new ServiceNowClient({
      instanceUrl: 'https://acme.service-now.com',
      auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
      fetch: fake.fetch,
      retry: { minDelayMs: 1, maxDelayMs: 2 },
    });
    const tickets = new TicketService({ servicenow, metrics: sink });
    try {
      fake.faults.add({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' } });
      await tickets.create({ platform: 'servicenow', payload: { shortDescription: 'Disk full on db-1' }, correlationKey: 'alert-1' });
      await tickets.create({ platform: 'servicenow', payload: { shortDescription: '' } }).catch(() => {});
      await tickets.createFromTemplate('servicenow-job-failure-incident', { error: { summary: 'x' } }).catch(() => {});
    } finally {
      tickets.close();
    }

    const metrics = await collect(reader);
    const sum = (name: string, attributes: Record<string, string>) =>
      metrics.get(name)?.dataPoints.filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + (p.value as number), 0);
    expect(sum('itsm_ticket_creation_total', { platform: 'servicenow', outcome: 'success' })).toBe(1);
    expect(sum('itsm_ticket_creation_total', { platform: 'servicenow', outcome: 'validation_error' })).toBe(1);
    expect(sum('itsm_ticket_retry_attempts_total', { platform: 'servicenow' })).toBe(1);
    expect(sum('itsm_validation_errors_total', { platform: 'servicenow', field: 'shortDescription' })).toBe(1);
    expect(sum('itsm_template_rendering_errors_total', { template_name: 'servicenow-job-failure-incident' })).toBe(1);
    const durations = metrics.get('itsm_ticket_creation_duration_seconds')?.dataPoints.map((p) => [p.attributes, (p.value as { count: number }).count]);
    expect(durations).toContainEqual([{ platform: 'servicenow', outcome: 'success' }, 1]);
  });
});
