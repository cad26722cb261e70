import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/testing/faults.js';
import { startSandbox } from '../../src/testing/sandbox.js';
import { recordLoad, runLoad, type LoadOptions } from './support/load.js';
import { serviceNowTarget } from './support/targets.js';
import { judge, Tally } from './support/verdict.js';
import { ProcessWatch } from './support/watch.js';

const ATTEMPT_TIMEOUT_MS = 250;
/** The server holds each faulted POST as long as the client waits, then commits 300 ms to 2 s later. */
const SLOW_COMMITS: readonly Fault[] = [300, 800, 1_400, 2_000].map((afterMs) => ({ kind: 'lateCommit', afterMs, holdMs: ATTEMPT_TIMEOUT_MS }));
/** `npm run reliability` runs the full 1,000 creates; `npm test` a quarter, to keep the suite short (each wave waits out a settle window). */
const CALLS = process.env['ITSMKIT_RELIABILITY_RESULTS'] ? 1_000 : 250;
const RETRY = { retries: 5, minDelayMs: 10, maxDelayMs: 200, totalBudgetMs: 20_000, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS };

/**
 * Runs keyed creates against the loopback sandbox with slow commits (and,
 * optionally, lookups that fail), waits for every late write to land, then
 * judges every call again against the final store: a call that failed saying
 * nothing while its ticket landed later is lost.
 */
async function slowCommitLoad(options: LoadOptions & { readonly failingLookups?: number }) {
  const watch = new ProcessWatch();
  const sandbox = await startSandbox();
  try {
    const target = await serviceNowTarget({ fake: sandbox.servicenow.fake, via: { url: sandbox.servicenow.url }, retry: RETRY, idempotency: { settleMs: 3_000 } });
    if (options.failingLookups) {
      sandbox.servicenow.fake.faults.add({ fault: { kind: 'status', status: 503, body: { error: { message: 'down' }, status: 'failure' } }, match: { method: 'GET' }, times: options.failingLookups });
    }
    const before = target.ticketCount();
    const run = await runLoad(target, options);
    await sandbox.servicenow.fake.faults.lateCommits();
    // Judged again once every late write has landed.
    const final = new Tally();
    const slug = options.scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40);
    for (let i = 0; i < options.calls; i++) {
      const key = `${slug}-${i}`;
      const tickets = target.ticketsFor(key, i);
      final.add(judge(target, key, i, tickets > 0 ? { ok: true, value: { id: String(sandbox.servicenow.fake.store.rows('incident').find((r) => r['correlation_id'] === key)?.['sys_id']), retry: undefined, reconciled: undefined } } : { ok: false, error: new Error('none') }), 0);
    }
    // A duplicate that only exists once the late writes landed counts in the report too.
    run.tally.duplicates = Math.max(run.tally.duplicates, final.duplicates);
    await sandbox.close();
    const watched = await watch.stop();
    recordLoad(target.area, options, run, target.budgetMs, watched);
    return { run, final, before, after: target.ticketCount(), watched };
  } finally {
    await sandbox.close();
  }
}

describe('slow commits: the server writes after the client gave up', () => {
  it(`${CALLS.toLocaleString('en-US')} keyed creates at concurrency 50, one in five committing 300 ms to 2 s after the attempt timeout: no duplicate, nothing lost`, async () => {
    const { run, final, before, after, watched } = await slowCommitLoad({
      scenario: `${CALLS.toLocaleString('en-US')} keyed creates, 20% commit 0.3-2 s late`,
      calls: CALLS,
      concurrency: 50,
      faultRate: 0.2,
      faults: SLOW_COMMITS,
    });
    expect(run.tally.duplicates + final.duplicates, 'duplicates').toBe(0);
    expect(run.tally.lost, 'lost').toBe(0);
    expect(run.tally.untypedErrors, 'untyped errors').toBe(0);
    expect(run.faultsFired).toBe(CALLS / 5);
    // Every key has exactly one incident in the end, and every call returned it.
    expect(after - before, run.tally.errorSummary()).toBe(CALLS);
    expect(run.tally.succeeded).toBe(CALLS);
    expect(watched.unhandled).toEqual([]);
  }, 120_000);

  it('200 keyed creates whose lookups fail while writes land late: failures say maybeSent, nothing duplicated, nothing lost', async () => {
    const { run, final, watched } = await slowCommitLoad({
      scenario: '200 keyed creates, late commits, failing lookups',
      calls: 200,
      concurrency: 50,
      faultRate: 0.5,
      faults: SLOW_COMMITS,
      failingLookups: 400,
    });
    expect(run.tally.duplicates + final.duplicates, 'duplicates').toBe(0);
    expect(run.tally.lost, 'lost (a failure without maybeSent while its ticket exists)').toBe(0);
    expect(run.tally.untypedErrors, 'untyped errors').toBe(0);
    expect(run.tally.succeeded + run.tally.failedTyped).toBe(200);
    // Every failure left either no ticket or said it may exist; a ticket that landed later belongs to a flagged failure or a success.
    expect(final.succeeded).toBeGreaterThanOrEqual(run.tally.succeeded);
    expect(watched.unhandled).toEqual([]);
  }, 120_000);
});
