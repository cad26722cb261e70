// A StatusConsumer process for the scale-out test and the adapters bench:
// `node --import tsx test/adapters/scale-out-worker.ts` with ITSMKIT_WORKER_* env,
// started with an IPC channel. Reports `{ type: 'ready' }`, then progress, and
// `{ type: 'stopped', stats }` after a graceful stop on SIGTERM.
import pg from 'pg';
import { AmqpMessageSource } from '../../src/adapters/amqp/index.js';
import { PostgresConnectionStore } from '../../src/adapters/postgres/index.js';
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
});
const consumer = new StatusConsumer({ source, store, updates: new UpdateHub({ bufferSize: 1 }) });
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
