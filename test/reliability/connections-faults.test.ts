import { describe, expect, it } from 'vitest';
import { isDataSourceError } from '../../src/connections/errors.js';
import type { RetryPolicyOptions } from '../../src/core/retry-policy.js';
import type { Fault } from '../../src/testing/faults.js';
import type { Handler } from '../../src/testing/handler.js';
import { lateAfterWrite, stalledBodyAfterWrite } from './support/behaviours.js';
import { dataSourcesRig, judgeWebhooks, WEBHOOK_OF, type DataSourcesOperation, type DataSourcesRig } from './support/datasources.js';
import { recordFigures } from './support/results.js';
import { REAL_TIME_ALLOWANCE_MS } from './support/scenario.js';
import { Tally, type CallOutcome } from './support/verdict.js';
import { inVirtualTime } from './support/virtual-time.js';
import { ProcessWatch } from './support/watch.js';

const POLICY: RetryPolicyOptions = { retries: 5, minDelayMs: 200, maxDelayMs: 5_000, jitter: 'none', totalBudgetMs: 30_000, attemptTimeoutMs: 5_000 };
const LOOPBACK: RetryPolicyOptions = { retries: 5, minDelayMs: 20, maxDelayMs: 200, jitter: 'none', totalBudgetMs: 3_000, attemptTimeoutMs: 600 };
const rateLimited = (retryAfter: string): Fault => ({ kind: 'status', status: 429, headers: { 'retry-after': retryAfter } });

/** How one operation must end under a scenario: `ok`, a typed `error` with no webhook, or `flagged` (typed, the webhook may have gone, the error says so). */
type Expectation = 'ok' | 'error' | 'flagged';

interface ApiScenario {
  readonly name: string;
  readonly retry?: RetryPolicyOptions;
  /** Faults on the operation's endpoint (`any`: on every API request). */
  readonly faults?: readonly { readonly fault: Fault; readonly times?: number; readonly any?: boolean }[];
  readonly wrap?: (handler: Handler) => Handler;
  readonly via?: 'in-process' | 'loopback';
  /** The operations run, and how each must end. */
  readonly expect: Partial<Record<DataSourcesOperation, Expectation>>;
  /** The error class names allowed. */
  readonly errors?: readonly string[];
}

/** The data-sources writes that trigger a webhook. */
const isTrigger = (request: Request) => request.method === 'POST' && /\/(verify|sync)$/.test(new URL(request.url).pathname);

/**
 * The data-sources API under the fault classes of the ticket scenarios. Verify
 * and sync are writes that trigger a webhook: after an ambiguous failure the
 * client must not send them again (the external service would verify or sync
 * twice), so they end `flagged` where the write landed. Reads retry freely.
 */
