import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import amqplib from 'amqplib';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AMQP_HEADERS } from '../../src/adapters/amqp/index.js';
import { PostgresAuditLog, PostgresConnectionStore } from '../../src/adapters/postgres/index.js';
import { messageKey } from '../../src/connections/reducer.js';
import { applyStatusMessage, type ConnectionRecord, type NewConnection, parseStatusMessage, type StatusMessage } from '../../src/index.js';
import { comparable, connectionSet, PG_URL, prng, AMQP_URL, runId } from '../adapters/fixtures.js';
import { recordFigures } from './support/results.js';
import { ProcessWatch } from './support/watch.js';

const WORKER = fileURLToPath(new URL('../adapters/scale-out-worker.ts', import.meta.url));
const TOTAL = 10_000;
const CONNECTIONS = 500;
const CONCURRENCY = 32;
const BASE = Date.UTC(2025, 9, 1);
/** The consumers' clock is real time: every valid message is in the past. */
const REPLAY_NOW = Date.now();

const HOSTILE_TEXT = [
  'Timeout',
  'nul \u0000 in the middle',
  'half a pair \uD83E and a lone low \uDC00',
  'astral 🧭𝔘𠜎 text',
  "'; DROP TABLE data_source_connections; --",
  '$itsmkit_migration$; DROP SCHEMA public CASCADE; $itsmkit_migration$',
  'lines\r\n\u2028 and \u202Eright-to-left',
  'long '.repeat(3_000),
];

/** The same instant written the ways a producer may write it. */
function stamp(ms: number, variant: number): string {
  const iso = new Date(ms).toISOString();
  switch (variant % 4) {
    case 0:
      return iso;
    case 1:
      // An offset instead of Z.
      return new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    case 2:
      // Microseconds.
      return iso.replace('Z', '000Z');
    default:
      return ms % 1000 === 0 ? iso.replace('.000Z', 'Z') : iso;
  }
}

interface Delivery {
  readonly body: string;
  /** The reason it must be dead-lettered with, for poison. */
  readonly poison?: string;
}

/**
 * 500 connections and 10,000 deliveries: timestamped sync and verification
 * messages with hostile texts (NUL, half surrogate pairs, astral, SQL, huge),
 * options with `__proto__` keys, ids in upper case and timestamps written
 * four ways; 15% delivered again; 5% poison, among them timestamps far in
 * the future or outside the years 0001-9999; all shuffled.
 */
function generate(connections: readonly NewConnection[], seed: number): { deliveries: Delivery[]; valid: Map<string, string[]> } {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const poisonCount = Math.round(TOTAL * 0.05);
  const duplicateCount = Math.round(TOTAL * 0.15);
  const validCount = TOTAL - poisonCount - duplicateCount;
  const valid = new Map<string, string[]>();
  const deliveries: Delivery[] = [];
  for (let i = 0; i < validCount; i++) {
    const c = connections[i % CONNECTIONS] as NewConnection;
    const n = Math.floor(i / CONNECTIONS);
    const ms = BASE + n * 1000 + (random() < 0.2 ? 0 : Math.floor(random() * 999));
    const upper = random() < 0.2;
    const base = { connection_id: upper ? c.id.toUpperCase() : c.id, tenant_id: upper ? c.organizationId.toUpperCase() : c.organizationId, timestamp: stamp(ms, i) };
    const roll = random();
    const message =
      roll < 0.3
        ? { type: 'sync', ...base, status: 'sync_started' }
        : roll < 0.5
          ? { type: 'sync', ...base, status: 'sync_completed', documents_processed: Math.floor(random() * 500) }
          : roll < 0.65
            ? { type: 'sync', ...base, status: 'sync_failed', error_message: pick(HOSTILE_TEXT) }
            : roll < 0.85
              ? { type: 'verification', ...base, status: 'success', options: JSON.parse(`{"__proto__":"A,B","spaces":${JSON.stringify(pick(['ENG,PROD', 'DOCS', 'ENG, OPS,,ENG', '𠜎,\u0000']))}}`) }
              : { type: 'verification', ...base, status: 'failed', options: null, error: pick(HOSTILE_TEXT) };
    const body = JSON.stringify(message);
    const list = valid.get(c.id) ?? [];
    if (!list.includes(body)) list.push(body);
    valid.set(c.id, list);
    deliveries.push({ body });
  }
  const bodies = deliveries.map((d) => d.body);
  for (let i = 0; i < duplicateCount; i++) deliveries.push({ body: pick(bodies) });
  const poison: ((c: NewConnection) => Delivery)[] = [
    () => ({ body: '{"type":"sync","connection_id":', poison: 'invalid_json' }),
    (c) => ({ body: JSON.stringify({ type: 'sync', connection_id: c.id, tenant_id: c.organizationId, status: 'sync_started', timestamp: '9999-12-31T23:59:59Z' }), poison: 'future_timestamp' }),
    (c) => ({ body: JSON.stringify({ type: 'sync', connection_id: c.id, tenant_id: c.organizationId, status: 'sync_completed', timestamp: '-010000-01-01T00:00:00Z' }), poison: 'invalid_timestamp' }),
    (c) => ({ body: JSON.stringify({ type: 'sync', connection_id: crypto.randomUUID(), tenant_id: c.organizationId, status: 'sync_started', timestamp: new Date(BASE).toISOString() }), poison: 'unknown_connection' }),
    // Newer than every valid message, so the reducer applies it, and what it would store is refused.
    (c) => ({ body: JSON.stringify({ type: 'verification', connection_id: c.id, tenant_id: c.organizationId, status: 'success', options: { apiToken: 'x' }, timestamp: new Date(BASE + 864_000_000).toISOString() }), poison: 'not_storable' }),
  ];
  for (let i = 0; i < poisonCount; i++) deliveries.push((poison[i % poison.length] as (c: NewConnection) => Delivery)(pick(connections)));
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j] as Delivery, deliveries[i] as Delivery];
  }
  return { deliveries, valid };
}

