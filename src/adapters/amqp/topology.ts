import type { AmqpConfirmChannel } from './amqp-types.js';

/** The queue names of the status route. */
export interface StatusTopology {
  /** The durable queue the consumers read. */
  readonly queue: string;
  /** The direct exchange refused messages are sent to (routing key: {@link queue}). */
  readonly deadLetterExchange: string;
  /** The durable queue bound to the dead-letter exchange. */
  readonly deadLetterQueue: string;
}

/** The default queue name (seed 002). */
export const DEFAULT_STATUS_QUEUE = 'data_source_status';

/** The topology for a queue name: `<queue>.dlx` and `<queue>.dead` unless given. */
export function statusTopology(options: { readonly queue?: string | undefined; readonly deadLetterExchange?: string | undefined; readonly deadLetterQueue?: string | undefined } = {}): StatusTopology {
  const queue = options.queue ?? DEFAULT_STATUS_QUEUE;
  return { queue, deadLetterExchange: options.deadLetterExchange ?? `${queue}.dlx`, deadLetterQueue: options.deadLetterQueue ?? `${queue}.dead` };
}

/**
 * Declares the status route (idempotent): the dead-letter exchange and queue,
 * then the durable queue with the exchange as its `x-dead-letter-exchange`,
 * so anything the broker itself dead-letters lands there too.
 */
export async function assertStatusTopology(channel: AmqpConfirmChannel, topology: StatusTopology): Promise<void> {
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  await channel.assertQueue(topology.deadLetterQueue, { durable: true });
  await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, topology.queue);
  await channel.assertQueue(topology.queue, {
    durable: true,
    arguments: { 'x-dead-letter-exchange': topology.deadLetterExchange, 'x-dead-letter-routing-key': topology.queue },
  });
}
