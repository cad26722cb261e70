import type { MessageSource, RejectInfo, SourceMessage } from '../../connections/index.js';
import { type Clock, type Logger, redactUrl, RetryPolicy, type RetryPolicyOptions, silentLogger, systemClock } from '../../core/index.js';
import { type AmqpConfirmChannel, type AmqpConnect, type AmqpConnection, type AmqpDelivery, amqplibConnect } from './amqp-types.js';
import { publishConfirmed } from './confirm.js';
import { isBrokerError, toBrokerError } from './errors.js';
import { assertStatusTopology, deadLetterRoute, type StatusQueueType, type StatusTopology, statusTopology, type StatusTopologyMode } from './topology.js';

/** Header names the adapter writes. */
export const AMQP_HEADERS = {
  /** Why a message was dead-lettered (`invalid_json`, `unknown_connection`, `handler_failed`, ...). */
  reason: 'x-itsmkit-reason',
  /** A sentence about it (no secrets: the parser and consumer never quote values). */
  detail: 'x-itsmkit-detail',
  /** The queue the message was taken from. */
  queue: 'x-itsmkit-queue',
  /** How many times a handler failed on it (non-transient failures only). */
  attempts: 'x-itsmkit-attempts',
} as const;

/** Options of an {@link AmqpMessageSource}. */
export interface AmqpMessageSourceOptions {
  /** `amqp://user:password@host:5672/vhost`; the password never appears in errors or logs. */
  readonly url: string;
  /** @default 'data_source_status' */
  readonly queue?: string;
  /**
   * Who declares the queue. `managed`: itsmkit does (durable, with its
   * dead-letter exchange and queue); pick it when the queue is itsmkit's.
   * `passive`: another service declared it, with any arguments (the usual
   * `{ durable: true }` included); the source only checks it exists and
   * dead-letters by publishing to its own `deadLetterQueue`. A queue that
   * exists with other arguments fails `managed` with a `topology` error
   * that says to use `passive`.
   * @default 'managed'
   */
  readonly topology?: StatusTopologyMode;
  /**
   * The queue type `managed` declares (and the dead-letter queue's in both
   * modes): `quorum` is RabbitMQ's replicated durable queue, recommended on
   * a cluster. An existing queue cannot change type: pick it before the
   * first start.
   * @default 'classic'
   */
  readonly queueType?: StatusQueueType;
  /** The exchange refused messages go through in `managed` mode. @default `${queue}.dlx` */
  readonly deadLetterExchange?: string;
  /** @default `${queue}.dead` */
  readonly deadLetterQueue?: string;
  /** Unacknowledged deliveries the broker sends ahead (`basic.qos`). @default 64 */
  readonly prefetch?: number;
  /**
   * Deliveries handled at once. 1 keeps arrival order; timestamped status
   * messages converge in any order, so more is safe for them. Never above `prefetch`.
   * @default 1
   */
  readonly concurrency?: number;
  /** Handler failures (not transient) before a message is dead-lettered with reason `handler_failed`. @default 5 */
  readonly maxAttempts?: number;
  /**
   * Whether a handler failure is transient (store or broker down): such a
   * message is requeued after a backoff and never counted toward `maxAttempts`.
   * @default (error) => error.transient === true (StoreError and BrokerError set it)
   */
  readonly isTransient?: (error: unknown) => boolean;
  /**
   * Backoff for reconnects and failed handlers; `retries` bounds the first
   * connect in {@link AmqpMessageSource.start} (later reconnects go on until `stop`).
   * @default { retries: 5, minDelayMs: 100, maxDelayMs: 10000 }
   */
  readonly retry?: RetryPolicyOptions | RetryPolicy;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Randomness for backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Opens a connection. @default amqplib's `connect` */
  readonly connect?: AmqpConnect;
}

/** Counters of an {@link AmqpMessageSource}. */
export interface AmqpSourceStats {
  readonly delivered: number;
  readonly acked: number;
  /** Published to the dead-letter route (then acknowledged). */
  readonly deadLettered: number;
  /** Given back after a handler failure (requeued or republished with its attempt count). */
  readonly retried: number;
  /** Successful reconnects after a drop. */
  readonly reconnects: number;
}