const API_SCENARIOS: readonly ApiScenario[] = [
  { name: 'no fault (baseline)', expect: { verify: 'ok', sync: 'ok', get: 'ok', list: 'ok' } },
  { name: 'added latency: 2 s on every request', faults: [{ fault: { kind: 'delay', ms: 2_000 }, times: 20, any: true }], expect: { verify: 'ok', sync: 'ok', get: 'ok', list: 'ok' } },
  { name: '429 storm (5x) with Retry-After: 1', faults: [{ fault: rateLimited('1'), times: 5 }], expect: { verify: 'ok', sync: 'ok', get: 'ok', list: 'ok' } },
  { name: '429 storm with Retry-After: 60, past the 30 s budget', faults: [{ fault: rateLimited('60'), times: 10 }], expect: { verify: 'error', sync: 'error', get: 'error' }, errors: ['RateLimitError'] },
  // A 5xx to a write may come after it landed: not re-sent; reads are retried.
  { name: '5xx burst (503 x4)', faults: [{ fault: { kind: 'status', status: 503 }, times: 4 }], expect: { verify: 'error', sync: 'error', get: 'ok', list: 'ok' }, errors: ['ServerError'] },
  { name: '5xx burst (503 x10) outlasting the retries', faults: [{ fault: { kind: 'status', status: 503 }, times: 10 }], expect: { get: 'error', list: 'error' }, errors: ['ServerError'] },
  { name: '502 after the write landed', faults: [{ fault: { kind: 'statusAfter', status: 502 } }], expect: { verify: 'flagged', sync: 'flagged', get: 'ok' }, errors: ['ServerError'] },
  { name: 'connection refused before sending (x3)', faults: [{ fault: { kind: 'drop', when: 'before' }, times: 3 }], expect: { verify: 'ok', sync: 'ok', get: 'ok', list: 'ok' } },
  { name: 'connection reset after the write landed', faults: [{ fault: { kind: 'drop', when: 'after' } }], expect: { verify: 'flagged', sync: 'flagged', get: 'ok', list: 'ok' }, errors: ['NetworkError'] },
  { name: 'truncated JSON body (write landed)', faults: [{ fault: { kind: 'truncate' } }], expect: { verify: 'flagged', sync: 'flagged', get: 'error', list: 'error' }, errors: ['UnexpectedResponseError'] },
  { name: 'non-JSON body with 200 (nothing written)', faults: [{ fault: { kind: 'status', status: 200, body: 'OK' } }], expect: { verify: 'error', sync: 'error', get: 'error', list: 'error' }, errors: ['UnexpectedResponseError'] },
  { name: 'HTML page with status 200', faults: [{ fault: { kind: 'html' } }], expect: { verify: 'error', sync: 'error', get: 'error', list: 'error' }, errors: ['UnexpectedResponseError'] },
  { name: 'slow response past the attempt timeout, write not landed', faults: [{ fault: { kind: 'delay', ms: 10_000 } }], expect: { verify: 'error', sync: 'error', get: 'ok', list: 'ok' }, errors: ['TimeoutError'] },
  { name: 'slow response past the attempt timeout after the write landed', wrap: lateAfterWrite(10_000, 1, isTrigger), expect: { verify: 'flagged', sync: 'flagged' }, errors: ['TimeoutError'] },
  { name: 'body stalls past the attempt timeout (write landed)', wrap: stalledBodyAfterWrite(1, isTrigger), expect: { verify: 'flagged', sync: 'flagged' }, errors: ['TimeoutError'] },
  { name: 'every attempt hangs past the total budget', faults: [{ fault: { kind: 'delay', ms: 120_000 }, times: 20 }], expect: { verify: 'error', sync: 'error', get: 'error', list: 'error' }, errors: ['TimeoutError'] },
  // On a real socket a reset before the request was read looks like one after it (UND_ERR_SOCKET): writes are not re-sent.
  // A connection closed without a byte of answer is a ConnectionError (a NetworkError) whose hint says what it means if it persists.
  { name: 'loopback: socket destroyed before the write', via: 'loopback', retry: LOOPBACK, faults: [{ fault: { kind: 'drop', when: 'before' }, times: 2 }], expect: { verify: 'error', sync: 'error', get: 'ok' }, errors: ['NetworkError', 'ConnectionError'] },
  { name: 'loopback: socket destroyed after the write landed', via: 'loopback', retry: LOOPBACK, faults: [{ fault: { kind: 'drop', when: 'after' } }], expect: { verify: 'flagged', sync: 'flagged', get: 'ok' }, errors: ['NetworkError', 'ConnectionError'] },
  { name: 'loopback: HTML page with status 200', via: 'loopback', retry: LOOPBACK, faults: [{ fault: { kind: 'html' } }], expect: { verify: 'error', get: 'error' }, errors: ['UnexpectedResponseError'] },
];

async function call(rig: DataSourcesRig, operation: DataSourcesOperation, id: string): Promise<CallOutcome> {
  const run = async (): Promise<unknown> => {
    switch (operation) {
      case 'verify':
        return rig.client.verify(id, { credentials: { api_token: 'good-token', email: 'ops@example.com' } });
      case 'sync':
        return rig.client.sync(id);
      case 'get':
        return rig.client.get(id);
      case 'list':
        return rig.client.list();
    }
  };
  return run().then(
    (): CallOutcome => ({ ok: true, value: { id, retry: undefined, reconciled: undefined } }),
    (error: unknown): CallOutcome => ({ ok: false, error }),
  );
}

