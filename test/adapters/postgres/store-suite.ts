import { describe, expect, it } from 'vitest';
import { isStoreError, type PostgresConnectionStore } from '../../../src/adapters/postgres/index.js';
import {
  type ConnectionRecord,
  isValidationError,
  MemoryConnectionStore,
  MemoryMessageSource,
  StatusConsumer,
  UpdateHub,
} from '../../../src/index.js';
import { comparable, connectionSet, newConnection, statusStream } from '../fixtures.js';

/** Builds a migrated store in a fresh schema; `dispose` drops it. */
export type StoreFactory = () => Promise<{ store: PostgresConnectionStore; count: (sql: string) => Promise<number>; dispose: () => Promise<void> }>;

const INJECTIONS = [
  "'; DROP TABLE data_source_connections; --",
  "x' OR '1'='1",
  '"; SELECT pg_sleep(10); --',
  "$1; DELETE FROM data_source_connections WHERE '' = '",
  '\\\'; TRUNCATE data_source_connections; --',
  "00000000-0000-0000-0000-000000000000' OR 1=1 --",
  '$itsmkit_migration$; DROP SCHEMA public CASCADE; $itsmkit_migration$',
];

/** The store contract, run against every SQL backend (PGlite always, PostgreSQL when it is up). */
export function storeSuite(name: string, factory: StoreFactory, options: { concurrent: boolean }): void {
  describe(`PostgresConnectionStore on ${name}`, () => {
    const withStore = (fn: (ctx: Awaited<ReturnType<StoreFactory>>) => Promise<void>) => async () => {
      const ctx = await factory();
      try {
        await fn(ctx);
      } finally {
        await ctx.dispose();
      }
    };

    it(
      'inserts with version 1 and reads back every field, scoped to the organization',
      withStore(async ({ store }) => {
        const input = newConnection({
          description: 'KB',
          config: { spaces: ['ENG'], nested: { depth: [1, { deep: true }] } },
          latestOptions: { spaces: ['ENG', 'OPS'] },
          lastSyncStatus: 'failed',
          lastSyncAt: '2025-10-01T10:00:00.123Z',
          lastSyncError: 'Timeout',
          lastVerificationAt: '2025-10-01T09:00:00.000Z',
          messageClock: { status: 14_000_000_000_001, sync: 14_000_000_000_001, verification: null, options: 3 },
        });
        const result = await store.insert(input);
        expect(result).toEqual({ created: true, connection: { ...input, version: 1 } });
        expect(await store.get(input.organizationId, input.id)).toEqual({ ...input, version: 1 });
        expect(await store.get(crypto.randomUUID(), input.id)).toBeUndefined();
        expect(await store.list(crypto.randomUUID())).toEqual([]);
      }),
    );

    it(
      'keeps one live row per (organization, type): a second insert returns the first and writes nothing',
      withStore(async ({ store, count }) => {
        const first = newConnection({ type: 'jira' });
        await store.insert(first);
        const second = await store.insert(newConnection({ type: 'jira', organizationId: first.organizationId, name: 'other' }));
        expect(second).toEqual({ created: false, connection: { ...first, version: 1 } });
        expect(await count('SELECT count(*) FROM data_source_connections')).toBe(1);
        // Another organization may hold the same type.
        expect((await store.insert(newConnection({ type: 'jira' }))).created).toBe(true);
      }),
    );

    it(
      'hides soft-deleted rows from every read and frees the type for a new seed',
      withStore(async ({ store }) => {
        const row = newConnection();
        await store.insert(row);
        const deleted = await store.update({ ...row, version: 1, deletedAt: '2025-02-01T00:00:00.000Z' }, 1);
        expect(deleted.ok).toBe(true);
        expect(await store.get(row.organizationId, row.id)).toBeUndefined();
        expect(await store.list(row.organizationId)).toEqual([]);
        expect(await store.update({ ...row, version: 2 }, 2)).toEqual({ ok: false, reason: 'not_found' });
        const again = await store.insert(newConnection({ organizationId: row.organizationId }));
        expect(again.created).toBe(true);
        expect(await store.list(row.organizationId)).toEqual([again.connection]);
      }),
    );

    it(
      'updates only at the expected version: conflict when it moved, not_found when gone or in another organization',
      withStore(async ({ store }) => {
        const row = newConnection();
        await store.insert(row);
        const next: ConnectionRecord = { ...row, version: 1, status: 'syncing', updatedAt: '2025-03-01T00:00:00.000Z' };
        expect(await store.update(next, 1)).toEqual({ ok: true, connection: { ...next, version: 2 } });
        expect(await store.update({ ...next, status: 'idle' }, 1)).toEqual({ ok: false, reason: 'conflict' });
        expect(await store.update({ ...next, organizationId: crypto.randomUUID() }, 2)).toEqual({ ok: false, reason: 'not_found' });
        expect(await store.update({ ...next, id: crypto.randomUUID() }, 2)).toEqual({ ok: false, reason: 'not_found' });
        expect((await store.get(row.organizationId, row.id))?.status).toBe('syncing');
      }),
    );

    it(
      'lists oldest first with status, type and enabled filters',
      withStore(async ({ store }) => {
        const org = crypto.randomUUID();
        const a = newConnection({ organizationId: org, type: 'confluence', createdAt: '2025-01-02T00:00:00.000Z', enabled: true });
        const b = newConnection({ organizationId: org, type: 'jira', createdAt: '2025-01-01T00:00:00.000Z', enabled: false, status: 'syncing' });
        await store.insert(a);
        await store.insert(b);
        expect((await store.list(org)).map((c) => c.id)).toEqual([b.id, a.id]);
        expect((await store.list(org, { status: 'syncing' })).map((c) => c.id)).toEqual([b.id]);
        expect((await store.list(org, { type: 'confluence' })).map((c) => c.id)).toEqual([a.id]);
        expect((await store.list(org, { enabled: false })).map((c) => c.id)).toEqual([b.id]);
        expect(await store.list(org, { enabled: true, status: 'syncing' })).toEqual([]);
      }),
    );

    it(
      'seeds once under concurrent inserts of the same (organization, type)',
      withStore(async ({ store, count }) => {
        const org = crypto.randomUUID();
        const results = await Promise.all(Array.from({ length: 20 }, () => store.insert(newConnection({ organizationId: org, type: 'sharepoint' }))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.connection.id)).size).toBe(1);
        expect(await count('SELECT count(*) FROM data_source_connections')).toBe(1);
      }),
    );

    it(
      'lets exactly one of several concurrent updates at the same version win',
      withStore(async ({ store }) => {
        const row = newConnection();
        await store.insert(row);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.update({ ...row, version: 1, name: `n${i}` }, 1)));
        const won = results.filter((r) => r.ok);
        expect(won).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(9);
        expect(await store.get(row.organizationId, row.id)).toEqual(won[0]?.ok ? won[0].connection : undefined);
      }),
    );

    it(
      'refuses config and options that hold credentials, naming the fields and never the values',
      withStore(async ({ store, count }) => {
        const row = newConnection({ config: { baseUrl: 'https://x', auth: { apiToken: 'canary-token-123' }, password: 'canary-pw-456' } });
        const error = await store.insert(row).catch((e: unknown) => e);
        expect(isValidationError(error)).toBe(true);
        if (!isValidationError(error)) return;
        expect(error.issues.map((i) => i.field)).toEqual(['config.auth.apiToken', 'config.password']);
        expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toMatch(/canary/);
        expect(await count('SELECT count(*) FROM data_source_connections')).toBe(0);

        const clean = newConnection();
        await store.insert(clean);
        const update = await store.update({ ...clean, version: 1, latestOptions: { secret: ['x'] } }, 1).catch((e: unknown) => e);
        expect(isValidationError(update)).toBe(true);
        expect((await store.get(clean.organizationId, clean.id))?.version).toBe(1);
      }),
    );

    it(
      'treats injection strings in every string input as data',
      withStore(async ({ store, count }) => {
        const org = crypto.randomUUID();
        const stored: ConnectionRecord[] = [];
        for (const [i, evil] of INJECTIONS.entries()) {
          // Key inputs: not uuids, so nothing matches (and nothing runs).
          expect(await store.get(evil, evil)).toBeUndefined();
          expect(await store.get(org, evil)).toBeUndefined();
          expect(await store.list(evil)).toEqual([]);
          expect(await store.list(org, { status: evil as never, type: evil as never })).toEqual([]);
          expect(await store.update({ ...newConnection({ organizationId: evil, id: evil }), version: 1 }, 1)).toEqual({ ok: false, reason: 'not_found' });
          expect(isValidationError(await store.insert(newConnection({ id: evil })).catch((e: unknown) => e))).toBe(true);
          // Value inputs: stored verbatim.
          const row = newConnection({
            organizationId: org,
            type: (['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira'] as const)[i % 6] as ConnectionRecord['type'],
            name: evil,
            description: evil,
            config: { [evil]: evil, list: [evil] },
            lastSyncError: evil,
            lastVerificationError: evil,
            latestOptions: { [evil]: [evil] },
          });
          // Six types per organization: past them, free the slot the same type holds.
          const holder = stored[i - 6];
          if (holder) expect((await store.update({ ...holder, deletedAt: '2025-01-01T00:00:00.000Z' }, holder.version)).ok).toBe(true);
          const inserted = await store.insert(row);
          expect(inserted.created).toBe(true);
          expect(await store.get(org, row.id)).toEqual({ ...row, version: 1 });
          const updated = await store.update({ ...row, version: 1, status: evil as never, lastSyncStatus: evil as never }, 1);
          expect(updated.ok && updated.connection.status).toBe(evil);
          if (updated.ok) stored.push(updated.connection);
          expect(await store.list(org, { status: evil as never })).toHaveLength(1);
        }
        expect(await count('SELECT count(*) FROM data_source_connections')).toBe(INJECTIONS.length);
      }),
    );

    it(
      'reports a duplicate id as a typed StoreError and accepts only uuids as ids',
      withStore(async ({ store }) => {
        const row = newConnection();
        await store.insert(row);
        const error = await store.insert(newConnection({ id: row.id })).catch((e: unknown) => e);
        expect(isStoreError(error) && error.code).toBe('duplicate');
        expect(isStoreError(error) && error.transient).toBe(false);
        const bad = await store.insert(newConnection({ organizationId: 'tenant-1' })).catch((e: unknown) => e);
        expect(isValidationError(bad) && bad.issues.map((i) => i.field)).toEqual(['organizationId']);
      }),
    );

    it(
      'migrates idempotently: a second run applies nothing',
      withStore(async ({ store, count }) => {
        expect(await store.migrate()).toEqual({ applied: [], current: 4 });
        expect(await count('SELECT count(*) FROM itsmkit_schema_migrations')).toBe(4);
      }),
    );

    it(
      'ends where the memory store ends for the same stream of status messages',
      withStore(async ({ store }) => {
        const connections = connectionSet(20);
        const messages = statusStream(connections, 300, 60, 7);
        const memory = new MemoryConnectionStore();
        const run = async (target: typeof store | MemoryConnectionStore, concurrency: number) => {
          for (const c of connections) await target.insert(c);
          const consumer = new StatusConsumer({ source: new MemoryMessageSource(), store: target, updates: new UpdateHub() });
          let next = 0;
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              while (next < messages.length) {
                const i = next++;
                await consumer.handle({ id: String(i), body: JSON.stringify(messages[i]) });
              }
            }),
          );
          return consumer.stats;
        };
        await run(memory, 1);
        const stats = await run(store, options.concurrent ? 8 : 1);
        expect(stats.rejected).toBe(0);
        for (const c of connections) {
          const expected = await memory.get(c.organizationId, c.id);
          const actual = await store.get(c.organizationId, c.id);
          expect(actual && comparable(actual)).toEqual(expected && comparable(expected));
        }
      }),
    );
  });
}
