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
  const [la = [], lb = []] = await interleavedLatencies([a, b], iterations, warmup);
  return [la, lb];
}

/**
 * Latencies in ms of each of `fns` at concurrency 1: one call of each in turn,
 * round-robin, the first of each round moving on by one every round (for two,
 * {@link pairedLatencies}), after `warmup` unmeasured rounds. Drift on a shared
 * machine then hits every function alike. Returns one list per function.
 */
export async function interleavedLatencies(fns: readonly (() => Promise<unknown>)[], iterations: number, warmup = Math.ceil(iterations / 10)): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) {
    for (const fn of fns) await fn();
  }
  const out = fns.map((): number[] => []);
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (i + k) % fns.length;
      const fn = fns[j]!;
      const start = performance.now();
      await fn();
      out[j]!.push(performance.now() - start);
    }
  }
  return out;
}

/** Runs `total` calls with `concurrency` in flight; returns calls per second. */
export async function throughput(fn: () => Promise<unknown>, total: number, concurrency: number): Promise<number> {
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
export async function pairedThroughput(a: () => Promise<unknown>, b: () => Promise<unknown>, options: ThroughputOptions = {}): Promise<[number, number]> {
  const [ra = Number.NaN, rb = Number.NaN] = await interleavedThroughput([a, b], options);
  return [ra, rb];
}

/** Options of {@link interleavedThroughput} and {@link pairedThroughput}. */
export interface ThroughputOptions {
  /** Measured rounds; each runs every function once. @default 8 */
  readonly rounds?: number;
  /** Calls per function per round. @default 1000 */
  readonly callsPerRound?: number;
  /** Calls in flight. @default 100 */
  readonly concurrency?: number;
  /** Unmeasured rounds first (connections opened, code warmed). @default 0 */
  readonly warmupRounds?: number;
}

/**
 * Median calls per second of each of `fns` with `concurrency` calls in
 * flight, from short rounds that run each function in turn, the first of each
 * round moving on by one every round (for two, {@link pairedThroughput}).
 */
export async function interleavedThroughput(fns: readonly (() => Promise<unknown>)[], { rounds = 8, callsPerRound = 1000, concurrency = 100, warmupRounds = 0 }: ThroughputOptions = {}): Promise<number[]> {
  for (let round = 0; round < warmupRounds; round++) {
    for (const fn of fns) await throughput(fn, callsPerRound, concurrency);
  }
  const rates = fns.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (round + k) % fns.length;
      rates[j]!.push(await throughput(fns[j]!, callsPerRound, concurrency));
    }
  }
  return rates.map((r) => quantile(r, 0.5));
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
