import { expect } from 'vitest';
import type { InMemoryMetricsSink } from '../../../src/core/metrics.js';
import type { RetryPolicyOptions } from '../../../src/core/retry-policy.js';
import type { Fault } from '../../../src/testing/faults.js';
import { startSandbox, type Sandbox } from '../../../src/testing/sandbox.js';
import { recordFigures } from './results.js';
import { REAL_TIME_ALLOWANCE_MS } from './scenario.js';
import { jiraTarget, serviceNowTarget, type TicketTarget } from './targets.js';
import { ProcessWatch } from './watch.js';
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
  /** The target's books against the outcomes (TicketService metrics): empty when they agree. */
  readonly audit: string[] | undefined;
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
  return { tally, requests: target.requestCount(), tickets: target.ticketCount(), faultsInjected: injected, faultsFired: target.faults.fired, audit: target.audit?.() };
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
    ...(run.audit ? { mismatches: run.audit.length } : {}),
    note: [`concurrency ${options.concurrency}`, run.faultsInjected ? `${run.faultsFired} faults fired` : '', run.audit ? 'metrics audited' : '', run.tally.errorSummary()].filter(Boolean).join('; '),
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

const RETRY: RetryPolicyOptions = { retries: 5, minDelayMs: 10, maxDelayMs: 200, totalBudgetMs: 20_000, attemptTimeoutMs: 5_000 };
/**
 * The settle window, scaled to loopback: these faults never commit late (the
 * slow-commit scenarios do), and a reset before the write would otherwise wait
 * out the default window (the 5 s attempt timeout) before the re-send.
 */
const SETTLE = { settleMs: 200 };
/** Jira's search-consistency polls, scaled to loopback. */
const CONSISTENCY = { polls: 4, intervalMs: 20 };
/** The mix the 10% is drawn from: writes that landed and then failed, resets, rate limits, latency. */
export const LOAD_FAULT_MIX: readonly Fault[] = [
  { kind: 'statusAfter', status: 503 },
  { kind: 'drop', when: 'after' },
  { kind: 'drop', when: 'before' },
  { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
  { kind: 'status', status: 503 },
  { kind: 'delay', ms: 25 },
];

/**
 * Starts a sandbox, runs the load against one of its services, stops it, and
 * checks every invariant: each call one ticket or a typed error and none, no
 * duplicate, nothing lost, the budget held, no unhandled rejection, and no
 * socket or timer open once the sandbox is closed; through a TicketService,
 * its metrics agree with the outcomes.
 */
export async function loadOnSandbox(area: 'servicenow' | 'jira', options: LoadOptions, through: { readonly ticketService?: InMemoryMetricsSink } = {}): Promise<void> {
  const watch = new ProcessWatch();
  const sandbox: Sandbox = await startSandbox();
  let target: TicketTarget;
  try {
    target =
      area === 'servicenow'
        ? await serviceNowTarget({ fake: sandbox.servicenow.fake, via: { url: sandbox.servicenow.url }, retry: RETRY, idempotency: SETTLE, ...through })
        : await jiraTarget({ fake: sandbox.jira.fake, via: { url: sandbox.jira.url }, retry: RETRY, consistency: CONSISTENCY, ...through });
    const before = target.ticketCount();
    const run = await runLoad(target, options);
    await sandbox.close();
    const watched = await watch.stop();
    recordLoad(target.area, options, run, target.budgetMs, watched);

    expect(run.tally.calls).toBe(options.calls);
    expect(run.tally.duplicates, 'duplicates').toBe(0);
    expect(run.tally.lost, 'lost').toBe(0);
    expect(run.tally.flagged, 'flagged').toBe(0);
    expect(run.tally.untypedErrors, 'untyped errors').toBe(0);
    expect(run.tally.missingRetry, 'errors without retry metadata').toBe(0);
    expect(watched.unhandled, 'unhandled rejections').toEqual([]);
    expect(watched.leaked, 'handles left open').toEqual([]);
    expect(run.audit ?? [], 'metrics against the outcomes').toEqual([]);
    // Every success is one ticket and every failure none: the store grew by exactly the successes.
    expect(run.tickets - before).toBe(run.tally.succeeded);
    expect(run.tally.maxElapsedMs).toBeLessThanOrEqual(target.budgetMs + REAL_TIME_ALLOWANCE_MS);
    if (options.faultRate) expect(run.faultsFired).toBe(Math.round(options.calls * options.faultRate));
    else expect(run.tally.succeeded).toBe(options.calls);
  } finally {
    await sandbox.close();
  }
}
