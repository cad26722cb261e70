import { type ChildProcess, fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import amqplib from 'amqplib';
import pg from 'pg';
import { amqp, itsmkit, postgres } from '../itsmkit.js';
import type { BenchResult, BenchSuite } from '../lib.js';

const { AmqpStatusPublisher } = amqp;
const { PostgresConnectionStore } = postgres;
const { newConnectionRecord } = itsmkit;

const PG_URL = process.env['ITSMKIT_BENCH_PG_URL'] ?? process.env['ITSMKIT_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const AMQP_URL = process.env['ITSMKIT_BENCH_AMQP_URL'] ?? process.env['ITSMKIT_TEST_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const WORKER = fileURLToPath(new URL('../../test/adapters/scale-out-worker.ts', import.meta.url));
const CONNECTIONS = 500;
const MESSAGES = 20_000;
const TYPES = ['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'jira'] as const;

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1500, () => done(false));
  });
}

/** Every message is newer than the last for its connection, so each one is applied and written (the costly path). */
function messages(connections: readonly { id: string; org: string }[]): object[] {
  return Array.from({ length: MESSAGES }, (_, i) => {
    const c = connections[i % CONNECTIONS] as { id: string; org: string };
    const started = Math.floor(i / CONNECTIONS) % 2 === 0;
    return {
      type: 'sync',
      connection_id: c.id,
      tenant_id: c.org,
      status: started ? 'sync_started' : 'sync_completed',
      ...(started ? {} : { documents_processed: 42 }),
      timestamp: new Date(Date.UTC(2025, 9, 1) + i * 1000).toISOString(),
    };
  });
}

async function run(consumers: number, audit = false): Promise<number> {
  const id = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const schema = `itsmkit_bench_${id}`;
  const queue = `itsmkit_bench_${id}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
  const store = new PostgresConnectionStore({ client: pool, schema });
  const workers: ChildProcess[] = [];
  const admin = await amqplib.connect(AMQP_URL);
  const channel = await admin.createChannel();
  try {
    await store.migrate();
    const connections: { id: string; org: string }[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const org = i % TYPES.length === 0 ? crypto.randomUUID() : (connections[i - 1] as { org: string }).org;
      const row = await store.insert(
        newConnectionRecord({
          id: crypto.randomUUID(),
          organizationId: org,
          type: TYPES[i % TYPES.length] as (typeof TYPES)[number],
          name: 'bench',
          enabled: true,
          createdBy: crypto.randomUUID(),
          at: '2025-01-01T00:00:00.000Z',
        }),
      );
      connections.push({ id: row.connection.id, org });
    }
    const batch = messages(connections);
    const done = new Array<number>(consumers).fill(0);
    const ready = Array.from({ length: consumers }, (_, w) => {
      const child = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ITSMKIT_WORKER_PG_URL: PG_URL, ITSMKIT_WORKER_AMQP_URL: AMQP_URL, ITSMKIT_WORKER_SCHEMA: schema, ITSMKIT_WORKER_QUEUE: queue, ITSMKIT_WORKER_CONCURRENCY: '64', ITSMKIT_WORKER_PREFETCH: '256', ITSMKIT_WORKER_AUDIT: audit ? '1' : '0' },
      });
      workers.push(child);
      return new Promise<void>((resolve) =>
        child.on('message', (m: { type: string; stats?: { processed: number; ignored: number; rejected: number } }) => {
          if (m.stats) done[w] = m.stats.processed + m.stats.ignored + m.stats.rejected;
          if (m.type === 'ready') resolve();
        }),
      );
    });
    await Promise.all(ready);
    const publisher = new AmqpStatusPublisher({ url: AMQP_URL, queue });
    const start = performance.now();
    await publisher.publishMany(batch);
    while (done.reduce((a, b) => a + b, 0) < MESSAGES) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - start) / 1000;
    await publisher.close();
    return MESSAGES / seconds;
  } finally {
    for (const child of workers) child.kill('SIGKILL');
    await channel.deleteQueue(queue).catch(() => undefined);
    await channel.deleteQueue(`${queue}.dead`).catch(() => undefined);
    await channel.deleteExchange(`${queue}.dlx`).catch(() => undefined);
    await admin.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}

/** Status messages per second end to end: publish -> RabbitMQ -> StatusConsumer process(es) -> PostgreSQL. */
export const adaptersSuite: BenchSuite = {
  name: 'adapters',
  async run(): Promise<BenchResult[]> {
    const [pgUp, amqpUp] = await Promise.all([reachable(PG_URL, 5432), reachable(AMQP_URL, 5672)]);
    if (!pgUp || !amqpUp) {
      console.log(`skipped: ${[!pgUp && `PostgreSQL (${new URL(PG_URL).host})`, !amqpUp && `RabbitMQ (${new URL(AMQP_URL).host})`].filter(Boolean).join(' and ')} not reachable`);
      return [];
    }
    const one = await run(1);
    const two = await run(2);
    const audited = await run(1, true);
    return [
      { name: 'status messages end to end, 1 consumer', unit: 'msg/s', value: one, note: `target >= 3000; ${MESSAGES} messages, ${CONNECTIONS} connections, every one applied` },
      { name: 'status messages end to end, 2 consumers', unit: 'msg/s', value: two, baseline: one, note: 'baseline: 1 consumer; target: faster than 1' },
      { name: 'status messages end to end, 1 consumer, audited', unit: 'msg/s', value: audited, baseline: one, note: 'each applied message also audited in PostgreSQL (PostgresAuditLog); baseline: not audited' },
    ];
  },
};