/** Each connection's distinct valid messages, in timestamp order, through the reducer. */
function replay(initial: NewConnection, bodies: readonly string[]): ConnectionRecord {
  const messages = bodies.map((b) => (parseStatusMessage(b) as { ok: true; message: StatusMessage }).message).sort((a, b) => (messageKey(a) ?? 0) - (messageKey(b) ?? 0));
  let current: ConnectionRecord = { ...initial, version: 1 };
  for (const message of messages) {
    const result = applyStatusMessage(current, message, { now: REPLAY_NOW });
    if (result.outcome === 'applied') current = result.connection;
  }
  return current;
}

/** JSON with object keys sorted: PostgreSQL's jsonb keeps keys in its own order. */
function sorted(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k === '__proto__' ? '~proto' : k, x])) : v,
  );
}

interface Worker {
  readonly child: ChildProcess;
  handled: number;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const worker = { child, handled: 0 } as Worker;
  Object.assign(worker, {
    ready: new Promise<void>((resolve, reject) => {
      child.on('message', (m: { type: string; stats?: { processed: number; ignored: number; rejected: number } }) => {
        if (m.stats) worker.handled = m.stats.processed + m.stats.ignored + m.stats.rejected;
        if (m.type === 'ready') resolve();
      });
      child.once('exit', () => reject(new Error('worker exited before it was ready')));
    }),
    exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
  });
  return worker;
}