interface Session {
  readonly gen: number;
  readonly connection: AmqpConnection;
  readonly channel: AmqpConfirmChannel;
  consumerTag: string | undefined;
}

interface Pending {
  readonly session: Session;
  readonly raw: AmqpDelivery;
  settled: boolean;
}

const defaultIsTransient = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { transient?: unknown }).transient === true;

/**
 * A {@link MessageSource} on RabbitMQ (amqplib). Declares the durable status
 * queue with a dead-letter exchange and queue (`topology: 'managed'`), or
 * checks that another service's queue exists (`topology: 'passive'`),
 * consumes with a prefetch and manual acknowledgements, and:
 *
 * - acknowledges only when the handler says so (`ack`), after the store has the change;
 * - dead-letters a poison message by publishing a copy to the dead-letter
 *   exchange (`passive`: to the dead-letter queue) with `x-itsmkit-reason` and `x-itsmkit-detail` headers, waiting
 *   for the broker's confirm, and only then acknowledging the original. A
 *   crash in between redelivers the original, so the worst case is a second
 *   copy in the dead-letter queue, never a lost message. (A plain
 *   `nack(requeue=false)` cannot carry the reason, and republishing after it
 *   could lose the message.)
 * - when a handler throws: transient failures are requeued after a backoff;
 *   others are republished with an attempt count and dead-lettered with reason
 *   `handler_failed` after `maxAttempts`;
 * - reconnects with backoff when the connection or channel drops (unacknowledged
 *   deliveries come back from the broker; the reducer makes replays harmless);
 * - `stop` cancels the consumer, returns buffered deliveries, waits for the
 *   handlers in flight, then closes.
 *
 * @example
 * // A queue another service declares as { durable: true }:
 * const source = new AmqpMessageSource({ url: process.env.AMQP_URL!, queue: 'data_source_status', topology: 'passive', concurrency: 16 });
 * const consumer = new StatusConsumer({ source, store, updates });
 * await consumer.start();
 */
export class AmqpMessageSource implements MessageSource {
  private readonly url: string;
  private readonly topology: StatusTopology;
  private readonly prefetch: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly isTransient: (error: unknown) => boolean;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly connect: AmqpConnect;

  private deliver: ((message: SourceMessage) => Promise<void>) | undefined;
  private session: Session | undefined;
  private generation = 0;
  private stopping = false;
  private abort = new AbortController();
  private reconnecting: Promise<void> | undefined;
  private buffer: { session: Session; raw: AmqpDelivery }[] = [];
  private active = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pending = new Map<string, Pending>();
  private transientStreak = 0;
  private counts = { delivered: 0, acked: 0, deadLettered: 0, retried: 0, reconnects: 0 };

  constructor(options: AmqpMessageSourceOptions) {
    this.url = options.url;
    this.topology = statusTopology(options);
    this.prefetch = options.prefetch ?? 64;
    this.concurrency = Math.max(1, Math.min(options.concurrency ?? 1, this.prefetch));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.isTransient = options.isTransient ?? defaultIsTransient;
    this.policy = RetryPolicy.from(options.retry ?? { retries: 5, minDelayMs: 100, maxDelayMs: 10_000 });
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    this.connect = options.connect ?? amqplibConnect;
  }

  /** The queue names in use. */
  get names(): StatusTopology {
    return this.topology;
  }

  /** The counters so far. */
  get stats(): AmqpSourceStats {
    return { ...this.counts };
  }

  /** True while a consumer is attached to the broker. */
  get connected(): boolean {
    return this.session?.consumerTag !== undefined;
  }

