import { describe, expect, it } from 'vitest';
import type { RetryPolicyOptions } from '../../src/core/retry-policy.js';
import type { Fault } from '../../src/testing/faults.js';
import { startSandbox, type Sandbox } from '../../src/testing/sandbox.js';
import { recordLoad, runLoad, type LoadOptions } from './support/load.js';
import { REAL_TIME_ALLOWANCE_MS } from './support/scenario.js';
import { jiraTarget, serviceNowTarget, type TicketTarget } from './support/targets.js';
import { ProcessWatch } from './support/watch.js';

const RETRY: RetryPolicyOptions = { retries: 5, minDelayMs: 10, maxDelayMs: 200, totalBudgetMs: 20_000, attemptTimeoutMs: 5_000 };
/** Jira's search-consistency polls, scaled to loopback. */
const CONSISTENCY = { polls: 4, intervalMs: 20 };
/** The mix the 10% is drawn from: writes that landed and then failed, resets, rate limits, latency. */
const FAULT_MIX: readonly Fault[] = [
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
 * socket or timer open once the sandbox is closed.
 */
async function loadScenario(area: 'servicenow' | 'jira', options: LoadOptions): Promise<void> {
  const watch = new ProcessWatch();
  const sandbox: Sandbox = await startSandbox();
  let target: TicketTarget;
  try {
    target =
      area === 'servicenow'
        ? await serviceNowTarget({ fake: sandbox.servicenow.fake, via: { url: sandbox.servicenow.url }, retry: RETRY })
        : await jiraTarget({ fake: sandbox.jira.fake, via: { url: sandbox.jira.url }, retry: RETRY, consistency: CONSISTENCY });
    const before = target.ticketCount();
    const run = await runLoad(target, options);
    await sandbox.close();
    const watched = await watch.stop();
    recordLoad(area, options, run, target.budgetMs, watched);

    expect(run.tally.calls).toBe(options.calls);
    expect(run.tally.duplicates, 'duplicates').toBe(0);
    expect(run.tally.lost, 'lost').toBe(0);
    expect(run.tally.flagged, 'flagged').toBe(0);
    expect(run.tally.untypedErrors, 'untyped errors').toBe(0);
    expect(run.tally.missingRetry, 'errors without retry metadata').toBe(0);
    expect(watched.unhandled, 'unhandled rejections').toEqual([]);
    expect(watched.leaked, 'handles left open').toEqual([]);
    // Every success is one ticket and every failure none: the store grew by exactly the successes.
    expect(run.tickets - before).toBe(run.tally.succeeded);
    expect(run.tally.maxElapsedMs).toBeLessThanOrEqual(target.budgetMs + REAL_TIME_ALLOWANCE_MS);
    if (options.faultRate) expect(run.faultsFired).toBe(Math.round(options.calls * options.faultRate));
    else expect(run.tally.succeeded).toBe(options.calls);
  } finally {
    await sandbox.close();
  }
}

describe('load on the loopback sandbox', () => {
  it('100 concurrent ServiceNow incident creations (seed 003)', async () => {
    await loadScenario('servicenow', { scenario: '100 concurrent incident creations', calls: 100, concurrency: 100 });
  });

  it('100 concurrent Jira issue creations (seed 003)', async () => {
    await loadScenario('jira', { scenario: '100 concurrent issue creations', calls: 100, concurrency: 100 });
  });

  it('1,000 ServiceNow creations with 10% injected faults', async () => {
    await loadScenario('servicenow', { scenario: '1,000 incident creations, 10% faults', calls: 1_000, concurrency: 50, faultRate: 0.1, faults: FAULT_MIX });
  });

  it('1,000 Jira creations with 10% injected faults', async () => {
    await loadScenario('jira', { scenario: '1,000 issue creations, 10% faults', calls: 1_000, concurrency: 50, faultRate: 0.1, faults: FAULT_MIX });
  });
});
