import { Counter, Histogram, type Registry } from 'prom-client';
import { ConfigError, type CounterDefinition, type HistogramDefinition, type MetricDefinition, type MetricLabels, type MetricsSink } from '../../core/index.js';

/** Options of a {@link PrometheusMetricsSink}. */
export interface PrometheusMetricsSinkOptions {
  /** Where the metrics are registered (the host's, or a new one). */
  readonly registry: Registry;
}

/**
 * A {@link MetricsSink} on a prom-client registry. Each metric is registered
 * on first use from the definition passed with the call (name, help, label
 * names, buckets), so the ITSM metrics (`ITSM_METRICS`) appear exactly as
 * defined. A metric already in the registry under the same name is reused
 * when it is of the same kind; otherwise a {@link ConfigError} is thrown.
 * Labels not in the definition are refused by prom-client (it throws).
 *
 * @example
 * const registry = new Registry();
 * const metrics = new PrometheusMetricsSink({ registry });
 * metrics.inc(ITSM_METRICS.ticketCreationTotal, { platform: 'jira', outcome: 'success' });
 */
export class PrometheusMetricsSink implements MetricsSink {
  private readonly registry: Registry;
  private readonly counters = new Map<string, Counter<string>>();
  private readonly histograms = new Map<string, Histogram<string>>();

  constructor(options: PrometheusMetricsSinkOptions) {
    this.registry = options.registry;
  }

  inc(metric: CounterDefinition, labels: MetricLabels, value = 1): void {
    let counter = this.counters.get(metric.name);
    if (!counter) {
      counter = this.existing(metric, Counter) ?? new Counter({ name: metric.name, help: metric.help, labelNames: [...metric.labelNames], registers: [this.registry] });
      this.counters.set(metric.name, counter);
    }
    counter.inc(labels, value);
  }

  observe(metric: HistogramDefinition, labels: MetricLabels, value: number): void {
    let histogram = this.histograms.get(metric.name);
    if (!histogram) {
      histogram =
        this.existing(metric, Histogram) ??
        new Histogram({ name: metric.name, help: metric.help, labelNames: [...metric.labelNames], buckets: [...metric.buckets], registers: [this.registry] });
      this.histograms.set(metric.name, histogram);
    }
    histogram.observe(labels, value);
  }

  private existing<T>(metric: MetricDefinition, kind: abstract new (...args: never[]) => T): T | undefined {
    const found = this.registry.getSingleMetric(metric.name);
    if (found === undefined) return undefined;
    if (found instanceof kind) return found;
    throw new ConfigError(`Metric ${metric.name} is already registered as another kind`, [
      { field: metric.name, rule: 'kind', message: `expected a ${metric.kind}` },
    ]);
  }
}
