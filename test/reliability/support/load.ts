import type { Fault } from '../../../src/testing/faults.js';
import { recordFigures } from './results.js';
import type { TicketTarget } from './targets.js';
import { judge, Tally, type CallOutcome } from './verdict.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly scenario: string;
  readonly calls: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
  /** Faults to inject on creates, as a share of calls (0.1 = one in ten), spread over the run. @default 0 */
  readonly faultRate?: number;
  /** The faults to draw from, in turn. */
  readonly faults?: readonly Fault[];
  /** Seed for the order faults are drawn in. @default 42 */
  readonly seed?: number;
}

/** What a load run measured. */
export interface LoadRun {
  readonly tally: Tally;
  readonly requests: number;
  readonly tickets: number;
  readonly faultsInjected: number;
  readonly faultsFired: number;
}

/**
 * Creates `calls` tickets, `concurrency` at a time, each under its own
 * correlation key. Faults are queued wave by wave (one wave per
 * `concurrency` calls), so they are spread over the whole run rather than
 * spent on its first requests. Every call is judged against the fake's store.
 */
export async function runLoad(target: TicketTarget, options: LoadOptions): Promise<LoadRun> {
  const random = mulberry32(options.seed ?? 42);
  const pool = options.faults ?? [];
  const tally = new Tally();
  let injected = 0;
  const slug = options.scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40);
  for (let start = 0; start < options.calls; start += options.concurrency) {
    const size = Math.min(options.concurrency, options.calls - start);
    const faults = Math.round(size * (options.faultRate ?? 0));
    const match = target.match('create');
    for (let i = 0; i < faults && pool.length; i++) {
      target.faults.add({ fault: pool[Math.floor(random() * pool.length)] as Fault, ...(match ? { match } : {}) });
      injected++;
    }
    const wave = Array.from({ length: size }, async (_, j) => {
      const index = start + j;
      const key = `${slug}-${index}`;
      const began = Date.now();
      const outcome = await target.create(key, index).then(
        (value): CallOutcome => ({ ok: true, value }),
        (error: unknown): CallOutcome => ({ ok: false, error }),
      );
      return { key, index, outcome, elapsedMs: Date.now() - began };
    });
    for (const { key, index, outcome, elapsedMs } of await Promise.all(wave)) tally.add(judge(target, key, index, outcome), elapsedMs);
  }
  return { tally, requests: target.requestCount(), tickets: target.ticketCount(), faultsInjected: injected, faultsFired: target.faults.fired };
}

/** Records a load run's figures for docs/reliability.md. */
export function recordLoad(area: string, options: LoadOptions, run: LoadRun, budgetMs: number, watched: { unhandled: unknown[]; leaked: string[] }): void {
  recordFigures({
    group: 'load',
    area,
    scenario: options.scenario,
    cases: 1,
    calls: run.tally.calls,
    requests: run.requests,
    tickets: run.tickets,
    succeeded: run.tally.succeeded,
    failedTyped: run.tally.failedTyped,
    flagged: run.tally.flagged,
    duplicates: run.tally.duplicates,
    lost: run.tally.lost,
    untypedErrors: run.tally.untypedErrors + run.tally.missingRetry,
    unhandledRejections: watched.unhandled.length,
    leakedHandles: watched.leaked.length,
    maxElapsedMs: run.tally.maxElapsedMs,
    budgetMs,
    time: 'real',
    note: [`concurrency ${options.concurrency}`, run.faultsInjected ? `${run.faultsFired} faults fired` : '', run.tally.errorSummary()].filter(Boolean).join('; '),
  });
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
