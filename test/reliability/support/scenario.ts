import { expect } from 'vitest';
import type { RetryPolicyOptions } from '../../../src/core/retry-policy.js';
import type { Fault } from '../../../src/testing/faults.js';
import type { Handler } from '../../../src/testing/handler.js';
import { recordFigures } from './results.js';
import type { FaultSite, TargetOptions, TicketTarget } from './targets.js';
import { judge, Tally, type CallOutcome } from './verdict.js';
import { inVirtualTime } from './virtual-time.js';
import { ProcessWatch } from './watch.js';

/** Builds a target for a scenario (one per platform; later layers add theirs). */
export type TargetFactory = (options: TargetOptions) => Promise<TicketTarget>;

/** One scripted fault, placed on a site of the target. */
export interface PlacedFault {
  readonly site: FaultSite;
  readonly fault: Fault;
  /** @default 1 */
  readonly times?: number;
}

/** A fault scenario, written once and run against every target. */
export interface FaultScenario {
  readonly name: string;
  readonly retry: RetryPolicyOptions;
  readonly faults?: readonly PlacedFault[];
  /** A behaviour FaultInjector has no kind for (a late response after the write, a stalled body). */
  readonly wrap?: (handler: Handler) => Handler;
  /**
   * How each call must end: `ticket` (exactly one), `error` (typed, no
   * ticket), `flagged` (typed, the ticket may exist and the error says so).
   */
  readonly expect: 'ticket' | 'error' | 'flagged';
  /** The error class names allowed, for `error` and `flagged`. */
  readonly errors?: readonly string[];
  /** Whether creates carry a correlation key. @default true */
  readonly keyed?: boolean;
  /** In-process under fake timers (exact virtual time), or a loopback server with real time. @default 'in-process' */
  readonly via?: 'in-process' | 'loopback';
  /** Calls made. @default 1 */
  readonly repeat?: number;
}

/** What a scenario run measured. */
export interface ScenarioRun {
  readonly tally: Tally;
  readonly target: TicketTarget;
  readonly budgetMs: number;
  readonly requests: number;
  readonly tickets: number;
  readonly faultsFired: number;
  readonly leaked: string[];
  readonly unhandled: unknown[];
  readonly pendingTimers: number;
  readonly outcomes: CallOutcome[];
  /** The target's books against the outcomes (TicketService metrics): empty when they agree. */
  readonly audit: string[];
}

/**
 * Real time only: how far past the budget a call may end, for the timer that
 * ends the last attempt to fire and the error to be built on a busy machine.
 * Virtual-time scenarios get no allowance.
 */
export const REAL_TIME_ALLOWANCE_MS = 500;

/** Runs a scenario against a target and records its figures; {@link expectClean} asserts on them. */
export async function runFaultScenario(make: TargetFactory, scenario: FaultScenario): Promise<ScenarioRun> {
  const watch = new ProcessWatch();
  const via = scenario.via ?? 'in-process';
  const target = await make({ retry: scenario.retry, via, ...(scenario.wrap ? { wrap: scenario.wrap } : {}) });
  for (const placed of scenario.faults ?? []) {
    const match = target.match(placed.site);
    target.faults.add({ fault: placed.fault, ...(match ? { match } : {}), times: placed.times ?? 1 });
  }
  const tally = new Tally();
  const outcomes: CallOutcome[] = [];
  let pendingTimers = 0;
  const slug = scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  for (let i = 0; i < (scenario.repeat ?? 1); i++) {
    const key = scenario.keyed === false ? undefined : `${slug}-${i}`;
    let outcome: CallOutcome;
    let elapsedMs: number;
    if (via === 'in-process') {
      const run = await inVirtualTime(() => target.create(key, i));
      outcome = run.outcome.ok ? { ok: true, value: run.outcome.value } : { ok: false, error: run.outcome.error };
      elapsedMs = run.elapsedMs;
      pendingTimers += run.pendingTimers;
    } else {
      const started = Date.now();
      outcome = await target.create(key, i).then(
        (value): CallOutcome => ({ ok: true, value }),
        (error: unknown): CallOutcome => ({ ok: false, error }),
      );
      elapsedMs = Date.now() - started;
    }
    outcomes.push(outcome);
    tally.add(judge(target, key, i, outcome), elapsedMs);
  }
  const audit = target.audit?.() ?? [];
  await target.close();
  const { unhandled, leaked } = await watch.stop();
  const run: ScenarioRun = {
    tally,
    target,
    budgetMs: target.budgetMs,
    requests: target.requestCount(),
    tickets: target.ticketCount(),
    faultsFired: target.faults.fired,
    leaked,
    unhandled,
    pendingTimers,
    outcomes,
    audit,
  };
  recordFigures({
    group: 'fault',
    area: target.area,
    scenario: scenario.name,
    cases: scenario.repeat ?? 1,
    calls: tally.calls,
    requests: run.requests,
    tickets: run.tickets,
    succeeded: tally.succeeded,
    failedTyped: tally.failedTyped,
    flagged: tally.flagged,
    duplicates: tally.duplicates,
    lost: tally.lost,
    untypedErrors: tally.untypedErrors + tally.missingRetry,
    unhandledRejections: unhandled.length,
    leakedHandles: leaked.length + pendingTimers,
    maxElapsedMs: tally.maxElapsedMs,
    budgetMs: run.budgetMs,
    time: via === 'in-process' ? 'virtual' : 'real',
    ...(target.audit ? { mismatches: audit.length } : {}),
    note: [scenario.expect === 'ticket' ? 'ticket expected' : `${scenario.errors?.join(' or ') ?? 'error'} expected`, tally.errorSummary()].filter(Boolean).join('; '),
  });
  return run;
}

/** Asserts every invariant on a run: outcome as expected, no duplicate, nothing lost, typed errors with retry metadata, budget held, nothing left open. */
export function expectClean(run: ScenarioRun, scenario: FaultScenario): void {
  const { tally } = run;
  const details = run.outcomes.map((o) => (o.ok ? `ok ${o.value.id}` : `${(o.error as Error)?.name}: ${(o.error as Error)?.message}`));
  expect(tally.duplicates, 'duplicates').toBe(0);
  expect(tally.lost, `lost tickets (${details.join(' | ')})`).toBe(0);
  expect(tally.untypedErrors, `untyped errors (${details.join(' | ')})`).toBe(0);
  expect(tally.missingRetry, 'errors without retry metadata').toBe(0);
  expect(run.unhandled, 'unhandled rejections').toEqual([]);
  expect(run.leaked, 'handles left open').toEqual([]);
  expect(run.pendingTimers, 'timers left pending').toBe(0);
  expect(run.audit, 'metrics against the outcomes').toEqual([]);
  if (scenario.faults?.length) expect(run.faultsFired, 'faults fired').toBeGreaterThan(0);
  const allowance = (scenario.via ?? 'in-process') === 'in-process' ? 0 : REAL_TIME_ALLOWANCE_MS;
  expect(tally.maxElapsedMs, 'elapsed within the retry budget').toBeLessThanOrEqual(run.budgetMs + allowance);
  const calls = scenario.repeat ?? 1;
  if (scenario.expect === 'ticket') {
    expect(tally.succeeded, details.join(' | ')).toBe(calls);
  } else {
    expect(tally.failedTyped, details.join(' | ')).toBe(calls);
    expect(tally.flagged).toBe(scenario.expect === 'flagged' ? calls : 0);
    if (scenario.errors) for (const name of tally.errors.keys()) expect(scenario.errors, details.join(' | ')).toContain(name);
  }
}
