import { describe, expect, it } from 'vitest';
import {
  type ConnectionRecord,
  type ConnectionStore,
  MemoryConnectionStore,
  MemoryMessageSource,
  type NewConnection,
  StatusConsumer,
  storableIssues,
  UpdateHub,
} from '../../../src/index.js';
import { comparable, connectionSet, newConnection, statusStream } from '../fixtures.js';
import { ASTRAL, cut, EARLIEST, HOSTILE_STRINGS, huge, LATEST, upper } from './hostile.js';

/** Builds an empty store; `dispose` drops whatever it made. */
export type ConnectionStoreFactory = () => Promise<{ store: ConnectionStore; dispose: () => Promise<void> }>;

const INJECTIONS = [
  "'; DROP TABLE data_source_connections; --",
  "x' OR '1'='1",
  '"; SELECT pg_sleep(10); --',
  "$1; DELETE FROM data_source_connections WHERE '' = '",
  '\\\'; TRUNCATE data_source_connections; --',
  "00000000-0000-0000-0000-000000000000' OR 1=1 --",
  '$itsmkit_migration$; DROP SCHEMA public CASCADE; $itsmkit_migration$',
];

const TYPES = ['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira'] as const;

/** A record every store must keep exactly (the test checks it passes `storableIssues` first). */
function storable(overrides: Partial<NewConnection> = {}): NewConnection {
  const row = newConnection(overrides);
  expect(storableIssues(row), 'the contract only hands stores storable records').toEqual([]);
  return row;
}

/**
 * The ConnectionStore contract: every implementation (memory, PGlite,
 * PostgreSQL, a host's own) passes it. What one store keeps, all keep the
 * same way; values no store may keep never reach a store (`storableIssues`).
 */