  /**
   * Connects, declares (or checks) the queues and starts consuming. Retries
   * per the retry policy while the broker is unreachable or the queue does
   * not exist yet, then throws a `BrokerError` (`unavailable`,
   * `queue_not_found`); a refusal (`refused`, `topology`) is thrown at once.
   */
  async start(deliver: (message: SourceMessage) => Promise<void>): Promise<void> {
    this.deliver = deliver;
    this.stopping = false;
    this.abort = new AbortController();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        return;
      } catch (error) {
        const worthRetrying = isBrokerError(error) && (error.transient || error.code === 'queue_not_found');
        if (attempt > this.policy.retries || this.stopping || !worthRetrying) throw error;
        this.logger.warn('itsmkit amqp connect failed; retrying', { attempt, url: redactUrl(this.url), error: (error as Error).message });
        await this.clock.sleep(this.delay(attempt), this.abort.signal);
      }
    }
  }

  /** Stops taking messages, waits for the handlers in flight, then closes the channel and connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort(new Error('stopped'));
    const session = this.session;
    if (session?.consumerTag !== undefined) await session.channel.cancel(session.consumerTag).catch(() => undefined);
    // Buffered deliveries were never started: give them back so another consumer takes them now.
    for (const entry of this.buffer.splice(0)) {
      if (entry.session === this.session) tryOr(() => entry.session.channel.nack(entry.raw, false, true));
    }
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    await this.reconnecting;
    this.session = undefined;
    if (session) {
      await session.channel.close().catch(() => undefined);
      await session.connection.close().catch(() => undefined);
    }
    this.deliver = undefined;
  }

  async ack(message: SourceMessage): Promise<void> {
    const pending = this.take(message);
    if (!pending) return;
    tryOr(() => {
      pending.session.channel.ack(pending.raw);
      this.counts.acked++;
    });
  }

  async reject(message: SourceMessage, info: RejectInfo): Promise<void> {
    const pending = this.take(message);
    if (pending) await this.deadLetter(pending, info);
  }

  /** The unsettled delivery behind a message, if its channel is still the live one (else the broker redelivers it). */
  private take(message: SourceMessage): Pending | undefined {
    const pending = this.pending.get(message.id);
    if (!pending || pending.settled || pending.session !== this.session) return undefined;
    pending.settled = true;
    return pending;
  }

  private async deadLetter(pending: Pending, info: RejectInfo): Promise<void> {
    const { raw, session } = pending;
    const headers = {
      ...raw.properties.headers,
      [AMQP_HEADERS.reason]: info.reason,
      [AMQP_HEADERS.detail]: info.detail.slice(0, 1000),
      [AMQP_HEADERS.queue]: this.topology.queue,
    };
    try {
      const route = deadLetterRoute(this.topology);
      await publishConfirmed(session.channel, route.exchange, route.routingKey, raw.content, { ...publishProps(raw), headers });
      session.channel.ack(raw);
      this.counts.deadLettered++;
    } catch (error) {
      // Not confirmed: leave the original unacknowledged; it comes back when the channel is replaced.
      pending.settled = false;
      throw toBrokerError(error, 'dead-letter publish', this.url, 'unavailable');
    }
  }

  private async open(): Promise<void> {
    let connection: AmqpConnection;
    try {
      connection = await this.connect(this.url);
    } catch (error) {
      throw toBrokerError(error, 'connect', this.url, 'unavailable');
    }
    const gen = ++this.generation;
    connection.on('error', (error) => this.logger.warn('itsmkit amqp connection error', { error: error.message }));
    connection.on('close', () => this.onClosed(gen));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error) => this.logger.warn('itsmkit amqp channel error', { error: error.message }));
      channel.on('close', () => this.onClosed(gen));
      await assertStatusTopology(channel, this.topology, redactUrl(this.url));
      await channel.prefetch(this.prefetch);
      const session: Session = { gen, connection, channel, consumerTag: undefined };
      this.session = session;
      const { consumerTag } = await channel.consume(this.topology.queue, (raw) => this.onMessage(session, raw), { noAck: false });
      session.consumerTag = consumerTag;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw toBrokerError(error, 'consumer setup', this.url);
    }
  }

  private onClosed(gen: number): void {
    const session = this.session;
    if (!session || session.gen !== gen) return;
    this.session = undefined;
    this.buffer = this.buffer.filter((entry) => entry.session !== session);
    // Only the channel may have closed: drop the connection too, a new session gets both.
    void session.connection.close().catch(() => undefined);
    if (!this.stopping) {
      this.logger.warn('itsmkit amqp connection lost; reconnecting', { url: redactUrl(this.url) });
      this.reconnect();
    }
  }

  private reconnect(): void {
    if (this.reconnecting) return;
    this.reconnecting = (async () => {
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          await this.clock.sleep(this.delay(attempt), this.abort.signal);
        } catch {
          return; // stopped
        }
        try {
          await this.open();
          this.counts.reconnects++;
          return;
        } catch (error) {
          this.logger.warn('itsmkit amqp reconnect failed', { attempt, error: (error as Error).message });
        }
      }
    })().finally(() => {
      this.reconnecting = undefined;
    });
  }

  private onMessage(session: Session, raw: AmqpDelivery | null): void {
    // null: the broker cancelled the consumer (queue deleted); start over on a new session.
    if (raw === null) {
      void session.channel.close().catch(() => undefined);
      return;
    }
    this.counts.delivered++;
    this.buffer.push({ session, raw });
    this.pump();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.buffer.length && this.deliver) {
      const entry = this.buffer.shift();
      if (!entry || entry.session !== this.session) continue;
      this.active++;
      const run = this.handle(entry.session, entry.raw).finally(() => {
        this.active--;
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  private async handle(session: Session, raw: AmqpDelivery): Promise<void> {
    const id = `${session.gen}.${raw.fields.deliveryTag}`;
    const pending: Pending = { session, raw, settled: false };
    this.pending.set(id, pending);
    const message: SourceMessage = { id, body: raw.content, queue: this.topology.queue, redelivered: raw.fields.redelivered };
    try {
      await this.deliver?.(message);
      this.transientStreak = 0;
    } catch (error) {
      if (!pending.settled && pending.session === this.session) await this.retryLater(pending, error);
    } finally {
      this.pending.delete(id);
    }
  }

  private async retryLater(pending: Pending, error: unknown): Promise<void> {
    const { raw, session } = pending;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    try {
      if (this.isTransient(error)) {
        this.transientStreak++;
        this.logger.warn('itsmkit amqp handler failed (transient); requeueing', { error: detail });
        await this.clock.sleep(this.delay(this.transientStreak), this.abort.signal);
        if (session !== this.session) return;
        session.channel.nack(raw, false, true);
        this.counts.retried++;
        return;
      }
      const attempts = attemptsOf(raw) + 1;
      if (attempts >= this.maxAttempts) {
        pending.settled = true;
        await this.deadLetter(pending, { reason: 'handler_failed', detail: `failed ${attempts} times; last: ${detail}` });
        return;
      }
      this.logger.warn('itsmkit amqp handler failed; retrying later', { attempts, error: detail });
      await this.clock.sleep(this.delay(attempts), this.abort.signal);
      if (session !== this.session) return;
      // Republished (confirmed) with the count, then acknowledged: the count survives consumers and crashes.
      const headers = { ...raw.properties.headers, [AMQP_HEADERS.attempts]: attempts };
      await publishConfirmed(session.channel, '', this.topology.queue, raw.content, { ...publishProps(raw), headers });
      session.channel.ack(raw);
      pending.settled = true;
      this.counts.retried++;
    } catch (failure) {
      // Stopped, or the channel went away: the broker redelivers the message.
      this.logger.debug('itsmkit amqp retry abandoned', { error: (failure as Error).message });
    }
  }

  private delay(attempt: number): number {
    const ceiling = this.policy.backoffMs(attempt);
    return this.policy.jitter === 'full' ? Math.round(this.random() * ceiling) : ceiling;
  }
}

function attemptsOf(raw: AmqpDelivery): number {
  const value = raw.properties.headers?.[AMQP_HEADERS.attempts];
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function publishProps(raw: AmqpDelivery): { persistent: true; contentType?: string; messageId?: string } {
  const { contentType, messageId } = raw.properties;
  return {
    persistent: true,
    ...(typeof contentType === 'string' ? { contentType } : {}),
    ...(typeof messageId === 'string' ? { messageId } : {}),
  };
}

function tryOr(fn: () => void): void {
  try {
    fn();
  } catch {
    // The channel closed under us; the broker redelivers whatever was not acknowledged.
  }
}
