import { metrics, type Counter, type Histogram, type Meter, type MeterProvider } from '@opentelemetry/api';
import type { CounterDefinition, HistogramDefinition, MetricLabels, MetricsSink } from '../../core/index.js';
import { VERSION } from '../../version.js';

/** Options of {@link otelMetricsSink}. */
export interface OtelMetricsSinkOptions {
  /** Where the instruments are created. @default the global provider (`metrics.getMeterProvider()`), looked up at the first observation */
  readonly meterProvider?: MeterProvider;
}

/**
 * A {@link MetricsSink} on `@opentelemetry/api`: each metric (the ITSM ones
 * in `ITSM_METRICS`, or any other) becomes an OpenTelemetry instrument of the
 * same name on the `itsmkit` meter, created at its first use: a counter as a
 * Counter, a histogram as a Histogram with the definition's buckets as its
 * advised bucket boundaries (unit `s` for names ending in `_seconds`). The
 * help text is the description; labels are attributes.
 *
 * @example
 * const tickets = new TicketService({ servicenow, metrics: otelMetricsSink() });
 */
export function otelMetricsSink(options: OtelMetricsSinkOptions = {}): MetricsSink {
  let meter: Meter | undefined;
  const counters = new Map<string, Counter>();
  const histograms = new Map<string, Histogram>();
  const getMeter = () => (meter ??= (options.meterProvider ?? metrics.getMeterProvider()).getMeter('itsmkit', VERSION));
  return {
    inc(metric: CounterDefinition, labels: MetricLabels, value = 1) {
      let counter = counters.get(metric.name);
      if (!counter) {
        counter = getMeter().createCounter(metric.name, { description: metric.help });
        counters.set(metric.name, counter);
      }
      counter.add(value, labels);
    },
    observe(metric: HistogramDefinition, labels: MetricLabels, value: number) {
      let histogram = histograms.get(metric.name);
      if (!histogram) {
        histogram = getMeter().createHistogram(metric.name, {
          description: metric.help,
          ...(metric.name.endsWith('_seconds') ? { unit: 's' } : {}),
          advice: { explicitBucketBoundaries: [...metric.buckets] },
        });
        histograms.set(metric.name, histogram);
      }
      histogram.record(value, labels);
    },
  };
}
