import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/core/errors.js';
import { InMemoryMetricsSink, noopMetricsSink, type CounterDefinition, type HistogramDefinition } from '../../src/core/metrics.js';

const created: CounterDefinition = { kind: 'counter', name: 'created_total', help: 'h', labelNames: ['platform', 'outcome'] };
const duration: HistogramDefinition = { kind: 'histogram', name: 'duration_seconds', help: 'h', labelNames: ['platform'], buckets: [0.1, 1, 10] };

describe('InMemoryMetricsSink', () => {
  it('counts per label set and sums over partial labels', () => {
    const sink = new InMemoryMetricsSink();
    sink.inc(created, { platform: 'jira', outcome: 'success' });
    sink.inc(created, { platform: 'jira', outcome: 'success' }, 2);
    sink.inc(created, { platform: 'jira', outcome: 'error' });
    sink.inc(created, { platform: 'servicenow', outcome: 'success' });
    expect(sink.counter('created_total', { platform: 'jira', outcome: 'success' })).toBe(3);
    expect(sink.counter('created_total', { platform: 'jira' })).toBe(4);
    expect(sink.counter('created_total')).toBe(5);
    expect(sink.counter('never_used')).toBe(0);
    expect(sink.definition('created_total')).toBe(created);
  });

  it('buckets histogram observations cumulatively', () => {
    const sink = new InMemoryMetricsSink();
    for (const v of [0.05, 0.5, 0.5, 5, 50]) sink.observe(duration, { platform: 'jira' }, v);
    const h = sink.histogram('duration_seconds', { platform: 'jira' });
    expect(h).toEqual({
      count: 5,
      sum: 56.05,
      buckets: [
        { le: 0.1, count: 1 },
        { le: 1, count: 3 },
        { le: 10, count: 4 },
        { le: Number.POSITIVE_INFINITY, count: 5 },
      ],
      values: [0.05, 0.5, 0.5, 5, 50],
    });
    expect(sink.histogram('duration_seconds', { platform: 'servicenow' })).toBeUndefined();
    expect(sink.histogram('created_total', { platform: 'jira' })).toBeUndefined();
  });

  it('lists every series and resets', () => {
    const sink = new InMemoryMetricsSink();
    sink.inc(created, { platform: 'jira', outcome: 'success' });
    sink.observe(duration, { platform: 'jira' }, 1);
    expect(sink.series()).toEqual([
      { name: 'created_total', kind: 'counter', labels: { platform: 'jira', outcome: 'success' }, value: 1 },
      { name: 'duration_seconds', kind: 'histogram', labels: { platform: 'jira' }, value: 1 },
    ]);
    sink.reset();
    expect(sink.series()).toEqual([]);
  });

  it('refuses missing, undeclared labels and negative increments', () => {
    const sink = new InMemoryMetricsSink();
    const err = (() => {
      try {
        sink.inc(created, { platform: 'jira', result: 'x' });
      } catch (e) {
        return e;
      }
    })();
    expect(isConfigError(err)).toBe(true);
    expect((err as { issues: unknown }).issues).toEqual([
      { field: 'created_total.outcome', rule: 'required', message: 'label is missing' },
      { field: 'created_total.result', rule: 'unknown_key', message: 'label is not declared' },
    ]);
    expect(() => sink.inc(created, { platform: 'jira', outcome: 'x' }, -1)).toThrow(/cannot be increased/);
    expect(() => sink.observe({ ...duration, name: 'created_total' }, { platform: 'jira' }, 1)).toThrow(/already registered as a counter/);
  });

  it('keeps label values with separators apart', () => {
    const sink = new InMemoryMetricsSink();
    sink.inc(created, { platform: 'a,outcome=b', outcome: 'c' });
    sink.inc(created, { platform: 'a', outcome: 'b,outcome=c' });
    expect(sink.counter('created_total', { platform: 'a' })).toBe(1);
  });

  it('noop sink accepts anything', () => {
    expect(() => {
      noopMetricsSink.inc(created, {});
      noopMetricsSink.observe(duration, {}, 1);
    }).not.toThrow();
  });
});
