import { type AmqpConfirmChannel, type AmqpConnect, type AmqpConnection, amqplibConnect } from './amqp-types.js';
import { publishConfirmed } from './confirm.js';
import { toBrokerError } from './errors.js';
import { redactUrl } from '../../core/index.js';
import { assertStatusTopology, type StatusQueueType, type StatusTopology, statusTopology, type StatusTopologyMode } from './topology.js';

/** Options of an {@link AmqpStatusPublisher}. */
export interface AmqpStatusPublisherOptions {
  /** `amqp://user:password@host:5672/vhost`; the password never appears in errors. */
  readonly url: string;
  /** @default 'data_source_status' */
  readonly queue?: string;
  /** Who declares the queue: as the consumer's `AmqpMessageSource` does (`passive` only checks it exists). @default 'managed' */
  readonly topology?: StatusTopologyMode;
  /** The queue type `managed` declares. @default 'classic' */
  readonly queueType?: StatusQueueType;
  /** @default `${queue}.dlx` */
  readonly deadLetterExchange?: string;
  /** @default `${queue}.dead` */
  readonly deadLetterQueue?: string;
  /** Opens a connection. @default amqplib's `connect` */
  readonly connect?: AmqpConnect;
}

/** One status message to publish: an object (sent as JSON), a string or bytes. */
export type StatusPayload = object | string | Uint8Array;

/** Per-message publish options. */
export interface PublishStatusOptions {
  readonly messageId?: string;
  readonly headers?: Record<string, unknown>;
}

interface Session {
  readonly connection: AmqpConnection;
  readonly channel: AmqpConfirmChannel;
  closed: boolean;
}

/**
 * Publishes status messages to the status queue as persistent messages on a
 * confirm channel, as the external sync service does. Every publish resolves
 * only once the broker confirmed it; a failure is a `BrokerError` (the
 * caller may publish again: the consumer's reducer makes duplicates harmless).
 * Declares the same queues as the source (with the same `topology` and
 * `queueType`), so nothing is dropped before a consumer exists. Connects on
 * first use and again after a drop.
 */
export class AmqpStatusPublisher {
  private readonly url: string;
  private readonly topology: StatusTopology;
  private readonly connect: AmqpConnect;
  private current: Session | undefined;
  private opening: Promise<Session> | undefined;

  constructor(options: AmqpStatusPublisherOptions) {
    this.url = options.url;
    this.topology = statusTopology(options);
    this.connect = options.connect ?? amqplibConnect;
  }

  /** The queue names in use. */
  get names(): StatusTopology {
    return this.topology;
  }

  /** Publishes one message and waits for the broker's confirm. */
  async publish(payload: StatusPayload, options: PublishStatusOptions = {}): Promise<void> {
    const { channel } = await this.session();
    try {
      await publishConfirmed(channel, '', this.topology.queue, encode(payload), props(payload, options));
    } catch (error) {
      throw toBrokerError(error, 'publish', this.url, 'publish_failed');
    }
  }

  /**
   * Publishes many messages (respecting the channel's back-pressure), then
   * waits for every confirm. Resolves with how many were published.
   */
  async publishMany(payloads: Iterable<StatusPayload>): Promise<number> {
    const { channel } = await this.session();
    let count = 0;
    try {
      for (const payload of payloads) {
        if (!channel.publish('', this.topology.queue, encode(payload), props(payload, {}))) {
          await new Promise<void>((resolve) => channel.once('drain', resolve));
        }
        count++;
      }
      await channel.waitForConfirms();
    } catch (error) {
      throw toBrokerError(error, 'publish', this.url, 'publish_failed');
    }
    return count;
  }

  /** Closes the channel and connection. */
  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    const session = this.current;
    this.current = undefined;
    if (!session) return;
    session.closed = true;
    await session.channel.close().catch(() => undefined);
    await session.connection.close().catch(() => undefined);
  }

  private async session(): Promise<Session> {
    if (this.current && !this.current.closed) return this.current;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(): Promise<Session> {
    let connection: AmqpConnection;
    try {
      connection = await this.connect(this.url);
    } catch (error) {
      throw toBrokerError(error, 'connect', this.url, 'unavailable');
    }
    let session: Session | undefined;
    const forget = (): void => {
      if (session) session.closed = true;
    };
    connection.on('error', () => undefined);
    connection.on('close', forget);
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', forget);
      await assertStatusTopology(channel, this.topology, redactUrl(this.url));
      session = { connection, channel, closed: false };
      this.current = session;
      return session;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw toBrokerError(error, 'publisher setup', this.url);
    }
  }
}

function encode(payload: StatusPayload): Buffer {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

function props(payload: StatusPayload, options: PublishStatusOptions): { persistent: true; contentType?: string; messageId?: string; headers?: Record<string, unknown> } {
  return {
    persistent: true,
    ...(typeof payload === 'object' && !(payload instanceof Uint8Array) ? { contentType: 'application/json' } : {}),
    ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  };
}
