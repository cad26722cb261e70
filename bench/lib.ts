/** One figure, as written to bench/results/latest.json. */
export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** The raw-fetch (or other) baseline for the same measurement, when there is one. */
  readonly baseline?: number;
  /** Target or context, printed beside the figure. */
  readonly note?: string;
}

/** A group of benchmarks. */
export interface BenchSuite {
  readonly name: string;
  run(): Promise<BenchResult[]>;
}

/** The value at quantile `q` (0..1) of a list of numbers. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Runs `fn` sequentially and returns each call's latency in ms (after `warmup` unmeasured calls). */
export async function latencies(fn: () => Promise<unknown>, iterations: number, warmup = Math.ceil(iterations / 10)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

/** Runs `total` calls with `concurrency` in flight; returns calls per second and each call's latency. */
export async function throughput(fn: () => Promise<unknown>, total: number, concurrency: number): Promise<{ perSecond: number; latencies: number[] }> {
  let next = 0;
  const lat: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        await fn();
        lat.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: (total / (performance.now() - start)) * 1000, latencies: lat };
}

/** Calls a synchronous `fn` repeatedly for about `ms` and returns calls per second. */
export function opsPerSecond(fn: () => unknown, ms = 500): number {
  for (let i = 0; i < 1000; i++) fn();
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 100; i++) fn();
    count += 100;
    now = performance.now();
  }
  return (count / (now - start)) * 1000;
}

/** Median time of one synchronous call in µs, from batches of calls. */
export function medianMicros(fn: () => unknown, batches = 200, perBatch = 50): number {
  for (let i = 0; i < 1000; i++) fn();
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    times.push(((performance.now() - start) * 1000) / perBatch);
  }
  return quantile(times, 0.5);
}