export function connectionStoreContract(name: string, factory: ConnectionStoreFactory): void {
  describe(`ConnectionStore contract: ${name}`, () => {
    const withStore = (fn: (store: ConnectionStore) => Promise<void>) => async () => {
      const { store, dispose } = await factory();
      try {
        await fn(store);
      } finally {
        await dispose();
      }
    };

    it(
      'inserts with version 1 and reads back every field, scoped to the organization',
      withStore(async (store) => {
        const input = storable({
          description: 'KB',
          config: { spaces: ['ENG'], nested: { depth: [1, { deep: true }] } },
          latestOptions: { spaces: ['ENG', 'OPS'] },
          lastSyncStatus: 'failed',
          lastSyncAt: '2025-10-01T10:00:00.123Z',
          lastSyncError: 'Timeout',
          lastVerificationAt: '2025-10-01T09:00:00.000Z',
          messageClock: { status: 14_000_000_000_001, sync: 14_000_000_000_001, verification: null, options: 3 },
        });
        expect(await store.insert(input)).toEqual({ created: true, connection: { ...input, version: 1 } });
        expect(await store.get(input.organizationId, input.id)).toEqual({ ...input, version: 1 });
        expect(await store.get(crypto.randomUUID(), input.id)).toBeUndefined();
        expect(await store.list(crypto.randomUUID())).toEqual([]);
      }),
    );

    it(
      'keeps one live row per (organization, type): a second insert returns the first and writes nothing',
      withStore(async (store) => {
        const first = storable({ type: 'jira' });
        await store.insert(first);
        const second = await store.insert(storable({ type: 'jira', organizationId: first.organizationId, name: 'other' }));
        expect(second).toEqual({ created: false, connection: { ...first, version: 1 } });
        expect(await store.list(first.organizationId)).toHaveLength(1);
        expect((await store.insert(storable({ type: 'jira' }))).created).toBe(true);
      }),
    );

    it(
      'refuses a second row with an id that exists',
      withStore(async (store) => {
        const row = storable();
        await store.insert(row);
        await expect(store.insert(storable({ id: row.id }))).rejects.toThrow(/already exists/);
        expect(await store.get(row.organizationId, row.id)).toEqual({ ...row, version: 1 });
      }),
    );

    it(
      'hides soft-deleted rows from every read and frees the type for a new seed',
      withStore(async (store) => {
        const row = storable();
        await store.insert(row);
        expect((await store.update({ ...row, version: 1, deletedAt: '2025-02-01T00:00:00.000Z' }, 1)).ok).toBe(true);
        expect(await store.get(row.organizationId, row.id)).toBeUndefined();
        expect(await store.list(row.organizationId)).toEqual([]);
        expect(await store.update({ ...row, version: 2 }, 2)).toEqual({ ok: false, reason: 'not_found' });
        const again = await store.insert(storable({ organizationId: row.organizationId }));
        expect(again.created).toBe(true);
        expect(await store.list(row.organizationId)).toEqual([again.connection]);
      }),
    );

    it(
      'updates only at the expected version: conflict when it moved, not_found when gone or in another organization',
      withStore(async (store) => {
        const row = storable();
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
      'lists oldest first (then by id) with status, type and enabled filters',
      withStore(async (store) => {
        const org = crypto.randomUUID();
        const a = storable({ organizationId: org, type: 'confluence', createdAt: '2025-01-02T00:00:00.000Z', enabled: true });
        const b = storable({ organizationId: org, type: 'jira', createdAt: '2025-01-01T00:00:00.000Z', enabled: false, status: 'syncing' });
        const c = storable({ organizationId: org, type: 'sharepoint', createdAt: EARLIEST });
        await store.insert(a);
        await store.insert(b);
        await store.insert(c);
        expect((await store.list(org)).map((x) => x.id)).toEqual([c.id, b.id, a.id]);
        expect((await store.list(org, { status: 'syncing' })).map((x) => x.id)).toEqual([b.id]);
        expect((await store.list(org, { type: 'confluence' })).map((x) => x.id)).toEqual([a.id]);
        expect((await store.list(org, { enabled: false })).map((x) => x.id)).toEqual([b.id]);
        expect(await store.list(org, { enabled: true, status: 'syncing' })).toEqual([]);
      }),
    );

    it(
      'keeps astral-plane text, hostile strings, huge strings, any JSON key and the extreme timestamps exactly',
      withStore(async (store) => {
        const org = crypto.randomUUID();
        for (const [i, text] of [...HOSTILE_STRINGS, huge(1 << 20)].entries()) {
          const row = storable({
            organizationId: i % 6 === 0 ? org : crypto.randomUUID(),
            type: TYPES[i % 6] as (typeof TYPES)[number],
            name: text,
            description: text,
            config: { [cut(text, 200)]: text, ['__proto__']: cut(text, 50), constructor: [text], nested: { toString: { valueOf: 1e21 } }, n: [0, -1.5, Number.MAX_SAFE_INTEGER, 1e-7] },
            latestOptions: { [cut(text, 100)]: [text], ['__proto__']: ['A', 'B'] },
            lastSyncError: text,
            lastVerificationError: text,
            lastSyncAt: i % 2 ? EARLIEST : LATEST,
            lastVerificationAt: i % 2 ? LATEST : EARLIEST,
            createdAt: EARLIEST,
            updatedAt: LATEST,
            messageClock: { status: Date.parse(LATEST) * 8 + 4, sync: Date.parse(EARLIEST) * 8, verification: 0, options: null },
          });
          if (i % 6 === 0 && i > 0) {
            const holder = (await store.list(org, { type: TYPES[0] }))[0] as ConnectionRecord;
            await store.update({ ...holder, deletedAt: LATEST }, holder.version);
          }
          expect(await store.insert(row)).toEqual({ created: true, connection: { ...row, version: 1 } });
          const read = await store.get(row.organizationId, row.id);
          expect(read).toEqual({ ...row, version: 1 });
          // An own `__proto__` key stays data: the objects keep their prototypes.
          expect(Array.isArray(Object.getPrototypeOf(read?.latestOptions))).toBe(false);
          expect(Object.keys(read?.latestOptions ?? {})).toContain('__proto__');
          const updated = await store.update({ ...(read as ConnectionRecord), name: `${text}${ASTRAL}` }, 1);
          expect(updated.ok && updated.connection.name).toBe(`${text}${ASTRAL}`);
          expect((await store.get(row.organizationId, row.id))?.name).toBe(`${text}${ASTRAL}`);
        }
      }),
    );

    it(
      'treats UUIDs in any letter case as the same ids and gives them back in lower case',
      withStore(async (store) => {
        const row = storable({ id: upper(crypto.randomUUID()), organizationId: upper(crypto.randomUUID()), createdBy: upper(crypto.randomUUID()), updatedBy: upper(crypto.randomUUID()) });
        const lower = { ...row, id: row.id.toLowerCase(), organizationId: row.organizationId.toLowerCase(), createdBy: row.createdBy.toLowerCase(), updatedBy: row.updatedBy.toLowerCase(), version: 1 };
        expect(await store.insert(row)).toEqual({ created: true, connection: lower });
        expect(await store.get(row.organizationId, row.id)).toEqual(lower);
        expect(await store.get(lower.organizationId, lower.id)).toEqual(lower);
        expect(await store.get(row.organizationId.toLowerCase(), row.id)).toEqual(lower);
        expect(await store.list(row.organizationId)).toEqual([lower]);
        // The same (organization, type) slot whatever the case.
        expect((await store.insert(storable({ organizationId: lower.organizationId, type: row.type }))).created).toBe(false);
        const updated = await store.update({ ...lower, id: row.id, organizationId: row.organizationId, name: 'renamed' }, 1);
        expect(updated).toEqual({ ok: true, connection: { ...lower, name: 'renamed', version: 2 } });
      }),
    );

    it(
      'seeds once under concurrent inserts of the same (organization, type)',
      withStore(async (store) => {
        const org = crypto.randomUUID();
        const results = await Promise.all(Array.from({ length: 20 }, () => store.insert(storable({ organizationId: org, type: 'sharepoint' }))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.connection.id)).size).toBe(1);
        expect(await store.list(org)).toHaveLength(1);
      }),
    );

    it(
      'lets exactly one of several concurrent updates at the same version win',
      withStore(async (store) => {
        const row = storable();
        await store.insert(row);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.update({ ...row, version: 1, name: `n${i}` }, 1)));
        const won = results.filter((r) => r.ok);
        expect(won).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(9);
        expect(await store.get(row.organizationId, row.id)).toEqual(won[0]?.ok ? won[0].connection : undefined);
      }),
    );

    it(
      'loses no update when many writers re-read and re-apply on conflict',
      withStore(async (store) => {
        const rows = Array.from({ length: 3 }, () => storable({ config: { count: 0 } }));
        for (const r of rows) await store.insert(r);
        const increment = async (r: NewConnection) => {
          for (;;) {
            const current = (await store.get(r.organizationId, r.id)) as ConnectionRecord;
            const result = await store.update({ ...current, config: { count: (current.config['count'] as number) + 1 } }, current.version);
            if (result.ok) return;
            expect(result.reason).toBe('conflict');
          }
        };
        await Promise.all(rows.flatMap((r) => Array.from({ length: 12 }, () => increment(r))));
        for (const r of rows) expect(await store.get(r.organizationId, r.id)).toMatchObject({ config: { count: 12 }, version: 13 });
      }),
    );

    it(
      'treats injection strings in every string input as data',
      withStore(async (store) => {
        const org = crypto.randomUUID();
        const stored: ConnectionRecord[] = [];
        for (const [i, evil] of INJECTIONS.entries()) {
          expect(await store.get(evil, evil)).toBeUndefined();
          expect(await store.get(org, evil)).toBeUndefined();
          expect(await store.list(evil)).toEqual([]);
          expect(await store.list(org, { status: evil as never, type: evil as never })).toEqual([]);
          expect(await store.update({ ...newConnection({ organizationId: evil, id: evil }), version: 1 }, 1)).toEqual({ ok: false, reason: 'not_found' });
          const row = storable({
            organizationId: org,
            type: TYPES[i % 6] as (typeof TYPES)[number],
            name: evil,
            description: evil,
            config: { [evil]: evil, list: [evil] },
            lastSyncError: evil,
            lastVerificationError: evil,
            latestOptions: { [evil]: [evil] },
          });
          const holder = stored[i - 6];
          if (holder) expect((await store.update({ ...holder, deletedAt: '2025-01-01T00:00:00.000Z' }, holder.version)).ok).toBe(true);
          expect((await store.insert(row)).created).toBe(true);
          expect(await store.get(org, row.id)).toEqual({ ...row, version: 1 });
          const updated = await store.update({ ...row, version: 1, status: evil as never, lastSyncStatus: evil as never }, 1);
          expect(updated.ok && updated.connection.status).toBe(evil);
          if (updated.ok) stored.push(updated.connection);
          expect(await store.list(org, { status: evil as never })).toHaveLength(1);
        }
      }),
    );

    it(
      'ends where a sequential replay ends for a shuffled, duplicated stream with hostile text, handled by 8 concurrent consumers',
      withStore(async (store) => {
        const connections = connectionSet(20);
        const messages = statusStream(connections, 300, 60, 7).map((m, i) => {
          const message = m as Record<string, unknown>;
          // Error texts with NUL, half a surrogate pair and astral text; upper-case ids: the parser makes every store able to keep them.
          if (i % 3 === 0 && typeof message['error'] === 'string') return { ...message, error: `${message['error']} \u0000 \uD800 ${ASTRAL}` };
          if (i % 5 === 0) return { ...message, connection_id: upper(String(message['connection_id'])), tenant_id: upper(String(message['tenant_id'])) };
          return message;
        });
        const clock = { now: () => Date.UTC(2025, 9, 2), sleep: async () => {} };
        const run = async (target: ConnectionStore, concurrency: number) => {
          for (const c of connections) await target.insert(c);
          const consumer = new StatusConsumer({ source: new MemoryMessageSource(), store: target, updates: new UpdateHub(), clock });
          let next = 0;
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              while (next < messages.length) {
                const i = next++;
                for (;;) {
                  try {
                    await consumer.handle({ id: String(i), body: JSON.stringify(messages[i]) });
                    break;
                  } catch (error) {
                    // A connection that kept changing is transient: handled again, as a broker would redeliver it.
                    expect((error as { transient?: boolean }).transient).toBe(true);
                  }
                }
              }
            }),
          );
          return consumer.stats;
        };
        const replay = new MemoryConnectionStore();
        await run(replay, 1);
        const stats = await run(store, 8);
        expect(stats.rejected).toBe(0);
        for (const c of connections) {
          const expected = await replay.get(c.organizationId, c.id);
          const actual = await store.get(c.organizationId, c.id);
          expect(actual && comparable(actual)).toEqual(expected && comparable(expected));
        }
        expect(JSON.stringify(await Promise.all(connections.map((c) => store.get(c.organizationId, c.id))))).toContain('\uFFFD');
      }),
    );
  });
}
