import amqplib from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_HEADERS, AmqpMessageSource, AmqpStatusPublisher, isBrokerError } from '../../../src/adapters/amqp/index.js';
import { MemoryConnectionStore, StatusConsumer, UpdateHub } from '../../../src/index.js';
import { AMQP_URL, newConnection, runId, until } from '../fixtures.js';

const fast = { retries: 0, minDelayMs: 1, maxDelayMs: 5 };

/**
 * Against the real RabbitMQ, with a producer written from the data-sources
 * architecture, not from this code: its own amqplib connection, the queue
 * declared as the architecture's consumer does (`assertQueue(queue, { durable: true })`,
 * no dead-letter arguments), messages sent with `sendToQueue`.
 */
describe.runIf(Boolean(AMQP_URL))('AmqpMessageSource topologies on RabbitMQ', () => {
  const url = AMQP_URL as string;
  let producer: amqplib.ChannelModel;
  let channel: amqplib.ConfirmChannel;
  const cleanup: string[] = [];

  beforeAll(async () => {
    producer = await amqplib.connect(url);
    channel = await producer.createConfirmChannel();
  });
  afterAll(async () => {
    const admin = await producer.createChannel();
    for (const q of cleanup) {
      await admin.deleteQueue(q);
      await admin.deleteQueue(`${q}.dead`);
      await admin.deleteExchange(`${q}.dlx`);
    }
    await producer.close();
  });

  function queueName(): string {
    const q = `itsmkit_seed_${runId()}`;
    cleanup.push(q);
    return q;
  }

  async function drain(queue: string): Promise<amqplib.GetMessage[]> {
    const out: amqplib.GetMessage[] = [];
    const c = await producer.createChannel();
    for (let m = await c.get(queue, { noAck: true }); m; m = await c.get(queue, { noAck: true })) out.push(m);
    await c.close();
    return out;
  }

  const send = async (queue: string, body: object | string) => {
    channel.sendToQueue(queue, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), { persistent: true });
    await channel.waitForConfirms();
  };

  it("consumes the architecture's { durable: true } queue with one option (topology: 'passive'), dead-letters to its own queue and leaves the producer's queue as it was", async () => {
    const queue = queueName();
    await channel.assertQueue(queue, { durable: true });
    const store = new MemoryConnectionStore();
    const row = newConnection();
    await store.insert(row);

    // The default (managed) refuses the queue, saying what to do, and changes nothing.
    const managed = new AmqpMessageSource({ url, queue, retry: fast });
    const refused = await managed.start(async () => undefined).catch((e: unknown) => e);
    expect(isBrokerError(refused) && refused.code).toBe('topology');
    expect((refused as Error).message).toContain(`"${queue}"`);
    expect((refused as Error).message).toContain("use topology 'passive'");

    const source = new AmqpMessageSource({ url, queue, topology: 'passive', retry: fast });
    const consumer = new StatusConsumer({ source, store, updates: new UpdateHub() });
    await consumer.start();
    // The architecture's unified messages, as its producer sends them.
    await send(queue, { type: 'sync', connection_id: row.id, tenant_id: row.organizationId, status: 'sync_started', timestamp: '2025-10-01T10:00:00.000Z' });
    await send(queue, { type: 'sync', connection_id: row.id, tenant_id: row.organizationId, status: 'sync_completed', documents_processed: 42, timestamp: '2025-10-01T10:05:00.000Z' });
    await send(queue, { type: 'verification', connection_id: row.id, tenant_id: row.organizationId, status: 'success', options: { spaces: 'ENG,PROD,DOCS' }, error: null });
    await send(queue, '{"type":"sync",');
    await until(() => consumer.stats.processed === 3 && consumer.stats.rejected === 1, 'three applied, one refused');
    await consumer.stop();

    expect(await store.get(row.organizationId, row.id)).toMatchObject({ status: 'idle', lastSyncStatus: 'completed', latestOptions: { spaces: ['ENG', 'PROD', 'DOCS'] } });
    const dead = await drain(`${queue}.dead`);
    expect(dead.map((m) => [m.content.toString(), m.properties.headers?.[AMQP_HEADERS.reason], m.properties.headers?.[AMQP_HEADERS.queue]])).toEqual([['{"type":"sync",', 'invalid_json', queue]]);
    // Still the producer's queue: re-declaring it its way works, and it is empty.
    expect(await channel.assertQueue(queue, { durable: true })).toMatchObject({ messageCount: 0 });
  });

  it('names a queue that does not exist, after retrying while it might still be declared', async () => {
    const queue = queueName();
    const source = new AmqpMessageSource({ url, queue, topology: 'passive', retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    const error = await source.start(async () => undefined).catch((e: unknown) => e);
    expect(isBrokerError(error) && error.code).toBe('queue_not_found');
    expect(isBrokerError(error) && error.transient).toBe(false);
    expect((error as Error).message).toContain(`RabbitMQ queue "${queue}" does not exist`);
    expect(source.connected).toBe(false);
  });

  it('reports a broker that refuses the passive check (another connection holds the queue exclusively) as refused, at once', async () => {
    const holder = await producer.createChannel();
    const { queue } = await holder.assertQueue('', { exclusive: true });
    try {
      const source = new AmqpMessageSource({ url, queue, topology: 'passive', retry: { retries: 5, minDelayMs: 1, maxDelayMs: 2 } });
      const error = await source.start(async () => undefined).catch((e: unknown) => e);
      expect(isBrokerError(error) && error.code).toBe('refused');
      expect((error as Error).message).toContain(`refused access to "${queue}"`);
      expect((error as Error).message).toMatch(/RESOURCE_LOCKED/);
    } finally {
      await holder.close();
    }
  });

  it("declares quorum queues in managed mode (queueType: 'quorum'), consumes, retries and dead-letters through them", async () => {
    const queue = queueName();
    const publisher = new AmqpStatusPublisher({ url, queue, queueType: 'quorum' });
    const source = new AmqpMessageSource({ url, queue, queueType: 'quorum', maxAttempts: 2, retry: fast });
    const seen: string[] = [];
    await source.start(async (m) => {
      const text = Buffer.from(m.body as Uint8Array).toString();
      seen.push(text);
      if (text.includes('poison')) throw new Error('boom');
      await source.ack(m);
    });
    await publisher.publishMany([{ n: 1 }, { poison: true }, { n: 2 }]);
    await until(() => source.stats.acked === 2 && source.stats.deadLettered === 1, 'two acked, one dead-lettered');
    await source.stop();
    await publisher.close();
    expect(seen.filter((s) => s.includes('poison'))).toHaveLength(2);
    const dead = await drain(`${queue}.dead`);
    expect(dead.map((m) => m.properties.headers?.[AMQP_HEADERS.reason])).toEqual(['handler_failed']);
    // Both are quorum queues: declaring either as a classic queue is refused for its x-queue-type.
    const classic: [string, Record<string, unknown>][] = [
      [queue, { 'x-dead-letter-exchange': `${queue}.dlx`, 'x-dead-letter-routing-key': queue }],
      [`${queue}.dead`, {}],
    ];
    for (const [q, args] of classic) {
      const probe = await producer.createChannel();
      probe.on('error', () => undefined);
      const error = await probe.assertQueue(q, { durable: true, arguments: args }).catch((e: unknown) => e);
      expect(String(error)).toMatch(/inequivalent arg 'x-queue-type'/);
    }
  });
});
