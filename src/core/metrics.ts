import { ConfigError } from './errors.js';

/** Label values of one observation, by label name. */
export type MetricLabels = Readonly<Record<string, string>>;

/** What a metric is: name, help text and the exact label names every observation carries. */
interface MetricDefinitionBase {
  /** Prometheus-style name (`itsm_ticket_creation_total`). */
  readonly name: string;
  /** One sentence for the `# HELP` line. */
  readonly help: string;
  /** The label names, in order; every observation must give exactly these. */
  readonly labelNames: readonly string[];
}

/** A monotonically increasing count. */
export interface CounterDefinition extends MetricDefinitionBase {
  readonly kind: 'counter';
}

/** A distribution of observed values, bucketed by upper bound. */
export interface HistogramDefinition extends MetricDefinitionBase {
  readonly kind: 'histogram';
  /** Upper bounds of the buckets, ascending (`+Inf` is implied). */
  readonly buckets: readonly number[];
}

/** A counter or a histogram. */
export type MetricDefinition = CounterDefinition | HistogramDefinition;

/**
 * The metrics port. Each call carries the metric's full definition, so an
 * adapter (Prometheus, OpenTelemetry, StatsD) can register it lazily with its
 * help text, label names and buckets.
 */
export interface MetricsSink {
  /** Adds `value` (default 1) to a counter. */
  inc(metric: CounterDefinition, labels: MetricLabels, value?: number): void;
  /** Records one observation in a histogram. */
  observe(metric: HistogramDefinition, labels: MetricLabels, value: number): void;
}

/** A sink that drops everything: the default where no sink is given. */
export const noopMetricsSink: MetricsSink = { inc: () => {}, observe: () => {} };

/** A histogram's state for one label set, as {@link InMemoryMetricsSink} reads it back. */
export interface HistogramSnapshot {
  readonly count: number;
  readonly sum: number;
  /** Cumulative count per upper bound, `+Inf` last. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  /** Every observed value, in order. */
  readonly values: readonly number[];
}

interface HistogramState {
  count: number;
  sum: number;
  readonly bucketCounts: number[];
  readonly values: number[];
}

/**
 * Keeps every counter and histogram in memory, with read-back for tests and
 * demos. Observations whose label names differ from the definition's throw a
 * {@link ConfigError}, as Prometheus clients do, so label mistakes surface in tests.
 */
export class InMemoryMetricsSink implements MetricsSink {
  readonly #definitions = new Map<string, MetricDefinition>();
  readonly #counters = new Map<string, Map<string, number>>();
  readonly #histograms = new Map<string, Map<string, HistogramState>>();

  inc(metric: CounterDefinition, labels: MetricLabels, value = 1): void {
    if (!(value >= 0)) throw new ConfigError(`Counter ${metric.name} cannot be increased by ${value}`);
    const series = this.#series(this.#counters, metric, labels);
    const key = labelKey(metric, labels);
    series.set(key, (series.get(key) ?? 0) + value);
  }

  observe(metric: HistogramDefinition, labels: MetricLabels, value: number): void {
    const series = this.#series(this.#histograms, metric, labels);
    const key = labelKey(metric, labels);
    let state = series.get(key);
    if (!state) {
      state = { count: 0, sum: 0, bucketCounts: metric.buckets.map(() => 0), values: [] };
      series.set(key, state);
    }
    state.count++;
    state.sum += value;
    state.values.push(value);
    metric.buckets.forEach((le, i) => {
      if (value <= le) state.bucketCounts[i] = (state.bucketCounts[i] ?? 0) + 1;
    });
  }

  /** A counter's value for one label set, or summed over every series matching the labels given. */
  counter(name: string, labels: MetricLabels = {}): number {
    let total = 0;
    for (const [key, value] of this.#counters.get(name) ?? []) if (matches(key, labels)) total += value;
    return total;
  }

  /** A histogram's state for exactly one label set, or undefined when nothing was observed there. */
  histogram(name: string, labels: MetricLabels): HistogramSnapshot | undefined {
    const definition = this.#definitions.get(name);
    if (definition?.kind !== 'histogram') return undefined;
    const state = this.#histograms.get(name)?.get(labelKey(definition, labels));
    if (!state) return undefined;
    return {
      count: state.count,
      sum: state.sum,
      buckets: [
        ...definition.buckets.map((le, i) => ({ le, count: state.bucketCounts[i] ?? 0 })),
        { le: Number.POSITIVE_INFINITY, count: state.count },
      ],
      values: [...state.values],
    };
  }

  /** Every series seen so far: metric name, kind, labels and value (a counter's total or a histogram's count). */
  series(): { readonly name: string; readonly kind: MetricDefinition['kind']; readonly labels: MetricLabels; readonly value: number }[] {
    const out: { name: string; kind: MetricDefinition['kind']; labels: MetricLabels; value: number }[] = [];
    for (const [name, series] of this.#counters) {
      for (const [key, value] of series) out.push({ name, kind: 'counter', labels: parseKey(key), value });
    }
    for (const [name, series] of this.#histograms) {
      for (const [key, state] of series) out.push({ name, kind: 'histogram', labels: parseKey(key), value: state.count });
    }
    return out;
  }

  /** The definition a metric was first used with. */
  definition(name: string): MetricDefinition | undefined {
    return this.#definitions.get(name);
  }

  /** Forgets every observation. */
  reset(): void {
    this.#counters.clear();
    this.#histograms.clear();
  }

  #series<T>(store: Map<string, Map<string, T>>, metric: MetricDefinition, labels: MetricLabels): Map<string, T> {
    const known = this.#definitions.get(metric.name);
    if (known && known.kind !== metric.kind) {
      throw new ConfigError(`Metric ${metric.name} is already registered as a ${known.kind}`);
    }
    if (!known) this.#definitions.set(metric.name, metric);
    checkLabels(metric, labels);
    let series = store.get(metric.name);
    if (!series) {
      series = new Map();
      store.set(metric.name, series);
    }
    return series;
  }
}

function checkLabels(metric: MetricDefinition, labels: MetricLabels): void {
  const given = Object.keys(labels);
  const extra = given.filter((k) => !metric.labelNames.includes(k));
  const missing = metric.labelNames.filter((k) => !Object.hasOwn(labels, k));
  if (extra.length || missing.length) {
    throw new ConfigError(`Wrong labels for metric ${metric.name}`, [
      ...missing.map((k) => ({ field: `${metric.name}.${k}`, rule: 'required', message: 'label is missing' })),
      ...extra.map((k) => ({ field: `${metric.name}.${k}`, rule: 'unknown_key', message: 'label is not declared' })),
    ]);
  }
}

// Series keys are JSON of the label pairs in definition order: unambiguous whatever the values hold.
function labelKey(metric: MetricDefinition, labels: MetricLabels): string {
  return JSON.stringify(metric.labelNames.map((k) => [k, labels[k] ?? '']));
}

function parseKey(key: string): MetricLabels {
  return Object.fromEntries(JSON.parse(key) as [string, string][]);
}

function matches(key: string, labels: MetricLabels): boolean {
  const actual = parseKey(key);
  return Object.entries(labels).every(([k, v]) => actual[k] === v);
}
