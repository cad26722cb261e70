import amqplib from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_HEADERS, type AmqpConnection, AmqpMessageSource, AmqpStatusPublisher, isBrokerError } from '../../../src/adapters/amqp/index.js';
import { MemoryConnectionStore, type SourceMessage, StatusConsumer, UpdateHub } from '../../../src/index.js';
import { AMQP_URL, newConnection, runId, until } from '../fixtures.js';

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

describe.runIf(Boolean(AMQP_URL))('AmqpMessageSource on RabbitMQ', () => {
  const url = AMQP_URL as string;
  let admin: amqplib.ChannelModel;
  let channel: amqplib.Channel;
  const queues: string[] = [];

  beforeAll(async () => {
    admin = await amqplib.connect(url);
    channel = await admin.createChannel();
  });
  afterAll(async () => {
    for (const q of queues) {
      await channel.deleteQueue(q);
      await channel.deleteQueue(`${q}.dead`);
      await channel.deleteExchange(`${q}.dlx`);
    }
    await admin.close();
  });

  function names(): string {
    const q = `itsmkit_test_${runId()}`;
    queues.push(q);
    return q;
  }

  async function deadLetters(queue: string): Promise<amqplib.GetMessage[]> {
    const out: amqplib.GetMessage[] = [];
    for (let m = await channel.get(`${queue}.dead`, { noAck: true }); m; m = await channel.get(`${queue}.dead`, { noAck: true })) out.push(m);
    return out;
  }

  it('declares the durable queue with its dead-letter route and acknowledges only after the handler', async () => {
    const queue = names();
    const publisher = new AmqpStatusPublisher({ url, queue });
    await publisher.publishMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const source = new AmqpMessageSource({ url, queue, retry: fast });
    const seen: string[] = [];
    await source.start(async (m) => {
      seen.push(Buffer.from(m.body as Uint8Array).toString());
      // Nothing is acknowledged while the handler runs.
      expect(source.stats.acked).toBe(seen.length - 1);
      await source.ack(m);
    });
    await until(() => seen.length === 3, 'three deliveries');
    await source.stop();
    await publisher.close();
    expect(seen).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(source.stats).toMatchObject({ delivered: 3, acked: 3, deadLettered: 0 });
    const q = await channel.checkQueue(queue);
    expect(q.messageCount).toBe(0);
    expect((await channel.checkQueue(`${queue}.dead`)).messageCount).toBe(0);
  });

  it('dead-letters a poison message with its reason in headers (StatusConsumer rejects it)', async () => {
    const queue = names();
    const store = new MemoryConnectionStore();
    const source = new AmqpMessageSource({ url, queue, retry: fast });
    const consumer = new StatusConsumer({ source, store, updates: new UpdateHub() });
    await consumer.start();
    const publisher = new AmqpStatusPublisher({ url, queue });
    await publisher.publish('{not json', { messageId: 'm-1' });
    await publisher.publish({ type: 'sync', connection_id: crypto.randomUUID(), tenant_id: crypto.randomUUID(), status: 'sync_started' });
    await until(() => consumer.stats.rejected === 2, 'two rejections');
    await consumer.stop();
    await publisher.close();
    const dead = await deadLetters(queue);
    expect(dead.map((m) => m.properties.headers?.[AMQP_HEADERS.reason])).toEqual(['invalid_json', 'unknown_connection']);
    expect(dead[0]?.content.toString()).toBe('{not json');
    expect(dead[0]?.properties.messageId).toBe('m-1');
    expect(dead[0]?.properties.headers?.[AMQP_HEADERS.queue]).toBe(queue);
    expect(String(dead[1]?.properties.headers?.[AMQP_HEADERS.detail])).toMatch(/no connection/);
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
  });

  it('dead-letters a message whose handler fails every time after maxAttempts, with reason handler_failed', async () => {
    const queue = names();
    const source = new AmqpMessageSource({ url, queue, maxAttempts: 3, retry: fast });
    let calls = 0;
    await source.start(async () => {
      calls++;
      throw new Error('boom');
    });
    await new AmqpStatusPublisher({ url, queue }).publish({ poison: true }).then(() => undefined);
    await until(() => source.stats.deadLettered === 1, 'dead letter');
    await source.stop();
    expect(calls).toBe(3);
    const [dead] = await deadLetters(queue);
    expect(dead?.properties.headers?.[AMQP_HEADERS.reason]).toBe('handler_failed');
    expect(dead?.properties.headers?.[AMQP_HEADERS.detail]).toBe('failed 3 times; last: Error: boom');
    expect(dead?.properties.headers?.[AMQP_HEADERS.attempts]).toBe(2);
    expect(JSON.parse(String(dead?.content))).toEqual({ poison: true });
  });

  it('requeues transient failures without counting them, and delivers again', async () => {
    const queue = names();
    const source = new AmqpMessageSource({ url, queue, maxAttempts: 2, retry: fast });
    let calls = 0;
    await source.start(async (m) => {
      if (++calls <= 4) throw Object.assign(new Error('store down'), { transient: true });
      await source.ack(m);
    });
    const publisher = new AmqpStatusPublisher({ url, queue });
    await publisher.publish({ n: 1 });
    await until(() => source.stats.acked === 1, 'ack after transient failures');
    await source.stop();
    await publisher.close();
    expect(calls).toBe(5);
    expect(source.stats).toMatchObject({ deadLettered: 0, retried: 4 });
  });

  it('reconnects after the connection drops mid-stream and loses nothing', async () => {
    const queue = names();
    const connections: AmqpConnection[] = [];
    const source = new AmqpMessageSource({
      url,
      queue,
      concurrency: 8,
      retry: fast,
      connect: async (u) => {
        const c = (await amqplib.connect(u)) as unknown as AmqpConnection;
        connections.push(c);
        return c;
      },
    });
    const done = new Set<string>();
    let deliveries = 0;
    await source.start(async (m: SourceMessage) => {
      deliveries++;
      await new Promise((r) => setTimeout(r, 1));
      done.add(Buffer.from(m.body as Uint8Array).toString());
      await source.ack(m);
    });
    const publisher = new AmqpStatusPublisher({ url, queue });
    await publisher.publishMany(Array.from({ length: 600 }, (_, i) => ({ i })));
    await until(() => done.size >= 100, 'first hundred');
    // A network failure, as the client sees it: the socket goes away without a close handshake.
    (connections[0] as unknown as { connection: { stream: { destroy(error: Error): void } } }).connection.stream.destroy(new Error('ECONNRESET (simulated)'));
    await until(() => done.size === 600, 'all 600 after reconnect', 30_000);
    await source.stop();
    await publisher.close();
    expect(source.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(connections.length).toBeGreaterThanOrEqual(2);
    // Deliveries in flight at the drop came back (redelivered), so there may be more deliveries than messages.
    expect(deliveries).toBeGreaterThanOrEqual(600);
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
  });

  it('stops gracefully: no new deliveries, in-flight handlers finish and acknowledge, the rest stays queued', async () => {
    const queue = names();
    const publisher = new AmqpStatusPublisher({ url, queue });
    await publisher.publishMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    const source = new AmqpMessageSource({ url, queue, concurrency: 4, prefetch: 10, retry: fast });
    let started = 0;
    let finished = 0;
    await source.start(async (m) => {
      started++;
      await new Promise((r) => setTimeout(r, 50));
      finished++;
      await source.ack(m);
    });
    await until(() => started >= 4, 'four in flight');
    await source.stop();
    const afterStop = started;
    await new Promise((r) => setTimeout(r, 100));
    expect(started).toBe(afterStop);
    expect(finished).toBe(started);
    expect(source.stats.acked).toBe(finished);
    expect((await channel.checkQueue(queue)).messageCount).toBe(50 - finished);
    await publisher.close();
  });

  it('fails with a BrokerError that never shows the password when the broker is unreachable', async () => {
    const bad = new URL(url);
    bad.port = '1';
    bad.password = 'canary-amqp-secret';
    const source = new AmqpMessageSource({ url: bad.toString(), queue: 'never', retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } });
    const error = await source.start(async () => undefined).catch((e: unknown) => e);
    expect(isBrokerError(error) && error.code).toBe('unavailable');
    expect(isBrokerError(error) && error.transient).toBe(true);
    expect(String((error as Error).message)).not.toContain('canary-amqp-secret');
    expect(String((error as Error & { url: string }).url)).not.toContain('canary-amqp-secret');
    const publisherError = await new AmqpStatusPublisher({ url: bad.toString() }).publish({}).catch((e: unknown) => e);
    expect(isBrokerError(publisherError)).toBe(true);
    expect(String((publisherError as Error).message)).not.toContain('canary-amqp-secret');
  });

  it('keeps a store outage transient: messages wait and apply once the store is back', async () => {
    const queue = names();
    const store = new MemoryConnectionStore();
    const row = newConnection();
    await store.insert(row);
    let down = true;
    const flaky = {
      get: async (o: string, i: string) => {
        if (down) throw Object.assign(new Error('PostgreSQL is unavailable'), { transient: true });
        return store.get(o, i);
      },
      list: store.list.bind(store),
      insert: store.insert.bind(store),
      update: store.update.bind(store),
    };
    const source = new AmqpMessageSource({ url, queue, maxAttempts: 2, retry: fast });
    const consumer = new StatusConsumer({ source, store: flaky, updates: new UpdateHub() });
    await consumer.start();
    const publisher = new AmqpStatusPublisher({ url, queue });
    await publisher.publish({ type: 'sync', connection_id: row.id, tenant_id: row.organizationId, status: 'sync_started', timestamp: '2025-10-01T10:00:00Z' });
    await until(() => source.stats.retried >= 3, 'a few transient retries');
    down = false;
    await until(() => consumer.stats.processed === 1, 'applied after recovery');
    await consumer.stop();
    await publisher.close();
    expect(source.stats.deadLettered).toBe(0);
    expect((await store.get(row.organizationId, row.id))?.status).toBe('syncing');
  });
});