describe('data-sources API under faults (ConnectionsClient -> reference handler -> ConnectionService -> webhook)', () => {
  for (const scenario of API_SCENARIOS) {
    for (const [operation, expected] of Object.entries(scenario.expect) as [DataSourcesOperation, Expectation][]) {
      it(`${operation}: ${scenario.name}`, async () => {
        const watch = new ProcessWatch();
        const via = scenario.via ?? 'in-process';
        const rig = await dataSourcesRig({ retry: scenario.retry ?? POLICY, via, ...(scenario.wrap ? { wrap: scenario.wrap } : {}) });
        const connection = operation === 'sync' ? await rig.syncable('confluence') : await rig.connection('confluence');
        const action = WEBHOOK_OF[operation];
        const before = action ? rig.webhooks(connection.id, action) : 0;
        for (const placed of scenario.faults ?? []) rig.api.add({ fault: placed.fault, times: placed.times ?? 1, ...(placed.any ? {} : { match: rig.match(operation, connection.id) }) });

        let outcome: CallOutcome;
        let elapsedMs: number;
        let pendingTimers = 0;
        if (via === 'in-process') {
          const run = await inVirtualTime(async () => {
            const started = Date.now();
            const result = await call(rig, operation, connection.id);
            const took = Date.now() - started;
            // Let the external service's status messages land, so no fake timer is left behind.
            await rig.settle();
            return { result, took };
          });
          if (!run.outcome.ok) throw run.outcome.error;
          outcome = run.outcome.value.result;
          elapsedMs = run.outcome.value.took;
          pendingTimers = run.pendingTimers;
        } else {
          const started = Date.now();
          outcome = await call(rig, operation, connection.id);
          elapsedMs = Date.now() - started;
          await rig.settle();
        }
        const webhooks = action ? rig.webhooks(connection.id, action) - before : 0;
        const after = await rig.current(connection.id);
        const faultsFired = rig.api.fired;
        const requests = rig.requests;
        await rig.close();
        const { unhandled, leaked } = await watch.stop();

        const tally = new Tally();
        const verdict = judgeWebhooks(outcome, webhooks, action !== undefined);
        tally.add(verdict, elapsedMs);
        recordFigures({
          group: 'fault',
          area: 'datasources',
          scenario: `${operation}: ${scenario.name}`,
          cases: 1,
          calls: 1,
          requests,
          tickets: webhooks,
          succeeded: tally.succeeded,
          failedTyped: tally.failedTyped,
          flagged: tally.flagged,
          duplicates: tally.duplicates,
          lost: tally.lost,
          untypedErrors: tally.untypedErrors + tally.missingRetry,
          unhandledRejections: unhandled.length,
          leakedHandles: leaked.length + pendingTimers,
          maxElapsedMs: elapsedMs,
          budgetMs: rig.budgetMs,
          time: via === 'in-process' ? 'virtual' : 'real',
          note: [`${expected} expected`, `webhooks ${webhooks}`, `ends ${after.status}`, tally.errorSummary()].filter(Boolean).join('; '),
        });

        const detail = outcome.ok ? 'ok' : `${(outcome.error as Error).name}: ${(outcome.error as Error).message}`;
        expect(verdict.duplicates, `webhook sent twice (${detail})`).toBe(0);
        expect(verdict.lost, `webhooks ${webhooks} (${detail})`).toBe(false);
        expect(verdict.untyped, detail).toBe(false);
        expect(verdict.missingRetry, 'error without retry metadata').toBe(false);
        expect(unhandled, 'unhandled rejections').toEqual([]);
        expect(leaked, 'handles left open').toEqual([]);
        expect(pendingTimers, 'timers left pending').toBe(0);
        if (scenario.faults?.length) expect(faultsFired, 'faults fired').toBeGreaterThan(0);
        expect(elapsedMs, 'elapsed within the retry budget').toBeLessThanOrEqual(rig.budgetMs + (via === 'in-process' ? 0 : REAL_TIME_ALLOWANCE_MS));
        // Whatever happened, the connection is never left verifying or syncing once the messages landed.
        expect(after.status, 'connection state after the messages landed').toBe('idle');
        if (expected === 'ok') expect(verdict.ok, detail).toBe(true);
        else {
          expect(verdict.ok, detail).toBe(false);
          expect(verdict.flagged, `flagged (${detail}, webhooks ${webhooks})`).toBe(expected === 'flagged');
          if (scenario.errors) expect(scenario.errors, detail).toContain(verdict.errorName);
        }
      });
    }
  }
});

/** Faults on the webhook target (the external sync service), seen from ConnectionService. */
interface WebhookScenario {
  readonly name: string;
  readonly fault: Fault;
  readonly times?: number;
  /** Whether the verify or sync call succeeds (the webhook got through in the end). */
  readonly ok: boolean;
  /** Whether the external service took the webhook even though the call failed. */
  readonly landed?: boolean;
}

const WEBHOOK_SCENARIOS: readonly WebhookScenario[] = [
  { name: '429 x3 with Retry-After: 1', fault: rateLimited('1'), times: 3, ok: true },
  { name: '503 (not re-sent: it may have landed)', fault: { kind: 'status', status: 503 }, ok: false },
  { name: '401: wrong AUTOMATION_AUTH', fault: { kind: 'status', status: 401, body: { error: 'Unauthorized' } }, ok: false },
  { name: 'connection refused (x2), then delivered', fault: { kind: 'drop', when: 'before' }, times: 2, ok: true },
  { name: 'connection refused past the retries', fault: { kind: 'drop', when: 'before' }, times: 10, ok: false },
  { name: 'reset after the webhook landed', fault: { kind: 'drop', when: 'after' }, ok: false, landed: true },
  { name: '502 after the webhook landed', fault: { kind: 'statusAfter', status: 502 }, ok: false, landed: true },
  { name: 'HTML page with status 200 (a proxy answered; nothing delivered)', fault: { kind: 'html' }, ok: false },
  { name: 'slow past the attempt timeout', fault: { kind: 'delay', ms: 45_000 }, ok: false },
  { name: 'hangs past the total budget', fault: { kind: 'delay', ms: 600_000 }, times: 10, ok: false },
];

