import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  type Clock,
  isDataSourceError,
  MemoryAuditLog,
  type ConnectionRecord,
  type ConnectionStore,
  type DataSourceUpdate,
  MemoryConnectionStore,
  MemoryMessageSource,
  StatusConsumer,
  type StoreUpdateResult,
  UpdateHub,
} from '../../src/index.js';
import { record } from './fixtures.js';

const clock: Clock = { now: () => Date.parse('2025-10-01T12:00:00.000Z'), sleep: async () => {} };
const sync = (status: string, ts: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'sync', connection_id: 'c-1', tenant_id: 't-1', status, timestamp: ts, ...extra });

async function setup(store: ConnectionStore = new MemoryConnectionStore()) {
  await store.insert(record({ status: 'syncing' }));
  const source = new MemoryMessageSource();
  const updates = new UpdateHub();
  const events: DataSourceUpdate[] = [];
  updates.subscribe('t-1', (p) => events.push(p.update));
  const consumer = new StatusConsumer({ source, store, updates, clock });
  await consumer.start();
  return { store, source, consumer, events };
}

describe('StatusConsumer', () => {
  it('parses, reduces, stores, publishes, then acks', async () => {
    const { store, source, consumer, events } = await setup();
    source.publish(sync('sync_completed', '2025-10-01T10:00:00.000Z', { documents_processed: 7 }));
    await source.drain();
    expect(await store.get('t-1', 'c-1')).toMatchObject({ status: 'idle', lastSyncStatus: 'completed', version: 2 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ trigger: 'sync_completed', documentsProcessed: 7, version: 2 });
    expect(source.acked).toEqual(['1']);
    expect(consumer.stats).toEqual({ processed: 1, ignored: 0, rejected: 0 });
  });

  it('acks duplicates and stale messages as ignored, without writing or publishing', async () => {
    const { store, source, consumer, events } = await setup();
    source.publish(sync('sync_completed', '2025-10-01T10:05:00.000Z'));
    source.publish(sync('sync_completed', '2025-10-01T10:05:00.000Z'));
    source.publish(sync('sync_started', '2025-10-01T10:00:00.000Z'));
    await source.drain();
    expect(consumer.stats).toEqual({ processed: 1, ignored: 2, rejected: 0 });
    expect(source.acked).toHaveLength(3);
    expect(events).toHaveLength(1);
    expect((await store.get('t-1', 'c-1'))?.version).toBe(2);
  });

  it('dead-letters poison messages with their reason, never touching the store', async () => {
    const { store, source, consumer } = await setup();
    source.publish('{not json');
    source.publish(JSON.stringify({ type: 'sync', tenant_id: 't-1', status: 'sync_started' }));
    source.publish(JSON.stringify({ type: 'reindex', connection_id: 'c-1', tenant_id: 't-1', status: 'x' }));
    source.publish(JSON.stringify({ type: 'verification', connection_id: 'c-1', tenant_id: 't-1', status: 'success', options: { spaces: 3 } }));
    source.publish(sync('sync_started', '2025-10-01T10:00:00.000Z').replace('c-1', 'c-404'));
    source.publish(sync('sync_started', '2025-10-01T10:00:00.000Z').replace('t-1', 't-other'));
    await source.drain();
    expect(source.deadLetters.map((d) => d.info.reason)).toEqual(['invalid_json', 'missing_field', 'unknown_type', 'invalid_options', 'unknown_connection', 'unknown_connection']);
    expect(consumer.stats).toEqual({ processed: 0, ignored: 0, rejected: 6 });
    expect(source.acked).toEqual([]);
    expect((await store.get('t-1', 'c-1'))?.version).toBe(1);
  });

  it('reads the older per-queue shapes by their queue', async () => {
    const { store, source } = await setup();
    source.publish(JSON.stringify({ connection_id: 'c-1', tenant_id: 't-1', status: 'failed', error: 'nope' }), { queue: 'data_source.verification_status' });
    await source.drain();
    expect(await store.get('t-1', 'c-1')).toMatchObject({ status: 'idle', lastVerificationError: 'nope', lastSyncStatus: null });
  });

  it('does not ack when the store fails; the message is redelivered and applied once', async () => {
    const inner = new MemoryConnectionStore();
    let failures = 1;
    const flaky: ConnectionStore = {
      get: (o, i) => inner.get(o, i),
      list: (o, f) => inner.list(o, f),
      insert: (c) => inner.insert(c),
      update: async (next, v): Promise<StoreUpdateResult> => {
        if (failures-- > 0) throw new Error('database unavailable');
        return inner.update(next, v);
      },
    };
    const { source, consumer, events } = await setup(flaky);
    source.publish(sync('sync_completed', '2025-10-01T10:00:00.000Z'));
    await source.drain();
    expect(source.redeliveries).toBe(1);
    expect(source.acked).toEqual(['1']);
    expect(events).toHaveLength(1);
    expect(consumer.stats.processed).toBe(1);
    expect((await inner.get('t-1', 'c-1'))?.version).toBe(2);
  });

  it('retries on a version conflict with the fresh row', async () => {
    const inner = new MemoryConnectionStore();
    let raced = false;
    const racing: ConnectionStore = {
      get: (o, i) => inner.get(o, i),
      list: (o, f) => inner.list(o, f),
      insert: (c) => inner.insert(c),
      update: async (next: ConnectionRecord, v: number) => {
        if (!raced) {
          raced = true;
          // Someone else (the API) writes first: the consumer's expected version is now stale.
          const current = (await inner.get('t-1', 'c-1'))!;
          await inner.update({ ...current, name: 'renamed', version: current.version + 1 }, current.version);
        }
        return inner.update(next, v);
      },
    };
    const { source } = await setup(racing);
    source.publish(sync('sync_completed', '2025-10-01T10:00:00.000Z'));
    await source.drain();
    expect(await inner.get('t-1', 'c-1')).toMatchObject({ name: 'renamed', lastSyncStatus: 'completed', version: 3 });
    expect(source.acked).toEqual(['1']);
  });

  it('treats a connection that keeps changing as transient: the message is left for redelivery, never counted or dead-lettered', async () => {
    const inner = new MemoryConnectionStore();
    let conflicts = 6;
    const busy: ConnectionStore = {
      get: (o, i) => inner.get(o, i),
      list: (o, f) => inner.list(o, f),
      insert: (c) => inner.insert(c),
      update: async (next: ConnectionRecord, v: number) => {
        if (conflicts-- > 0) return { ok: false, reason: 'conflict' } satisfies StoreUpdateResult;
        return inner.update(next, v);
      },
    };
    const { source, consumer } = await setup(busy);
    const error = await consumer.handle({ id: 'x', body: sync('sync_completed', '2025-10-01T10:00:00.000Z') }).catch((e: unknown) => e);
    expect(isDataSourceError(error) && error.code).toBe('conflict');
    expect((error as { transient?: boolean }).transient).toBe(true);
    expect(source.deadLetters).toEqual([]);
    expect(source.acked).toEqual([]);
    // Delivered again (as the broker would): the conflicts are over and it applies.
    source.publish(sync('sync_completed', '2025-10-01T10:00:00.000Z'));
    await source.drain();
    expect(await inner.get('t-1', 'c-1')).toMatchObject({ lastSyncStatus: 'completed' });
    expect(consumer.stats).toMatchObject({ processed: 1, rejected: 0 });
  });

  it('refuses a message stamped far in the future, and one whose result no store could keep, with their reasons', async () => {
    const { source, store } = await setup();
    source.publish(sync('sync_started', '9999-12-31T23:59:59Z'));
    source.publish(JSON.stringify({ type: 'verification', connection_id: 'c-1', tenant_id: 't-1', status: 'success', options: { password: 'CANARY-opt-1', spaces: 'ENG' } }));
    source.publish(sync('sync_completed', '2025-10-01T11:00:00.000Z'));
    await source.drain();
    expect(source.deadLetters.map((d) => d.info.reason)).toEqual(['future_timestamp', 'not_storable']);
    expect(source.deadLetters[1]?.info.detail).toBe('the message would store latestOptions.password that looks like a credential; credentials go to the external service, never into the store');
    expect(JSON.stringify(source.deadLetters.map((d) => d.info))).not.toContain('CANARY-opt-1');
    expect(await store.get('t-1', 'c-1')).toMatchObject({ status: 'idle', lastSyncStatus: 'completed', latestOptions: null });
  });

  it('audits every applied status change once (actor system), also when the audit write failed and the message came again', async () => {
    const audit = new MemoryAuditLog();
    let failNext = true;
    const flakyAudit = {
      record: async (entry: AuditEntry) => {
        if (entry.action === 'data_source.sync_completed' && failNext) {
          failNext = false;
          throw new Error('audit database unavailable');
        }
        await audit.record(entry);
      },
    };
    const store = new MemoryConnectionStore();
    await store.insert(record({ status: 'syncing' }));
    const source = new MemoryMessageSource();
    const consumer = new StatusConsumer({ source, store, updates: new UpdateHub(), clock, audit: flakyAudit });
    await consumer.start();
    source.publish(sync('sync_started', '2025-10-01T10:00:00.000Z'));
    source.publish(sync('sync_completed', '2025-10-01T10:05:00.000Z', { documents_processed: 7 }));
    source.publish(sync('sync_started', '2025-10-01T10:00:00.000Z'));
    source.publish(JSON.stringify({ type: 'verification', connection_id: 'c-1', tenant_id: 't-1', status: 'failed', options: null, error: 'Invalid API token' }));
    await source.drain();
    expect(source.redeliveries).toBe(1);
    // The failed audit left sync_completed unsettled; it came again at the end of the queue, found applied, and was audited then.
    expect(audit.entries.map((e) => [e.action, e.actorId, e.connectionId])).toEqual([
      ['data_source.sync_started', 'system', 'c-1'],
      ['data_source.verification_failed', 'system', 'c-1'],
      ['data_source.sync_completed', 'system', 'c-1'],
    ]);
    expect(audit.entries[2]).toMatchObject({ organizationId: 't-1', at: '2025-10-01T12:00:00.000Z', details: { timestamp: '2025-10-01T10:05:00.000Z', documentsProcessed: 7 } });
    expect(audit.entries[1]?.details).toEqual({ error: 'Invalid API token' });
    expect(await store.get('t-1', 'c-1')).toMatchObject({ lastSyncStatus: 'completed', lastVerificationError: 'Invalid API token' });
    expect(consumer.stats).toEqual({ processed: 2, ignored: 2, rejected: 0 });
  });
});

