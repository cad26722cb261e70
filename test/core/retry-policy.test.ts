import { unexpected } from '../helpers/expect-failure.js';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createHttpError, isConfigError, type ItsmError, type RetryMetadata } from '../../src/core/errors.js';
import { AttemptFailure, RetryPolicy } from '../../src/core/retry-policy.js';
import { systemClock } from '../../src/core/clock.js';
import { FakeClock } from '../helpers/fake-clock.js';

const fail = (status: number, extra: { retryAfterMs?: number | undefined; ambiguous?: boolean } = {}) =>
  new AttemptFailure({
    kind: 'status',
    status,
    retryAfterMs: extra.retryAfterMs,
    ambiguous: extra.ambiguous ?? false,
    build: (retry: RetryMetadata, hint?: string): ItsmError =>
      createHttpError({ platform: 'servicenow', method: 'GET', url: 'https://x/', status, retry, hint }),
  });

describe('RetryPolicy', () => {
  it('has the documented defaults', () => {
    const p = RetryPolicy.from();
    expect([p.retries, p.factor, p.minDelayMs, p.maxDelayMs, p.jitter, p.totalBudgetMs, p.attemptTimeoutMs]).toEqual([5, 2, 500, 30_000, 'full', 60_000, 30_000]);
    expect([...p.retryOnStatus]).toEqual([429, 502, 503, 504]);
  });

  it('rejects bad options naming each key', () => {
    try {
      RetryPolicy.from({ retries: -1, factor: 0, maxDelayz: 3 } as never);
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
      const fields = (error as { issues: { field: string }[] }).issues.map((i) => i.field);
      expect(fields).toEqual(expect.arrayContaining(['retry.retries', 'retry.factor', 'retry.maxDelayz']));
    }
    expect(() => RetryPolicy.from({ minDelayMs: 5000, maxDelayMs: 100 })).toThrow(/retry.minDelayMs/);
  });

  it('says what is wrong with each bad option in words', () => {
    const issues = (options: unknown) => {
      try {
        RetryPolicy.from(options as never);
      } catch (error) {
        return (error as { issues: unknown }).issues;
      }
      return expect.unreachable();
    };
    expect(issues({ retries: 1.5, factor: 'x', jitter: 'some', retryOnStatus: [200], retryNetworkErrors: 1, totalBudgetMs: 0 })).toEqual([
      { field: 'retry.retries', rule: 'invalid_type', message: 'must be an integer' },
      { field: 'retry.factor', rule: 'invalid_type', message: 'must be a number' },
      { field: 'retry.jitter', rule: 'invalid_value', message: 'must be "full" or "none"' },
      { field: 'retry.retryOnStatus.0', rule: 'too_small', message: 'must be a 4xx or 5xx status' },
      { field: 'retry.retryNetworkErrors', rule: 'invalid_type', message: 'must be true or false' },
      { field: 'retry.totalBudgetMs', rule: 'too_small', message: 'must be greater than 0' },
    ]);
    expect(issues('fast')).toEqual([{ field: 'retry', rule: 'invalid_type', message: 'must be an object' }]);
  });

  it('retries retryable statuses with exponential backoff and reports metadata', async () => {
    const clock = new FakeClock();
    const policy = RetryPolicy.from({ jitter: 'none', minDelayMs: 100, factor: 2 });
    let n = 0;
    const result = await policy.execute(
      async () => {
        n++;
        if (n < 4) throw fail(503);
        return 'ok';
      },
      { clock },
    );
    expect(result.value).toBe('ok');
    expect(clock.sleeps).toEqual([100, 200, 400]);
    expect(result.retry).toEqual({ attempts: 4, elapsedMs: 700, delaysMs: [100, 200, 400] });
  });

  it('never retries other 4xx, and 500 only when opted in', async () => {
    const clock = new FakeClock();
    for (const status of [400, 401, 403, 404, 409, 500]) {
      let n = 0;
      const error = await RetryPolicy.from()
        .execute(async () => {
          n++;
          throw fail(status);
        }, { clock })
        .then(unexpected, (e: unknown) => e as ItsmError & { retry: RetryMetadata });
      expect(n).toBe(1);
      expect(error.retry.attempts).toBe(1);
    }
    let n = 0;
    await RetryPolicy.from({ retryOnStatus: [500], jitter: 'none' })
      .execute(async () => {
        if (++n < 2) throw fail(500);
        return 1;
      }, { clock })
      .then((r) => expect(r.retry.attempts).toBe(2));
  });

  it('gives up after `retries` retries with the last error and full metadata', async () => {
    const clock = new FakeClock();
    const error = await RetryPolicy.from({ retries: 2, jitter: 'none', minDelayMs: 10 })
      .execute(async () => {
        throw fail(502);
      }, { clock })
      .then(unexpected, (e: unknown) => e as ItsmError & { status: number; retry: RetryMetadata });
    expect(error.status).toBe(502);
    expect(error.retry).toEqual({ attempts: 3, elapsedMs: 30, delaysMs: [10, 20] });
    expect(error.message).toMatch(/after 3 attempts/);
  });

  it('honours Retry-After over backoff, and Retry-After: 0 retries at once', async () => {
    const clock = new FakeClock();
    let n = 0;
    const result = await RetryPolicy.from({ jitter: 'none' }).execute(
      async () => {
        n++;
        if (n === 1) throw fail(429, { retryAfterMs: 7000 });
        if (n === 2) throw fail(429, { retryAfterMs: 0 });
        return 'ok';
      },
      { clock },
    );
    expect(clock.sleeps).toEqual([7000]);
    expect(result.retry.delaysMs).toEqual([7000, 0]);
  });

  it('gives up at once when Retry-After would pass the budget, and says so', async () => {
    const clock = new FakeClock();
    const error = await RetryPolicy.from({ totalBudgetMs: 10_000 })
      .execute(async () => {
        throw fail(429, { retryAfterMs: 3_600_000 });
      }, { clock })
      .then(unexpected, (e: unknown) => e as Error & { retry: RetryMetadata });
    expect(error.retry.attempts).toBe(1);
    expect(error.message).toMatch(/would pass the 10000 ms retry budget/);
    expect(clock.sleeps).toEqual([]);
  });

  it('full jitter keeps every delay within [0, backoff]', async () => {
    const clock = new FakeClock();
    const randoms = [0, 0.5, 0.999];
    let i = 0;
    const error = await RetryPolicy.from({ retries: 3, minDelayMs: 1000, maxDelayMs: 3000 })
      .execute(async () => {
        throw fail(503);
      }, { clock, random: () => randoms[i++] ?? 0 })
      .then(unexpected, (e: unknown) => e as { retry: RetryMetadata });
    // Ceilings 1000, 2000, 3000 (capped from 4000) times the random draw.
    expect(error.retry.delaysMs).toEqual([0, 1000, 2997]);
  });

  it('asks before re-sending an ambiguous failure, and stops with the reason', async () => {
    const clock = new FakeClock();
    let n = 0;
    const error = await RetryPolicy.from()
      .execute(async () => {
        n++;
        throw fail(503, { ambiguous: true });
      }, { clock, mayResend: () => 'Not retried: POST is not idempotent' })
      .then(unexpected, (e: unknown) => e as Error);
    expect(n).toBe(1);
    expect(error.message).toMatch(/Not retried: POST is not idempotent/);
  });

  it('emits onRetry with attempt, delay and failure', async () => {
    const clock = new FakeClock();
    const onRetry = vi.fn();
    let n = 0;
    await RetryPolicy.from({ jitter: 'none', minDelayMs: 50 }).execute(async () => {
      if (++n < 2) throw fail(504);
      return 1;
    }, { clock, onRetry });
    expect(onRetry).toHaveBeenCalledOnce();
    expect(onRetry.mock.calls[0]?.[0]).toMatchObject({ attempt: 1, delayMs: 50, failure: { status: 504 } });
  });

  it('caps each attempt timeout by what is left of the budget', async () => {
    const clock = new FakeClock();
    const timeouts: number[] = [];
    await RetryPolicy.from({ totalBudgetMs: 1000, attemptTimeoutMs: 800, jitter: 'none', minDelayMs: 300 })
      .execute(async (ctx) => {
        timeouts.push(ctx.timeoutMs);
        clock.advance(100);
        throw fail(503);
      }, { clock })
      .catch(() => {});
    expect(timeouts[0]).toBe(800);
    expect(timeouts[1]).toBe(1000 - 100 - 300);
    expect(timeouts.every((t) => t <= 800)).toBe(true);
  });

  it('property: no schedule outlives its total budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          retries: fc.integer({ min: 0, max: 10 }),
          minDelayMs: fc.integer({ min: 0, max: 5000 }),
          factor: fc.integer({ min: 1, max: 4 }),
          totalBudgetMs: fc.integer({ min: 1, max: 120_000 }),
        }),
        fc.array(fc.record({ attemptMs: fc.integer({ min: 0, max: 20_000 }), retryAfterMs: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined }) }), { minLength: 1, maxLength: 12 }),
        async (opts, plan) => {
          const clock = new FakeClock();
          const start = clock.now();
          const policy = RetryPolicy.from({ ...opts, maxDelayMs: Math.max(opts.minDelayMs, 30_000) });
          let i = 0;
          await policy
            .execute(async (ctx) => {
              const step = plan[i++ % plan.length]!;
              // An attempt never runs past its own timeout (the transport aborts it).
              clock.advance(Math.min(step.attemptMs, ctx.timeoutMs));
              throw fail(429, { retryAfterMs: step.retryAfterMs });
            }, { clock })
            .catch(() => {});
          expect(clock.now() - start).toBeLessThanOrEqual(opts.totalBudgetMs);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drives the real clock under vitest fake timers', async () => {
    vi.useFakeTimers();
    try {
      let n = 0;
      const promise = RetryPolicy.from({ jitter: 'none', minDelayMs: 1000 }).execute(async () => {
        if (++n < 3) throw fail(503);
        return 'done';
      }, { clock: systemClock });
      await vi.advanceTimersByTimeAsync(1000);
      expect(n).toBe(2);
      await vi.advanceTimersByTimeAsync(2000);
      await expect(promise).resolves.toMatchObject({ value: 'done', retry: { attempts: 3, delaysMs: [1000, 2000] } });
    } finally {
      vi.useRealTimers();
    }
  });
});
