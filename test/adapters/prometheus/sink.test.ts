import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metricsHandler, PrometheusMetricsSink } from '../../../src/adapters/prometheus/index.js';
import { ITSM_METRICS, isConfigError } from '../../../src/index.js';

describe('PrometheusMetricsSink', () => {
  it('registers the ITSM metrics lazily with their names, help, labels and buckets', async () => {
    const registry = new Registry();
    const sink = new PrometheusMetricsSink({ registry });
    expect(await registry.getMetricsAsJSON()).toEqual([]);

    sink.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'jira', outcome: 'success' });
    sink.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'jira', outcome: 'success' }, 2);
    sink.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'servicenow', outcome: 'validation_error' });
    sink.observe(ITSM_METRICS.ticketCreationDurationSeconds, { platform: 'jira', outcome: 'success' }, 0.3);
    sink.observe(ITSM_METRICS.ticketCreationDurationSeconds, { platform: 'jira', outcome: 'success' }, 3);
    sink.inc(ITSM_METRICS.ticketRetryAttemptsTotal, { platform: 'jira' }, 4);
    sink.inc(ITSM_METRICS.validationErrorsTotal, { platform: 'servicenow', field: 'shortDescription' });
    sink.inc(ITSM_METRICS.templateRenderingErrorsTotal, { template_name: 'outage' });

    const text = await registry.metrics();
    expect(text).toContain(`# HELP itsm_ticket_creation_total ${ITSM_METRICS.ticketCreationTotal.help}`);
    expect(text).toContain('# TYPE itsm_ticket_creation_total counter');
    expect(text).toContain('itsm_ticket_creation_total{platform="jira",outcome="success"} 3');
    expect(text).toContain('itsm_ticket_creation_total{platform="servicenow",outcome="validation_error"} 1');
    expect(text).toContain('# TYPE itsm_ticket_creation_duration_seconds histogram');
    for (const le of ITSM_METRICS.ticketCreationDurationSeconds.buckets) {
      expect(text).toContain(`itsm_ticket_creation_duration_seconds_bucket{le="${le}",platform="jira",outcome="success"} ${le >= 5 ? 2 : le >= 0.5 ? 1 : 0}`);
    }
    expect(text).toContain('itsm_ticket_creation_duration_seconds_bucket{le="+Inf",platform="jira",outcome="success"} 2');
    expect(text).toContain('itsm_ticket_creation_duration_seconds_sum{platform="jira",outcome="success"} 3.3');
    expect(text).toContain('itsm_ticket_retry_attempts_total{platform="jira"} 4');
    expect(text).toContain('itsm_validation_errors_total{platform="servicenow",field="shortDescription"} 1');
    expect(text).toContain('itsm_template_rendering_errors_total{template_name="outage"} 1');
  });

  it('reuses a metric the host already registered, and refuses one of another kind', async () => {
    const registry = new Registry();
    const existing = new Counter({ name: ITSM_METRICS.ticketRetryAttemptsTotal.name, help: 'host', labelNames: ['platform'], registers: [registry] });
    new PrometheusMetricsSink({ registry }).inc(ITSM_METRICS.ticketRetryAttemptsTotal, { platform: 'jira' });
    expect((await existing.get()).values).toEqual([{ labels: { platform: 'jira' }, value: 1 }]);

    new Gauge({ name: ITSM_METRICS.templateRenderingErrorsTotal.name, help: 'g', registers: [registry] });
    let error: unknown;
    try {
      new PrometheusMetricsSink({ registry }).inc(ITSM_METRICS.templateRenderingErrorsTotal, { template_name: 'x' });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
  });

  it('refuses labels the definition does not declare', () => {
    const sink = new PrometheusMetricsSink({ registry: new Registry() });
    expect(() => sink.inc(ITSM_METRICS.ticketRetryAttemptsTotal, { platform: 'jira', secret: 'x' })).toThrow();
  });
});

describe('metricsHandler', () => {
  it('serves the exposition with the registry content type, and only to GET and HEAD', async () => {
    const registry = new Registry();
    new PrometheusMetricsSink({ registry }).inc(ITSM_METRICS.ticketCreationTotal, { platform: 'jira', outcome: 'error' });
    const handle = metricsHandler(registry);

    const get = await handle(new Request('http://host/metrics'));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await get.text()).toContain('itsm_ticket_creation_total{platform="jira",outcome="error"} 1');

    const head = await handle(new Request('http://host/metrics', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const post = await handle(new Request('http://host/metrics', { method: 'POST' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
