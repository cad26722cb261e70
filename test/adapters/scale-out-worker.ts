// A StatusConsumer process for the scale-out test, the broker reliability
// scenario and the adapters bench: `node --import tsx test/adapters/scale-out-worker.ts`
// with ITSMKIT_WORKER_* env (ITSMKIT_WORKER_TOPOLOGY=passive for a queue another
// service declared, ITSMKIT_WORKER_AUDIT=1 to audit into PostgreSQL), started
// with an IPC channel. Reports `{ type: 'ready' }`, then progress, and
// `{ type: 'stopped', stats }` after a graceful stop on SIGTERM.
import pg from 'pg';
import { AmqpMessageSource } from '../../src/adapters/amqp/index.js';
import { PostgresAuditLog, PostgresConnectionStore } from '../../src/adapters/postgres/index.js';
import { StatusConsumer, UpdateHub } from '../../src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};

const pool = new pg.Pool({ connectionString: env('ITSMKIT_WORKER_PG_URL'), max: Number(process.env['ITSMKIT_WORKER_POOL'] ?? 8) });
const store = new PostgresConnectionStore({ client: pool, schema: env('ITSMKIT_WORKER_SCHEMA') });
const source = new AmqpMessageSource({
  url: env('ITSMKIT_WORKER_AMQP_URL'),
  queue: env('ITSMKIT_WORKER_QUEUE'),
  concurrency: Number(process.env['ITSMKIT_WORKER_CONCURRENCY'] ?? 32),
  prefetch: Number(process.env['ITSMKIT_WORKER_PREFETCH'] ?? 128),
  topology: process.env['ITSMKIT_WORKER_TOPOLOGY'] === 'passive' ? 'passive' : 'managed',
});
const audit = process.env['ITSMKIT_WORKER_AUDIT'] === '1' ? new PostgresAuditLog({ client: pool, schema: env('ITSMKIT_WORKER_SCHEMA') }) : undefined;
const consumer = new StatusConsumer({ source, store, updates: new UpdateHub({ bufferSize: 1 }), ...(audit ? { audit } : {}) });
await consumer.start();
process.send?.({ type: 'ready' });
const progress = setInterval(() => process.send?.({ type: 'progress', stats: consumer.stats }), 50);

process.on('SIGTERM', () => {
  clearInterval(progress);
  void (async () => {
    await consumer.stop();
    await pool.end();
    process.send?.({ type: 'stopped', stats: consumer.stats, source: source.stats }, () => process.exit(0));
  })();
});
