import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../../src/index.js';
import { ASTRAL, huge } from './hostile.js';

/** Builds an empty store; `dispose` drops whatever it made. */
export type IdempotencyStoreFactory = () => Promise<{ store: IdempotencyStore; dispose: () => Promise<void> }>;

const LONG = { leaseMs: 60_000, ttlMs: 60_000 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The IdempotencyStore contract, run by every implementation. */
export function idempotencyStoreContract(name: string, factory: IdempotencyStoreFactory): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const withStore = (fn: (store: IdempotencyStore) => Promise<void>) => async () => {
      const { store, dispose } = await factory();
      try {
        await fn(store);
      } finally {
        await dispose();
      }
    };

    it(
      'hands a free key to one caller, reports it in progress to the next, done with its ref after complete, and free again after release',
      withStore(async (store) => {
        expect(await store.reserve('k1', 'fp-a', LONG)).toEqual({ state: 'new' });
        expect(await store.reserve('k1', 'fp-b', LONG)).toEqual({ state: 'in_progress', fingerprint: 'fp-a' });
        await store.complete('k1', 'ticket-1');
        expect(await store.reserve('k1', 'fp-a', LONG)).toEqual({ state: 'done', fingerprint: 'fp-a', ref: 'ticket-1' });
        await store.release('k1');
        expect(await store.reserve('k1', 'fp-c', LONG)).toEqual({ state: 'new' });
        expect(await store.reserve('k2', 'fp-a', LONG)).toEqual({ state: 'new' });
      }),
    );

    it(
      'gives exactly one of 20 concurrent reserves of one key the key',
      withStore(async (store) => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.reserve('race', `fp-${i}`, LONG)));
        expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
        expect(results.filter((r) => r.state === 'in_progress')).toHaveLength(19);
      }),
    );

    it(
      'lets the next caller take over a reservation whose lease ended (a crashed holder), and forgets a done key after its TTL',
      withStore(async (store) => {
        expect(await store.reserve('lease', 'fp-a', { leaseMs: 1, ttlMs: 60_000 })).toEqual({ state: 'new' });
        await pause(30);
        expect(await store.reserve('lease', 'fp-b', LONG)).toEqual({ state: 'new' });
        expect(await store.reserve('lease', 'fp-c', LONG)).toEqual({ state: 'in_progress', fingerprint: 'fp-b' });
        expect(await store.reserve('ttl', 'fp-a', { leaseMs: 60_000, ttlMs: 1 })).toEqual({ state: 'new' });
        await store.complete('ttl', 'ticket-9');
        await pause(30);
        expect(await store.reserve('ttl', 'fp-b', LONG)).toEqual({ state: 'new' });
      }),
    );

    it(
      'keeps long and astral-plane keys and refs exactly',
      withStore(async (store) => {
        const key = `servicenow:acme.service-now.com/incident:${ASTRAL}${huge(2_000)}`;
        expect(await store.reserve(key, 'fp', LONG)).toEqual({ state: 'new' });
        await store.complete(key, `ref-${ASTRAL}`);
        expect(await store.reserve(key, 'fp', LONG)).toEqual({ state: 'done', fingerprint: 'fp', ref: `ref-${ASTRAL}` });
      }),
    );

    it(
      'completes and releases keys it does not hold without failing',
      withStore(async (store) => {
        await store.complete('nobody', 'x');
        await store.release('nobody');
        expect(await store.reserve('nobody', 'fp', LONG)).toEqual({ state: 'new' });
      }),
    );
  });
}
