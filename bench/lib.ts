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

/**
 * Latencies in ms of `a` and of `b` at concurrency 1, one call of each in
 * turn (which goes first swaps every pair), after `warmup` unmeasured pairs:
 * drift on a shared machine (load, JIT, GC, a growing table) hits both alike.
 */
export async function pairedLatencies(a: () => Promise<unknown>, b: () => Promise<unknown>, iterations: number, warmup = Math.ceil(iterations / 10)): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const la: number[] = [];
  const lb: number[] = [];
  const timed = async (fn: () => Promise<unknown>, out: number[]) => {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  };
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      await timed(a, la);
      await timed(b, lb);
    } else {
      await timed(b, lb);
      await timed(a, la);
    }
  }
  return [la, lb];
}

/** Runs `total` calls with `concurrency` in flight; returns calls per second. */
async function throughput(fn: () => Promise<unknown>, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await fn();
      }
    }),
  );
  return (total / (performance.now() - start)) * 1000;
}

/**
 * Median calls per second of `a` and of `b` with `concurrency` calls in
 * flight, from short alternating rounds (which goes first swaps every round):
 * a shared machine's load swings more than the difference measured.
 */
export async function pairedThroughput(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  { rounds = 8, callsPerRound = 1000, concurrency = 100 }: { rounds?: number; callsPerRound?: number; concurrency?: number } = {},
): Promise<[number, number]> {
  const ra: number[] = [];
  const rb: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      ra.push(await throughput(a, callsPerRound, concurrency));
      rb.push(await throughput(b, callsPerRound, concurrency));
    } else {
      rb.push(await throughput(b, callsPerRound, concurrency));
      ra.push(await throughput(a, callsPerRound, concurrency));
    }
  }
  return [quantile(ra, 0.5), quantile(rb, 0.5)];
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

/**
 * A fetch that answers every call at once with the same JSON body, in memory:
 * with it, what a call costs is the caller's own work, without the network
 * and its noise.
 */
export function inMemoryFetch(body: unknown, status = 200): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const text = JSON.stringify(body);
  const headers = { 'content-type': 'application/json' };
  return async () => new Response(text, { status, headers });
}

/** Median µs per call of `a` and of `b`, from {@link pairedLatencies}. */
export async function alternatingMicros(a: () => Promise<unknown>, b: () => Promise<unknown>, iterations = 15_000): Promise<[number, number]> {
  const [la, lb] = await pairedLatencies(a, b, iterations);
  return [quantile(la, 0.5) * 1000, quantile(lb, 0.5) * 1000];
}