describe('webhook target under faults (ConnectionService -> HttpWebhookTransport -> external sync service)', () => {
  for (const scenario of WEBHOOK_SCENARIOS) {
    for (const operation of ['verify', 'sync'] as const) {
      it(`${operation}: ${scenario.name}`, async () => {
        const watch = new ProcessWatch();
        const rig = await dataSourcesRig();
        const { service, syncService, actors } = rig.sandbox;
        const connection = operation === 'sync' ? await rig.syncable('jira') : await rig.connection('jira');
        const action = WEBHOOK_OF[operation]!;
        const before = rig.webhooks(connection.id, action);
        syncService.faults.add({ fault: scenario.fault, times: scenario.times ?? 1 });
        const run = await inVirtualTime(async () => {
          const started = Date.now();
          const result = await (operation === 'verify'
            ? service.verify(actors.member, connection.id, { credentials: { email: 'ops@example.com', api_token: 'good-token' } })
            : service.sync(actors.member, connection.id)
          ).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          const took = Date.now() - started;
          // Right after the call, before any status message is consumed.
          const right = await rig.current(connection.id);
          await rig.settle();
          return { result, took, right };
        });
        if (!run.outcome.ok) throw run.outcome.error;
        const { result, took, right } = run.outcome.value;
        const after = await rig.current(connection.id);
        const webhooks = rig.webhooks(connection.id, action) - before;
        await rig.close();
        const { unhandled, leaked } = await watch.stop();
        const ok = result.ok;
        const failedTyped = !ok && isDataSourceError(result.error) && result.error.code === 'webhook_failed';
        const stuck = after.status !== 'idle' || (!ok && right.status !== 'idle');
        recordFigures({
          group: 'fault',
          area: 'webhook',
          scenario: `${operation}: ${scenario.name}`,
          cases: 1,
          calls: 1,
          requests: syncService.faults.fired + webhooks,
          tickets: webhooks,
          succeeded: ok ? 1 : 0,
          failedTyped: failedTyped ? 1 : 0,
          flagged: !ok && webhooks > 0 ? 1 : 0,
          duplicates: Math.max(0, webhooks - 1),
          lost: stuck ? 1 : 0,
          untypedErrors: !ok && !failedTyped ? 1 : 0,
          unhandledRejections: unhandled.length,
          leakedHandles: leaked.length + run.pendingTimers,
          maxElapsedMs: took,
          budgetMs: rig.webhookBudgetMs,
          time: 'virtual',
          note: [`${ok ? 'ok' : 'webhook_failed'} expected`, `webhooks ${webhooks}`, `right after: ${right.status}`, `after messages: ${after.status}`].join('; '),
        });

        const detail = result.ok ? 'ok' : `${(result.error as Error).name}: ${(result.error as Error).message}`;
        expect(result.ok, detail).toBe(scenario.ok);
        expect(webhooks, 'webhooks the external service took').toBe(scenario.ok || scenario.landed ? 1 : 0);
        expect(unhandled, 'unhandled rejections').toEqual([]);
        expect(leaked, 'handles left open').toEqual([]);
        expect(run.pendingTimers, 'timers left pending').toBe(0);
        expect(took, 'within the webhook budget').toBeLessThanOrEqual(rig.webhookBudgetMs);
        expect(after.status, 'never stuck once the messages landed').toBe('idle');
        if (!result.ok) {
          expect(failedTyped, detail).toBe(true);
          // A failed webhook puts the connection straight back to idle, with the error.
          expect(right.status).toBe('idle');
          if (operation === 'verify') expect(right.lastVerificationError).toMatch(/^Verification request failed \(webhook (answered \d+|timed out|unreachable)\)$/);
          else expect(right).toMatchObject({ lastSyncStatus: 'failed', lastSyncError: expect.stringMatching(/^Failed to trigger sync \(webhook/) });
          // The message never names the URL, the auth header or the body.
          expect((result.error as Error).message).not.toMatch(/sandbox|Bearer|good-token/);
        }
      });
    }
  }
});
