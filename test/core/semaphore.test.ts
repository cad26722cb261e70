import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/core/errors.js';
import { Semaphore } from '../../src/core/semaphore.js';

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, in arrival order, releasing on failure', async () => {
    const semaphore = new Semaphore(2);
    const started: number[] = [];
    const gates = Array.from({ length: 4 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const runs = gates.map((gate, i) =>
      semaphore.run(async () => {
        started.push(i);
        await gate.promise;
        if (i === 0) throw new Error('task 0 fails');
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([semaphore.active, semaphore.pending]).toEqual([2, 2]);
    gates[0]?.resolve();
    await expect(runs[0]).rejects.toThrow('task 0 fails');
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs.slice(1))).toEqual([1, 2, 3]);
    expect([semaphore.active, semaphore.pending]).toEqual([0, 0]);
  });

  it('refuses a limit that is not a whole number of at least 1', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => new Semaphore(limit)).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    }
    try {
      new Semaphore(0);
    } catch (e) {
      expect(isConfigError(e) && e.issues[0]?.field).toBe('concurrency');
    }
  });
});
