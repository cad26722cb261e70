import { vi } from 'vitest';

/**
 * Runs `fn` under vitest's fake timers (`setTimeout`, `setInterval` and
 * `Date` only: streams and microtasks stay real), advancing virtual time from
 * timer to timer until the promise settles. The SDK's default clock reads
 * `Date.now` and sleeps with `setTimeout`, and the attempt timeout and the
 * fakes' delays are `setTimeout` too, so every wait is virtual and exact:
 * budgets are checked without slack and nothing waits for real.
 *
 * Returns the outcome, the virtual ms it took, and the fake timers still
 * pending after it settled (a leaked timer).
 */
export async function inVirtualTime<T>(fn: () => Promise<T>): Promise<{ outcome: { ok: true; value: T } | { ok: false; error: unknown }; elapsedMs: number; pendingTimers: number }> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  try {
    const started = Date.now();
    let settled = false;
    const promise = fn().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    void promise.finally(() => {
      settled = true;
    });
    for (let idle = 0; !settled; ) {
      if (vi.getTimerCount() > 0) {
        idle = 0;
        await vi.advanceTimersToNextTimerAsync();
      } else {
        // Nothing scheduled: let real macrotasks (stream reads) run.
        if (++idle > 10_000) throw new Error('inVirtualTime: the call neither settled nor scheduled a timer');
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const outcome = await promise;
    const elapsedMs = Date.now() - started;
    return { outcome, elapsedMs, pendingTimers: vi.getTimerCount() };
  } finally {
    vi.useRealTimers();
  }
}
