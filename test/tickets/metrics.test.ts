import { describe, expect, it } from 'vitest';
import { InMemoryMetricsSink } from '../../src/core/metrics.js';
import { ITSM_METRICS } from '../../src/tickets/metrics.js';

describe('ITSM_METRICS', () => {
  it('names the five ITSM metrics with their labels, then the duplicates counter', () => {
    expect(Object.values(ITSM_METRICS).map((m) => [m.kind, m.name, m.labelNames])).toEqual([
      ['counter', 'itsm_ticket_creation_total', ['platform', 'outcome']],
      ['histogram', 'itsm_ticket_creation_duration_seconds', ['platform', 'outcome']],
      ['counter', 'itsm_ticket_retry_attempts_total', ['platform']],
      ['counter', 'itsm_validation_errors_total', ['platform', 'field']],
      ['counter', 'itsm_template_rendering_errors_total', ['template_name']],
      ['counter', 'itsm_ticket_duplicates_total', ['platform']],
    ]);
  });

  it('has ascending duration buckets that include the 2 s p95 target', () => {
    const { buckets } = ITSM_METRICS.ticketCreationDurationSeconds;
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    expect(buckets).toContain(2);
    expect(buckets.at(-1)).toBe(60);
  });

  it('works with the in-memory sink', () => {
    const sink = new InMemoryMetricsSink();
    sink.inc(ITSM_METRICS.validationErrorsTotal, { platform: 'servicenow', field: 'shortDescription' });
    sink.inc(ITSM_METRICS.templateRenderingErrorsTotal, { template_name: 'jira-job-failure-bug' });
    sink.observe(ITSM_METRICS.ticketCreationDurationSeconds, { platform: 'jira', outcome: 'success' }, 0.3);
    expect(sink.counter('itsm_validation_errors_total', { field: 'shortDescription' })).toBe(1);
    expect(sink.counter('itsm_template_rendering_errors_total')).toBe(1);
    expect(sink.histogram('itsm_ticket_creation_duration_seconds', { platform: 'jira', outcome: 'success' })?.count).toBe(1);
  });
});
