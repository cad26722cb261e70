import { describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '../../src/connections/connection.js';
import { StatusConsumer } from '../../src/connections/host/consumer.js';
import { MemoryMessageSource } from '../../src/adapters/memory/message-source.js';
import { MemoryConnectionStore } from '../../src/adapters/memory/connection-store.js';
import type { ConnectionStore } from '../../src/connections/ports.js';
import { applyStatusMessage, messageKey } from '../../src/connections/reducer.js';
import { parseStatusMessage, type StatusMessage } from '../../src/connections/status-message.js';
import { UpdateHub } from '../../src/connections/host/update-hub.js';
import { DATA_SOURCE_TYPES } from '../../src/connections/catalog.js';
import { record } from '../connections/fixtures.js';
import { recordFigures } from './support/results.js';
import { ProcessWatch } from './support/watch.js';

const TENANTS = 100;
const TYPES = DATA_SOURCE_TYPES.slice(0, 5);
const CONNECTIONS = TENANTS * TYPES.length;
const TOTAL = 10_000;
const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const clock = { now: () => NOW, sleep: async () => {} };

/** Seeded PRNG, so a failure replays exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A store whose every `failEvery`-th update throws (a dropped database connection): the consumer leaves the message for redelivery. */
class FlakyStore implements ConnectionStore {
  failures = 0;
  private calls = 0;
  constructor(
    private readonly inner: MemoryConnectionStore,
    private readonly failEvery: number,
  ) {}
  get(organizationId: string, id: string) {
    return this.inner.get(organizationId, id);
  }
  list(organizationId: string) {
    return this.inner.list(organizationId);
  }
  insert(connection: Parameters<ConnectionStore['insert']>[0]) {
    return this.inner.insert(connection);
  }
  async update(next: ConnectionRecord, expectedVersion: number) {
    if (++this.calls % this.failEvery === 0) {
      this.failures++;
      throw new Error('connection to the database was lost');
    }
    return this.inner.update(next, expectedVersion);
  }
}

interface Generated {
  readonly connections: ConnectionRecord[];
  /** Every delivery, in publish order: bodies as the broker carries them. */
  readonly deliveries: { readonly body: string; readonly poison?: string }[];
  /** The distinct well-formed messages per connection. */
  readonly valid: Map<string, string[]>;
}

const POISON: readonly ((c: ConnectionRecord, other: ConnectionRecord) => { body: string; reason: string })[] = [
  () => ({ body: '{"type":"sync","connection_id":', reason: 'invalid_json' }),
  (c) => ({ body: JSON.stringify({ type: 'sync', tenant_id: c.organizationId, status: 'sync_started' }), reason: 'missing_field' }),
  (c) => ({ body: JSON.stringify({ type: 'restart', connection_id: c.id, tenant_id: c.organizationId, status: 'x' }), reason: 'unknown_type' }),
  (c) => ({ body: JSON.stringify({ type: 'sync', connection_id: c.id, tenant_id: c.organizationId, status: 'sync_paused' }), reason: 'unknown_status' }),
  (c) => ({ body: JSON.stringify({ type: 'sync', connection_id: c.id, tenant_id: c.organizationId, status: 'sync_started', timestamp: 'yesterday' }), reason: 'invalid_timestamp' }),
  // Another tenant's connection: the store is tenant-scoped, so it is not found for this tenant.
  (c, other) => ({ body: JSON.stringify({ type: 'sync', connection_id: other.id, tenant_id: c.organizationId, status: 'sync_completed', timestamp: new Date(NOW).toISOString() }), reason: 'unknown_connection' }),
  (c) => ({ body: JSON.stringify({ type: 'verification', connection_id: `${c.id}-gone`, tenant_id: c.organizationId, status: 'success', options: { spaces: 'A' }, timestamp: new Date(NOW).toISOString() }), reason: 'unknown_connection' }),
  (c) => ({ body: JSON.stringify({ type: 'verification', connection_id: c.id, tenant_id: c.organizationId, status: 'success', options: { spaces: 42 } }), reason: 'invalid_options' }),
];

/**
 * 500 connections (100 tenants x 5 types) and 10,000 deliveries: timestamped
 * sync and verification messages per connection, 15% of them delivered again
 * (as a broker redelivers), 5% poison, all shuffled.
 */
function generate(seed: number): Generated {
  const random = mulberry32(seed);
  const connections: ConnectionRecord[] = [];
  for (let t = 0; t < TENANTS; t++) {
    for (const type of TYPES) connections.push(record({ id: `conn-${t}-${type}`, organizationId: `tenant-${t}`, type }));
  }
  const poisonCount = Math.round(TOTAL * 0.05);
  const duplicateCount = Math.round(TOTAL * 0.15);
  const validCount = TOTAL - poisonCount - duplicateCount;
  const valid = new Map<string, string[]>();
  const deliveries: { body: string; poison?: string }[] = [];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (let i = 0; i < validCount; i++) {
    const c = connections[i % CONNECTIONS]!;
    const n = Math.floor(i / CONNECTIONS);
    // Distinct per connection, some sharing a millisecond (the reducer's rank breaks those ties).
    const timestamp = new Date(NOW - 3_600_000 + n * 1000 + (random() < 0.2 ? 0 : Math.floor(random() * 999))).toISOString();
    const base = { connection_id: c.id, tenant_id: c.organizationId, timestamp };
    const roll = random();
    const message =
      roll < 0.3
        ? { ...base, type: 'sync', status: 'sync_started' }
        : roll < 0.5
          ? { ...base, type: 'sync', status: 'sync_completed', documents_processed: Math.floor(random() * 500) }
          : roll < 0.65
            ? { ...base, type: 'sync', status: 'sync_failed', error_message: pick(['Rate limited by Confluence', 'Token expired', 'Timeout']) }
            : roll < 0.85
              ? { ...base, type: 'verification', status: 'success', options: { spaces: pick(['ENG,PROD', 'DOCS', 'ENG, OPS,,ENG']) } }
              : { ...base, type: 'verification', status: 'failed', options: null, error: 'Invalid API token' };
    const body = JSON.stringify(message);
    const list = valid.get(c.id) ?? [];
    // Two draws can coincide (same timestamp and status): keep the set distinct; the copy counts as a duplicate delivery.
    if (!list.includes(body)) list.push(body);
    valid.set(c.id, list);
    deliveries.push({ body });
  }
  const bodies = deliveries.map((d) => d.body);
  for (let i = 0; i < duplicateCount; i++) deliveries.push({ body: pick(bodies) });
  for (let i = 0; i < poisonCount; i++) {
    const c = pick(connections);
    const other = connections.find((x) => x.organizationId !== c.organizationId && x.type === c.type)!;
    const { body, reason } = POISON[i % POISON.length]!(c, other);
    deliveries.push({ body, poison: reason });
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return { connections, deliveries, valid };
}

/** The state fields a status message can change, and the ordering registers. */
function state(c: ConnectionRecord) {
  const { status, lastSyncStatus, lastSyncAt, lastSyncError, lastVerificationAt, lastVerificationError, latestOptions, messageClock } = c;
  return { status, lastSyncStatus, lastSyncAt, lastSyncError, lastVerificationAt, lastVerificationError, latestOptions, messageClock };
}

/** The sequential replay: each connection's distinct messages in timestamp order through applyStatusMessage. */
function replay(initial: ConnectionRecord, bodies: readonly string[]): ConnectionRecord {
  const messages = bodies.map((b) => (parseStatusMessage(b) as { ok: true; message: StatusMessage }).message).sort((a, b) => (messageKey(a) ?? 0) - (messageKey(b) ?? 0));
  let current = initial;
  for (const message of messages) {
    const result = applyStatusMessage(current, message, { now: NOW });
    if (result.outcome === 'applied') current = result.connection;
  }
  return current;
}

describe('10,000 status messages through StatusConsumer', () => {
  it('with duplicates, reordering, poison and a flaky store across 500 connections: final state equals a sequential replay, nothing lost', async () => {
    const watch = new ProcessWatch();
    const { connections, deliveries, valid } = generate(2026);
    const memory = new MemoryConnectionStore();
    for (const c of connections) await memory.insert(c);
    const store = new FlakyStore(memory, 97);
    const updates = new UpdateHub({ bufferSize: 16 });
    let published = 0;
    for (let t = 0; t < TENANTS; t++) updates.subscribe(`tenant-${t}`, () => published++);
    // Two competing consumers on one store (two broker consumers of one queue), each with its own delivery stream.
    const sources = [new MemoryMessageSource(), new MemoryMessageSource()];
    const consumers = sources.map((source) => new StatusConsumer({ source, store, updates, clock }));
    await Promise.all(consumers.map((c) => c.start()));
    deliveries.forEach((d, i) => sources[i % 2]!.publish(d.body));
    await Promise.all(sources.map((s) => s.drain()));
    await Promise.all(consumers.map((c) => c.stop()));

    let differing = 0;
    const firstDiff: string[] = [];
    for (const c of connections) {
      const actual = await memory.get(c.organizationId, c.id);
      const expected = replay(c, valid.get(c.id) ?? []);
      if (JSON.stringify(state(actual!)) !== JSON.stringify(state(expected))) {
        differing++;
        if (firstDiff.length < 2) firstDiff.push(`${c.id}: ${JSON.stringify(state(actual!))} vs ${JSON.stringify(state(expected))}`);
      }
    }
    const stats = consumers.map((c) => c.stats).reduce((a, b) => ({ processed: a.processed + b.processed, ignored: a.ignored + b.ignored, rejected: a.rejected + b.rejected }));
    const acked = sources.reduce((n, s) => n + s.acked.length, 0);
    const dead = sources.flatMap((s) => s.deadLetters);
    const redeliveries = sources.reduce((n, s) => n + s.redeliveries, 0);
    const poison = deliveries.filter((d) => d.poison);
    const expectedReasons = new Map<string, number>();
    for (const p of poison) expectedReasons.set(p.poison!, (expectedReasons.get(p.poison!) ?? 0) + 1);
    const deadReasons = new Map<string, number>();
    for (const d of dead) deadReasons.set(d.info.reason, (deadReasons.get(d.info.reason) ?? 0) + 1);
    const unsettled = TOTAL - acked - dead.length;
    const { unhandled, leaked } = await watch.stop();

    recordFigures({
      group: 'messages',
      area: 'connections',
      scenario: '10,000 status messages, 500 connections (100 tenants), 2 competing consumers: 15% duplicates, shuffled, 5% poison, every 97th store write fails',
      cases: CONNECTIONS,
      calls: TOTAL,
      succeeded: stats.processed,
      failedTyped: stats.rejected,
      duplicates: 0,
      lost: unsettled,
      mismatches: differing,
      untypedErrors: 0,
      unhandledRejections: unhandled.length,
      leakedHandles: leaked.length,
      note: `processed ${stats.processed}, ignored ${stats.ignored}, rejected ${stats.rejected} (dead letters ${dead.length}: ${[...deadReasons].map(([r, n]) => `${r} ${n}`).join(', ')}); store failures ${store.failures} -> redeliveries ${redeliveries}; updates published ${published}; connections differing from the replay ${differing}`,
    });

    expect(firstDiff, 'connections whose state differs from the sequential replay').toEqual([]);
    expect(differing).toBe(0);
    expect(store.failures, 'the flaky store failed').toBeGreaterThan(0);
    expect(redeliveries).toBe(store.failures);
    // Every delivery settled once: acked (processed or ignored) or dead-lettered.
    expect(stats.processed + stats.ignored + stats.rejected).toBe(TOTAL);
    expect(acked).toBe(stats.processed + stats.ignored);
    expect(unsettled, 'messages neither acknowledged nor dead-lettered').toBe(0);
    // Exactly the poison went to the dead-letter list, each with its reason.
    expect(dead).toHaveLength(poison.length);
    expect(deadReasons).toEqual(expectedReasons);
    for (const d of dead) expect(d.info.detail.length).toBeGreaterThan(0);
    expect(published).toBe(stats.processed);
    expect(unhandled).toEqual([]);
    expect(leaked).toEqual([]);
  });
});
