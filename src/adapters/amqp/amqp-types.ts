/**
 * The parts of amqplib's promise API the adapter uses, as structural types,
 * so the declarations do not depend on which amqplib major (0.10 to 2.x) or
 * which type package the host has installed.
 */

/** A delivered message. */
export interface AmqpDelivery {
  readonly content: Buffer;
  readonly fields: { readonly deliveryTag: number; readonly redelivered: boolean; readonly routingKey: string; readonly exchange: string };
  readonly properties: { readonly headers?: Record<string, unknown> | undefined; readonly messageId?: unknown; readonly contentType?: unknown; readonly [key: string]: unknown };
}

/** Publish options the adapter sets. */
export interface AmqpPublishOptions {
  readonly persistent?: boolean;
  readonly contentType?: string;
  readonly messageId?: string;
  readonly headers?: Record<string, unknown>;
}

/** A channel in confirm mode. */
export interface AmqpConfirmChannel {
  assertQueue(queue: string, options?: { durable?: boolean; arguments?: Record<string, unknown> }): Promise<unknown>;
  checkQueue(queue: string): Promise<unknown>;
  assertExchange(exchange: string, type: string, options?: { durable?: boolean }): Promise<unknown>;
  bindQueue(queue: string, source: string, pattern: string): Promise<unknown>;
  prefetch(count: number): Promise<unknown>;
  consume(queue: string, onMessage: (message: AmqpDelivery | null) => void, options?: { noAck?: boolean }): Promise<{ consumerTag: string }>;
  cancel(consumerTag: string): Promise<unknown>;
  ack(message: AmqpDelivery): void;
  nack(message: AmqpDelivery, allUpTo?: boolean, requeue?: boolean): void;
  publish(exchange: string, routingKey: string, content: Buffer, options?: AmqpPublishOptions, callback?: (error: unknown) => void): boolean;
  waitForConfirms(): Promise<void>;
  close(): Promise<void>;
  once(event: 'drain', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection (amqplib's `ChannelModel`). */
export interface AmqpConnection {
  createConfirmChannel(): Promise<AmqpConfirmChannel>;
  close(): Promise<void>;
  on(event: 'close', listener: (error?: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Opens a connection; amqplib's `connect` by default. */
export type AmqpConnect = (url: string) => Promise<AmqpConnection>;

/** amqplib's `connect`, loaded on first use so importing `itsmkit/amqp` does not require it. */
export const amqplibConnect: AmqpConnect = async (url) => {
  const amqplib = (await import('amqplib')) as unknown as { connect?: AmqpConnect; default?: { connect: AmqpConnect } };
  const connect = amqplib.connect ?? amqplib.default?.connect;
  if (!connect) throw new Error('amqplib has no connect export');
  return connect(url);
};
