import { type Clock, type Logger, silentLogger, systemClock } from '../../core/index.js';
import { DataSourceError } from '../errors.js';
import type { AuditLog, ConnectionStore, MessageSource, SourceMessage } from '../ports.js';
import { applyStatusMessage, DEFAULT_MAX_FUTURE_SKEW_MS, type IgnoreReason, messageKey } from '../reducer.js';
import { parseStatusMessage, type StatusMessage } from '../status-message.js';
import { storableIssues } from '../storable.js';
import { silentAuditLog } from './silent-audit-log.js';
import type { UpdateHub } from './update-hub.js';

/** Options of a {@link StatusConsumer}. */
export interface StatusConsumerOptions {
  readonly source: MessageSource;
  readonly store: ConnectionStore;
  /** Where applied updates are published (the service's hub, so SSE clients see them). */
  readonly updates: UpdateHub;
  /** Where each applied status change is audited (actor `system`). @default silentAuditLog */
  readonly audit?: AuditLog;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * Re-reads after a version conflict before giving the message back for
   * redelivery (a transient failure: never counted toward dead-lettering). @default 5
   */
  readonly maxConflictRetries?: number;
  /** How far ahead of this host's clock a message's timestamp may be before the message is refused (`future_timestamp`), in ms. @default 300000 (5 minutes) */
  readonly maxFutureSkewMs?: number;
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
 * concurrency, re-read on conflict) -> publish `data_source_update` -> audit.
 * A message is acknowledged only after the store (and the audit log) has the
 * change; a poison message (unparseable, unknown connection, wrong tenant,
 * timestamp too far ahead, content no store can keep) is rejected with its
 * reason. A store failure or a connection that kept changing leaves the
 * message unsettled so the source redelivers it; replays are harmless
 * because the reducer is idempotent, and audit entries carry one id per
 * message, so a replay is audited once.
 */
export class StatusConsumer {
  private readonly source: MessageSource;
  private readonly store: ConnectionStore;
  private readonly updates: UpdateHub;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxConflictRetries: number;
  private readonly maxFutureSkewMs: number;
  private counts = { processed: 0, ignored: 0, rejected: 0 };
  /** The last clock reading and its ISO form: messages arriving in the same ms share one formatting. */
  private lastNow = { ms: Number.NaN, iso: '' };

  constructor(options: StatusConsumerOptions) {
    this.source = options.source;
    this.store = options.store;
    this.updates = options.updates;
    this.audit = options.audit ?? silentAuditLog;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.maxConflictRetries = options.maxConflictRetries ?? 5;
    this.maxFutureSkewMs = options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
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
   * store or audit log failed or the connection kept changing, leaving the
   * message unsettled for redelivery.
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

  private now(): { now: number; nowIso: string; maxFutureSkewMs: number } {
    const ms = this.clock.now();
    if (ms !== this.lastNow.ms) this.lastNow = { ms, iso: new Date(ms).toISOString() };
    return { now: ms, nowIso: this.lastNow.iso, maxFutureSkewMs: this.maxFutureSkewMs };
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
      if (result.outcome !== 'applied') {
        // A replay of an applied message: its audit entry may be what failed last time (same id, so recorded once).
        // Messages without a timestamp have no identity of their own: audited when applied, never on a replay.
        if (result.outcome === 'ignored' && result.reason === 'duplicate' && messageKey(message) !== null) await this.record(message, connection.id);
        return result;
      }
      // Only a verification's options pass through as sent (their keys may look like credentials): the parser
      // already made every text storable and refused every timestamp a store cannot keep.
      const issues = message.kind === 'verification' && message.options !== null ? storableIssues(result.connection) : [];
      if (issues.length) {
        return { outcome: 'rejected', reason: 'not_storable', detail: `the message would store ${issues.map((i) => `${i.field} that ${i.message}`).join('; ')}` };
      }
      const stored = await this.store.update(result.connection, connection.version);
      if (stored.ok) {
        this.updates.publish(result.event);
        await this.record(message, connection.id);
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

  /** Audits one applied status change; its id is the message's, so recording it again does nothing. */
  private async record(message: StatusMessage, connectionId: string): Promise<void> {
    if (this.audit === silentAuditLog) return;
    const key = messageKey(message);
    await this.audit.record({
      ...(key === null ? {} : { id: `status:${connectionId}:${key}` }),
      organizationId: message.organizationId,
      actorId: 'system',
      action: `data_source.${message.kind === 'sync' ? message.status : `verification_${message.status}`}`,
      connectionId,
      at: this.now().nowIso,
      details: {
        ...(message.timestamp === null ? {} : { timestamp: message.timestamp }),
        ...(message.kind === 'sync' && message.documentsProcessed !== null ? { documentsProcessed: message.documentsProcessed } : {}),
        ...(message.error === null ? {} : { error: message.error }),
      },
    });
  }
}
