import type { AmqpConfirmChannel } from './amqp-types.js';
import { BrokerError } from './errors.js';

/**
 * How the adapter treats the status queue.
 *
 * - `managed`: itsmkit owns the queue and declares it (durable, with a
 *   dead-letter exchange and queue), so messages the broker itself
 *   dead-letters land with the refused ones. Declaring fails with a
 *   `topology` error when the queue already exists with other arguments.
 * - `passive`: someone else declared the queue (the external service, with
 *   whatever arguments: `{ durable: true }` and nothing else is common); the
 *   adapter only checks that it exists, and dead-letters by publishing to
 *   its own dead-letter queue.
 */
export type StatusTopologyMode = 'managed' | 'passive';

/** The kind of queue `managed` declares: `classic`, or `quorum` (RabbitMQ's replicated durable queue). */
export type StatusQueueType = 'classic' | 'quorum';

/** The queues of the status route and how they are declared. */
export interface StatusTopology {
  /** The durable queue the consumers read. */
  readonly queue: string;
  /** The direct exchange refused messages are sent to in `managed` mode (routing key: {@link queue}). */
  readonly deadLetterExchange: string;
  /** The durable queue refused messages end in. */
  readonly deadLetterQueue: string;
  readonly mode: StatusTopologyMode;
  readonly queueType: StatusQueueType;
}

/** What {@link statusTopology} reads. */
export interface StatusTopologyOptions {
  /** @default 'data_source_status' */
  readonly queue?: string | undefined;
  /** @default `${queue}.dlx` */
  readonly deadLetterExchange?: string | undefined;
  /** @default `${queue}.dead` */
  readonly deadLetterQueue?: string | undefined;
  /** @default 'managed' */
  readonly topology?: StatusTopologyMode | undefined;
  /** @default 'classic' */
  readonly queueType?: StatusQueueType | undefined;
}

/** The default queue name (the data-sources architecture's single status queue). */
export const DEFAULT_STATUS_QUEUE = 'data_source_status';

/** The topology for a queue name: `<queue>.dlx` and `<queue>.dead` unless given, `managed` classic queues by default. */
export function statusTopology(options: StatusTopologyOptions = {}): StatusTopology {
  const queue = options.queue ?? DEFAULT_STATUS_QUEUE;
  return {
    queue,
    deadLetterExchange: options.deadLetterExchange ?? `${queue}.dlx`,
    deadLetterQueue: options.deadLetterQueue ?? `${queue}.dead`,
    mode: options.topology ?? 'managed',
    queueType: options.queueType ?? 'classic',
  };
}

/** Where a refused message is published: through the dead-letter exchange (`managed`), or straight to the dead-letter queue (`passive`). */
export function deadLetterRoute(topology: StatusTopology): { readonly exchange: string; readonly routingKey: string } {
  return topology.mode === 'managed' ? { exchange: topology.deadLetterExchange, routingKey: topology.queue } : { exchange: '', routingKey: topology.deadLetterQueue };
}

/**
 * Sets up the status route (idempotent). `managed`: the dead-letter exchange
 * and queue, then the durable queue with the exchange as its
 * `x-dead-letter-exchange` (and `x-queue-type: quorum` for quorum queues).
 * `passive`: checks that the queue exists, then declares only the
 * dead-letter queue. The broker's refusals come back as `BrokerError`s that
 * name the queue (`queue_not_found`, `refused`, `topology`).
 */
export async function assertStatusTopology(channel: AmqpConfirmChannel, topology: StatusTopology, url?: string): Promise<void> {
  const typeArgs = topology.queueType === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
  if (topology.mode === 'passive') {
    await declare(() => channel.checkQueue(topology.queue), topology.queue, url, 'passive');
    await declare(() => channel.assertQueue(topology.deadLetterQueue, { durable: true, arguments: typeArgs }), topology.deadLetterQueue, url, 'passive');
    return;
  }
  await declare(() => channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true }), topology.deadLetterExchange, url, 'managed');
  await declare(() => channel.assertQueue(topology.deadLetterQueue, { durable: true, arguments: typeArgs }), topology.deadLetterQueue, url, 'managed');
  await declare(() => channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, topology.queue), topology.deadLetterQueue, url, 'managed');
  await declare(
    () =>
      channel.assertQueue(topology.queue, {
        durable: true,
        arguments: { ...typeArgs, 'x-dead-letter-exchange': topology.deadLetterExchange, 'x-dead-letter-routing-key': topology.queue },
      }),
    topology.queue,
    url,
    'managed',
  );
}

/** Runs one declaration and turns the broker's channel error into a BrokerError naming what was declared. */
async function declare(step: () => Promise<unknown>, name: string, url: string | undefined, mode: StatusTopologyMode): Promise<void> {
  const where = url ? ` (${url})` : '';
  try {
    await step();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reply = error instanceof Error ? error.message.replace(/^Operation failed: \w+; /, '') : String(error);
    if (code === 404) {
      throw new BrokerError(`RabbitMQ queue "${name}" does not exist${where}: declare it first, or use topology 'managed' to let itsmkit declare it`, { code: 'queue_not_found', url: url ?? '', cause: error });
    }
    if (code === 403 || code === 405) {
      throw new BrokerError(`RabbitMQ refused access to "${name}"${where}: ${reply}`, { code: 'refused', url: url ?? '', cause: error });
    }
    if (code === 406) {
      const hint = mode === 'managed' ? "; if another service declared it, use topology 'passive'" : '';
      throw new BrokerError(`RabbitMQ "${name}" exists with other settings${where}: ${reply}${hint}`, { code: 'topology', url: url ?? '', cause: error });
    }
    throw error;
  }
}
