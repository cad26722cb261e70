import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import amqplib from 'amqplib';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AmqpStatusPublisher } from '../../src/adapters/amqp/index.js';
import { PostgresConnectionStore } from '../../src/adapters/postgres/index.js';
import { type ConsumerStats, MemoryConnectionStore, MemoryMessageSource, type NewConnection, StatusConsumer, UpdateHub } from '../../src/index.js';
import { AMQP_URL, comparable, connectionSet, PG_URL, runId, statusStream } from './fixtures.js';

const WORKER = fileURLToPath(new URL('./scale-out-worker.ts', import.meta.url));

interface Worker {
  readonly child: ChildProcess;
  stats: ConsumerStats;
  readonly ready: Promise<void>;
  readonly stopped: Promise<ConsumerStats | undefined>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const worker = { child, stats: { processed: 0, ignored: 0, rejected: 0 } } as Worker & { ready: Promise<void>; stopped: Promise<ConsumerStats | undefined> };
  (worker as { ready: Promise<void> }).ready = new Promise((resolve, reject) => {
    child.on('message', (m: { type: string; stats?: ConsumerStats }) => {
      if (m.stats) worker.stats = m.stats;
      if (m.type === 'ready') resolve();
    });
    child.once('exit', () => reject(new Error('worker exited before it was ready')));
  });
  (worker as { stopped: Promise<ConsumerStats | undefined> }).stopped = new Promise((resolve) => {
    child.on('message', (m: { type: string; stats?: ConsumerStats }) => m.type === 'stopped' && resolve(m.stats));
    child.once('exit', () => resolve(undefined));
  });
  return worker;
}

/** What a sequential replay of the same messages through the memory store and the reducer ends with. */
async function sequentialReplay(connections: readonly NewConnection[], messages: readonly object[]) {
  const store = new MemoryConnectionStore();
  for (const c of connections) await store.insert(c);
  const consumer = new StatusConsumer({ source: new MemoryMessageSource(), store, updates: new UpdateHub({ bufferSize: 1 }) });
  for (const [i, m] of messages.entries()) await consumer.handle({ id: String(i), body: JSON.stringify(m) });
  return Promise.all(connections.map(async (c) => comparable((await store.get(c.organizationId, c.id)) as NonNullable<Awaited<ReturnType<typeof store.get>>>)));
}

describe.runIf(Boolean(PG_URL && AMQP_URL))('scale-out: two StatusConsumer processes on one queue and one PostgreSQL', () => {
  const scenario = async (killOne: boolean) => {
    const id = runId();
    const schema = `itsmkit_scale_${id}`;
    const queue = `itsmkit_scale_${id}`;
    const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
    const store = new PostgresConnectionStore({ client: pool, schema });
    const admin = await amqplib.connect(AMQP_URL as string);
    const channel = await admin.createChannel();
    const workers: Worker[] = [];
    try {
      await store.migrate();
      const connections = connectionSet(500);
      for (const c of connections) await store.insert(c);
      // 8,000 distinct messages (16 per connection) plus 2,000 duplicates, shuffled.
      const messages = statusStream(connections, 8000, 2000, killOne ? 11 : 3);
      expect(messages).toHaveLength(10_000);
      const expected = await sequentialReplay(connections, messages);

      const env = { ITSMKIT_WORKER_PG_URL: PG_URL as string, ITSMKIT_WORKER_AMQP_URL: AMQP_URL as string, ITSMKIT_WORKER_SCHEMA: schema, ITSMKIT_WORKER_QUEUE: queue };
      workers.push(startWorker(env), startWorker(env));
      await Promise.all(workers.map((w) => w.ready));

      const publisher = new AmqpStatusPublisher({ url: AMQP_URL as string, queue });
      await publisher.publishMany(messages);
      await publisher.close();

      const [victim, survivor] = workers as [Worker, Worker];
      if (killOne) {
        while (victim.stats.processed + victim.stats.ignored < 1500) await new Promise((r) => setTimeout(r, 10));
        victim.child.kill('SIGKILL');
        await victim.stopped;
      }

      const actual = async () => Promise.all(connections.map(async (c) => store.get(c.organizationId, c.id)));
      const deadline = Date.now() + 40_000;
      let rows = await actual();
      while (Date.now() < deadline) {
        const q = await channel.checkQueue(queue);
        if (q.messageCount === 0 && JSON.stringify(rows.map((r) => r && comparable(r))) === JSON.stringify(expected)) break;
        await new Promise((r) => setTimeout(r, 200));
        rows = await actual();
      }
      expect(rows.map((r) => r && comparable(r))).toEqual(expected);

      // Let the survivors finish what they hold, then stop them gracefully.
      const live = killOne ? [survivor] : workers;
      for (const w of live) w.child.kill('SIGTERM');
      const finals = await Promise.all(live.map((w) => w.stopped));
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
      expect((await channel.checkQueue(`${queue}.dead`)).messageCount).toBe(0);

      // Nothing applied twice: every application bumps the version once, and no message can be applied twice,
      // so a row's version never exceeds 1 + its distinct messages.
      const perConnection = new Map<string, number>();
      for (let i = 0; i < 8000; i++) perConnection.set((connections[i % 500] as NewConnection).id, (perConnection.get((connections[i % 500] as NewConnection).id) ?? 0) + 1);
      for (const r of rows) expect((r?.version ?? 0) - 1).toBeLessThanOrEqual(perConnection.get(r?.id ?? '') ?? 0);
      const applied = rows.reduce((n, r) => n + (r?.version ?? 1) - 1, 0);
      if (!killOne) {
        // Every application was counted by exactly one consumer.
        expect(finals.reduce((n, s) => n + (s?.processed ?? 0), 0)).toBe(applied);
        expect(finals.reduce((n, s) => n + (s?.processed ?? 0) + (s?.ignored ?? 0) + (s?.rejected ?? 0), 0)).toBe(10_000);
        expect(finals.every((s) => (s?.processed ?? 0) > 0)).toBe(true);
      } else {
        expect(finals[0]?.rejected).toBe(0);
      }
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteQueue(`${queue}.dead`).catch(() => undefined);
      await channel.deleteExchange(`${queue}.dlx`).catch(() => undefined);
      await admin.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  };

  it('ends with the rows a sequential replay gives: 10,000 messages with duplicates and reordering over 500 connections', () => scenario(false), 60_000);

  it('loses nothing and applies nothing twice when one consumer is killed mid-stream', () => scenario(true), 60_000);
});
