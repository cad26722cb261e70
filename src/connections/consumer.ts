import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { DataSourceError } from './errors.js';
import type { ConnectionStore, MessageSource, SourceMessage } from './ports.js';
import { applyStatusMessage, type IgnoreReason } from './reducer.js';
import { parseStatusMessage } from './status-message.js';
import type { UpdateHub } from './update-hub.js';

/** Options of a {@link StatusConsumer}. */
export interface StatusConsumerOptions {
  readonly source: MessageSource;
  readonly store: ConnectionStore;
  /** Where applied updates are published (the service's hub, so SSE clients see them). */
  readonly updates: UpdateHub;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Re-reads after a version conflict before giving the message back for redelivery. @default 5 */
  readonly maxConflictRetries?: number;
}

/** What the consumer did with one message. */
export type ConsumeOutcome =
  | { readonly outcome: 'processed'; readonly connectionId: string }
  | { readonly outcome: 'ignored'; readonly reason: IgnoreReason; readonly detail: string }
  | { readonly outcome: 'rejected'; readonly reason: string; readonly detail: string };

/** Counters of a {@link StatusConsumer}. */
export interface ConsumerStats {
  /** Applied, stored and published. */
  readonly processed: number;
  /** Acknowledged without a change (duplicate, stale, deleted connection). */
  readonly ignored: number;
  /** Refused for good (to the dead-letter route). */
  readonly rejected: number;
}

/**
 * Consumes broker status messages: parse -> reduce -> store (optimistic
 * concurrency, re-read on conflict) -> publish `data_source_update`. A
 * message is acknowledged only after the store has the change; a poison
 * message (unparseable, unknown connection, wrong tenant) is rejected with its
 * reason. A store failure leaves the message unsettled so the source
 * redelivers it; replays are harmless because the reducer is idempotent.
 */
export class StatusConsumer {
  private readonly source: MessageSource;
  private readonly store: ConnectionStore;
  private readonly updates: UpdateHub;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxConflictRetries: number;
  private counts = { processed: 0, ignored: 0, rejected: 0 };
  /** The last clock reading and its ISO form: messages arriving in the same ms share one formatting. */
  private lastNow = { ms: Number.NaN, iso: '' };

  constructor(options: StatusConsumerOptions) {
    this.source = options.source;
    this.store = options.store;
    this.updates = options.updates;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.maxConflictRetries = options.maxConflictRetries ?? 5;
  }

  /** The counters so far. */
  get stats(): ConsumerStats {
    return { ...this.counts };
  }

  /** Starts consuming from the source. */
  async start(): Promise<void> {
    await this.source.start(async (message) => {
      await this.handle(message);
    });
  }

  /** Stops the source. */
  async stop(): Promise<void> {
    await this.source.stop();
  }

  /**
   * Handles one delivery and settles it (ack or reject). Throws only when the
   * store failed, leaving the message unsettled for redelivery.
   */
  async handle(delivery: SourceMessage): Promise<ConsumeOutcome> {
    const outcome = await this.process(delivery);
    if (outcome.outcome === 'rejected') {
      this.counts.rejected++;
      this.logger.warn('itsmkit status message rejected', { id: delivery.id, reason: outcome.reason, detail: outcome.detail });
      await this.source.reject(delivery, { reason: outcome.reason, detail: outcome.detail });
    } else {
      if (outcome.outcome === 'processed') this.counts.processed++;
      else this.counts.ignored++;
      await this.source.ack(delivery);
    }
    return outcome;
  }

  private now(): { now: number; nowIso: string } {
    const ms = this.clock.now();
    if (ms !== this.lastNow.ms) this.lastNow = { ms, iso: new Date(ms).toISOString() };
    return { now: ms, nowIso: this.lastNow.iso };
  }

  private async process(delivery: SourceMessage): Promise<ConsumeOutcome> {
    const parsed = parseStatusMessage(delivery.body, { queue: delivery.queue });
    if (!parsed.ok) return { outcome: 'rejected', reason: parsed.error.reason, detail: parsed.error.message };
    const message = parsed.message;
    for (let attempt = 0; ; attempt++) {
      // The store is organization-scoped: a message naming another tenant's connection finds nothing.
      const connection = await this.store.get(message.organizationId, message.connectionId);
      if (!connection) {
        return { outcome: 'rejected', reason: 'unknown_connection', detail: `no connection ${message.connectionId} in tenant ${message.organizationId}` };
      }
      const result = applyStatusMessage(connection, message, this.now());
      if (result.outcome !== 'applied') return result;
      const stored = await this.store.update(result.connection, connection.version);
      if (stored.ok) {
        this.updates.publish(result.event);
        return { outcome: 'processed', connectionId: connection.id };
      }
      if (stored.reason === 'not_found') {
        return { outcome: 'rejected', reason: 'unknown_connection', detail: `connection ${message.connectionId} disappeared` };
      }
      if (attempt >= this.maxConflictRetries) {
        throw new DataSourceError(`Connection ${message.connectionId} kept changing; message left for redelivery`, { code: 'conflict', title: 'Conflict' });
      }
    }
  }
}