describe.runIf(Boolean(PG_URL && AMQP_URL))('10,000 status messages through RabbitMQ into PostgreSQL', () => {
  it("from a producer declaring the queue its own way, two consumer processes, one killed and restarted: final state equals a sequential replay, nothing lost, no valid message dead-lettered", async () => {
    const watch = new ProcessWatch();
    const id = runId();
    const schema = `itsmkit_rel_${id}`;
    const queue = `itsmkit_rel_${id}`;
    const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
    const store = new PostgresConnectionStore({ client: pool, schema });
    const producer = await amqplib.connect(AMQP_URL as string);
    const channel = await producer.createConfirmChannel();
    const workers: Worker[] = [];
    let cleaned = false;
    const cleanup = async () => {
      if (cleaned) return;
      cleaned = true;
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteQueue(`${queue}.dead`).catch(() => undefined);
      await producer.close();
    };
    try {
      await store.migrate();
      const connections = connectionSet(CONNECTIONS);
      for (const c of connections) await store.insert(c);
      const { deliveries, valid } = generate(connections, 2027);
      expect(deliveries).toHaveLength(TOTAL);

      // The producer declares the queue the architecture's way: durable, no dead-letter arguments.
      await channel.assertQueue(queue, { durable: true });
      const env = {
        ITSMKIT_WORKER_PG_URL: PG_URL as string,
        ITSMKIT_WORKER_AMQP_URL: AMQP_URL as string,
        ITSMKIT_WORKER_SCHEMA: schema,
        ITSMKIT_WORKER_QUEUE: queue,
        ITSMKIT_WORKER_TOPOLOGY: 'passive',
        ITSMKIT_WORKER_AUDIT: '1',
        ITSMKIT_WORKER_CONCURRENCY: String(CONCURRENCY),
      };
      workers.push(startWorker(env), startWorker(env));
      await Promise.all(workers.map((w) => w.ready));
      for (const d of deliveries) {
        if (!channel.sendToQueue(queue, Buffer.from(d.body), { persistent: true })) await new Promise((r) => channel.once('drain', r));
      }
      await channel.waitForConfirms();

      // Kill one consumer mid-stream (no goodbye: its unacknowledged deliveries go back to the queue), then start another.
      const victim = workers[0] as Worker;
      while (victim.handled < 1500) await new Promise((r) => setTimeout(r, 10));
      victim.child.kill('SIGKILL');
      await victim.exited;
      const restarted = startWorker(env);
      workers.push(restarted);
      await restarted.ready;

      const deadline = Date.now() + 90_000;
      for (;;) {
        const [main, dead] = [await channel.checkQueue(queue), await channel.checkQueue(`${queue}.dead`)];
        if ((main.messageCount === 0 && dead.messageCount >= deliveries.filter((d) => d.poison).length) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      // Let the survivors settle what they hold, then stop them gracefully.
      for (const w of workers.slice(1)) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));

      const remaining = (await channel.checkQueue(queue)).messageCount;
      const dead: { body: string; reason: string }[] = [];
      for (let m = await channel.get(`${queue}.dead`, { noAck: true }); m; m = await channel.get(`${queue}.dead`, { noAck: true })) {
        dead.push({ body: m.content.toString(), reason: String(m.properties.headers?.[AMQP_HEADERS.reason]) });
      }
      const poison = deliveries.filter((d) => d.poison);
      const poisonBodies = new Set(poison.map((d) => d.body));
      const validDeadLettered = dead.filter((d) => !poisonBodies.has(d.body));
      const deadBodies = new Set(dead.map((d) => d.body));
      const poisonMissing = [...poisonBodies].filter((b) => !deadBodies.has(b));
      const wrongReason = dead.filter((d) => poison.find((p) => p.body === d.body)?.poison !== d.reason);

      let differing = 0;
      const firstDiff: string[] = [];
      let applied = 0;
      for (const c of connections) {
        const actual = (await store.get(c.organizationId, c.id)) as ConnectionRecord;
        const expected = replay(c, valid.get(c.id) ?? []);
        applied += actual.version - 1;
        if (sorted(comparable(actual)) !== sorted(comparable(expected))) {
          differing++;
          if (firstDiff.length < 2) firstDiff.push(`${c.id}: ${sorted(comparable(actual)).slice(0, 400)} vs ${sorted(comparable(expected)).slice(0, 400)}`);
        }
        // Nothing applied twice: one version per distinct message at most.
        expect(actual.version - 1).toBeLessThanOrEqual((valid.get(c.id) ?? []).length);
      }
      const audit = new PostgresAuditLog({ client: pool, schema });
      const orgs = [...new Set(connections.map((c) => c.organizationId))];
      const entries = (await Promise.all(orgs.map((o) => audit.list(o)))).flat();
      const auditIds = new Set(entries.map((e) => e.id));
      await cleanup();
      const { unhandled, leaked } = await watch.stop(2000);

      recordFigures({
        group: 'messages',
        area: 'connections (RabbitMQ + PostgreSQL)',
        scenario:
          "10,000 status messages, 500 connections, a producer declaring the queue { durable: true } (consumers in passive topology), 2 consumer processes (one SIGKILLed at 1,500 and restarted): 15% duplicates, shuffled, hostile texts and timestamps, 5% poison",
        cases: CONNECTIONS,
        calls: TOTAL,
        succeeded: applied,
        failedTyped: dead.length,
        duplicates: 0,
        lost: remaining + poisonMissing.length + validDeadLettered.length,
        mismatches: differing,
        untypedErrors: 0,
        unhandledRejections: unhandled.length,
        leakedHandles: leaked.length,
        note: `applied ${applied}; dead letters ${dead.length} (poison ${poison.length}, valid ${validDeadLettered.length}, wrong reason ${wrongReason.length}); left in the queue ${remaining}; audit entries ${entries.length} for ${applied} applied changes; connections differing from the replay ${differing}`,
      });

      expect(firstDiff, 'connections whose state differs from the sequential replay').toEqual([]);
      expect(remaining, 'messages left in the queue').toBe(0);
      expect(validDeadLettered, 'valid messages dead-lettered').toEqual([]);
      expect(poisonMissing, 'poison not dead-lettered').toEqual([]);
      expect(wrongReason, 'dead letters with another reason than expected').toEqual([]);
      // A kill between the dead-letter publish and the ack can leave a second copy, never a missing one.
      expect(dead.length).toBeGreaterThanOrEqual(poison.length);
      expect(dead.length).toBeLessThanOrEqual(poison.length + CONCURRENCY);
      // Every applied change audited at most once; one whose audit write died with the process and that a newer message overtook is the only gap.
      expect(auditIds.size).toBe(entries.length);
      expect(entries.length).toBeLessThanOrEqual(applied);
      expect(entries.length).toBeGreaterThanOrEqual(applied - CONCURRENCY);
      expect(unhandled).toEqual([]);
      expect(leaked).toEqual([]);
    } finally {
      await cleanup();
    }
  }, 240_000);
});
