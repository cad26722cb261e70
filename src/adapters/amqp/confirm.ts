import type { AmqpConfirmChannel, AmqpPublishOptions } from './amqp-types.js';

/** Publishes one message and resolves when the broker confirmed it (rejects on a nack or a closed channel). */
export function publishConfirmed(channel: AmqpConfirmChannel, exchange: string, routingKey: string, content: Buffer, options: AmqpPublishOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, content, options, (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()));
    } catch (error) {
      // amqplib throws synchronously on a closed channel.
      reject(error);
    }
  });
}
