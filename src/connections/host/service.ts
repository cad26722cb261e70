import { type Clock, ConfigError, isHttpError, isNetworkError, isTimeoutError, systemClock } from '../../core/index.js';
import { DATA_SOURCE_TYPES, DEFAULT_DATA_SOURCES, isItsmType, isValidDataSourceType, SOURCE_METADATA } from '../catalog.js';
import { type Actor, CONNECTION_STATUSES, type ConnectionRecord, type ConnectionStatus, type UpdateTrigger, newConnectionRecord, updateFor } from '../connection.js';
import { DataSourceError } from '../errors.js';
import type { AuditLog, ConnectionStore, NewConnection, WebhookPayload, WebhookTransport } from '../ports.js';
import {
  type ConnectionPatch,
  type ConnectionUpdate,
  parseConnectionPatch,
  parseConnectionUpdate,
  parseSyncInput,
  parseVerifyInput,
  type SyncInput,
  type VerifyInput,
} from '../requests.js';
import { storableIssues } from '../storable.js';
import { silentAuditLog } from './silent-audit-log.js';
import { UpdateHub } from './update-hub.js';

/** Options of a {@link ConnectionService}. */
export interface ConnectionServiceOptions {
  /** Sends verify and sync events to the external sync service (e.g. an `HttpWebhookTransport`). */
  readonly webhook: WebhookTransport;
  /** Where connections live: `MemoryConnectionStore` for tests and the sandbox, `PostgresConnectionStore` in production. */
  readonly store: ConnectionStore;
  /** @default silentAuditLog */
  readonly audit?: AuditLog;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Where `data_source_update` events go (the SSE stream reads it). @default new UpdateHub() */
  readonly updates?: UpdateHub;
  /** The webhook payloads' `source`. @default 'itsmkit' */
  readonly source?: string;
  /** Generates connection ids. @default crypto.randomUUID */
  readonly newId?: () => string;
  /** Re-reads after a version conflict before answering `conflict`. @default 3 */
  readonly maxConflictRetries?: number;
}

/** Filters of {@link ConnectionService.list}, as strings from a query or typed. */
export interface ListInput {
  readonly status?: string | undefined;
  readonly type?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** The outcome of {@link ConnectionService.seed}. */
export interface SeedResult {
  readonly created: number;
  readonly existing: number;
  readonly message: string;
}

/** The outcome of {@link ConnectionService.verify}. */
export interface VerifyStarted {
  readonly id: string;
  readonly status: 'verifying';
  readonly message: string;
}

/** The outcome of {@link ConnectionService.sync} and {@link ConnectionService.syncTickets}. */
export interface SyncStarted {
  readonly id: string;
  readonly status: 'syncing';
  /** ISO 8601. */
  readonly triggeredAt: string;
}

/** Webhook `action` values. */
export const WEBHOOK_ACTIONS = {
  verify: 'verify_credentials',
  sync: 'data_source_sync_requested',
  /** The ticket-sync counterpart of `sync` (ITSM connections only). */
  syncTickets: 'data_source_ticket_sync_requested',
} as const;

const ADMIN_ROLES = new Set(['admin', 'owner']);
const NOT_ALLOWED = 'Only organization admins and owners can disable or delete data sources';

/**
 * The host toolkit: the data-sources API's rules over injected ports. Every
 * read and write is scoped to the actor's organization; credentials pass
 * through `verify` to the webhook and are never stored, logged, audited or
 * published. Every record is checked with `storableIssues` before it is
 * written, so a store never has to refuse one.
 */
export class ConnectionService {
  readonly store: ConnectionStore;
  readonly updates: UpdateHub;
  private readonly webhook: WebhookTransport;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly source: string;
  private readonly newId: () => string;
  private readonly maxConflictRetries: number;

  constructor(options: ConnectionServiceOptions) {
    if (options.store === undefined) throw missingStore('ConnectionService');
    this.webhook = options.webhook;
    this.store = options.store;
    this.audit = options.audit ?? silentAuditLog;
    this.clock = options.clock ?? systemClock;
    this.updates = options.updates ?? new UpdateHub();
    this.source = options.source ?? 'itsmkit';
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.maxConflictRetries = options.maxConflictRetries ?? 3;
  }

  /** Creates the default connections the organization lacks (idempotent; one per organization and type). */
  async seed(actor: Actor): Promise<SeedResult> {
    const now = this.clock.now();
    let created = 0;
    for (const [i, seed] of DEFAULT_DATA_SOURCES.entries()) {
      // A millisecond apart in catalog order, so every store lists them in that order (oldest first).
      const at = new Date(now + i).toISOString();
      const fresh = newConnectionRecord({ id: this.newId(), organizationId: actor.organizationId, type: seed.type, name: seed.name, description: seed.description, createdBy: actor.userId, at });
      assertStorable(fresh);
      const result = await this.store.insert(fresh);
      if (result.created) created++;
    }
    const existing = DEFAULT_DATA_SOURCES.length - created;
    if (created) await this.record(actor, 'data_source.seeded', undefined, { created });
    return { created, existing, message: `Created ${created} new data sources, ${existing} already existed` };
  }

  /** The organization's live connections, filtered. Unknown types and statuses are refused with the allowed values. */
  async list(actor: Actor, filter: ListInput = {}): Promise<ConnectionRecord[]> {
    if (filter.type !== undefined && !isValidDataSourceType(filter.type)) throw invalidType(filter.type);
    if (filter.status !== undefined && !(CONNECTION_STATUSES as readonly string[]).includes(filter.status)) {
      throw new DataSourceError(`Status '${filter.status}' is not supported`, { code: 'invalid_request', title: 'Invalid status', extra: { allowed_statuses: CONNECTION_STATUSES } });
    }
    return this.store.list(actor.organizationId, {
      type: filter.type,
      status: filter.status as ConnectionStatus | undefined,
      enabled: filter.enabled,
    });
  }

  /** One live connection of the organization; `not_found` otherwise (other organizations' rows included). */
  async get(actor: Actor, id: string): Promise<ConnectionRecord> {
    const found = await this.store.get(actor.organizationId, id);
    if (!found) throw notFound();
    return found;
  }

  /**
   * Starts a verification: `status: verifying`, then the `verify_credentials`
   * webhook with the credentials. The result arrives later as a status
   * message. If the webhook fails the connection goes back to `idle` with
   * `lastVerificationError` set, and a `webhook_failed` error is thrown.
   */
  async verify(actor: Actor, id: string, input: VerifyInput): Promise<VerifyStarted> {
    const body = parseVerifyInput(input);
    const { after } = await this.mutate(actor, id, 'verify_requested', (c) => ({ ...c, status: 'verifying' }));
    await this.record(actor, 'data_source.verify_requested', id, { type: after.type });
    try {
      await this.webhook.send(
        this.payload(actor, WEBHOOK_ACTIONS.verify, {
          connection_id: after.id,
          connection_type: after.type,
          settings: body.config ?? {},
          credentials: body.credentials,
        }),
      );
    } catch (error) {
      const reason = describeFailure(error);
      await this.mutate(actor, id, 'verify_request_failed', (c) => ({ ...c, status: 'idle', lastVerificationError: `Verification request failed (${reason})` }));
      await this.record(actor, 'data_source.verify_request_failed', id, { reason });
      throw new DataSourceError(`Verification request failed (${reason})`, { code: 'webhook_failed', title: 'Verification request failed' });
    }
    return { id: after.id, status: 'verifying', message: 'Verification in progress' };
  }

  /** Saves a full configuration (PUT). Disabling needs an admin or owner. */
  async update(actor: Actor, id: string, input: ConnectionUpdate): Promise<ConnectionRecord> {
    return this.configure(actor, id, parseConnectionUpdate(input));
  }

  /** Saves some fields (PATCH). Disabling needs an admin or owner. */
  async patch(actor: Actor, id: string, input: ConnectionPatch): Promise<ConnectionRecord> {
    return this.configure(actor, id, parseConnectionPatch(input));
  }

  /** Soft-deletes a connection (admins and owners only); `seed` can create the type again afterwards. */
  async remove(actor: Actor, id: string): Promise<{ id: string; deletedAt: string }> {
    if (!ADMIN_ROLES.has(actor.role)) {
      await this.get(actor, id);
      throw new DataSourceError(NOT_ALLOWED, { code: 'forbidden', title: 'Forbidden' });
    }
    const at = this.iso();
    const { after } = await this.mutate(actor, id, 'deleted', (c) => ({ ...c, deletedAt: at }));
    await this.record(actor, 'data_source.deleted', id, {});
    return { id: after.id, deletedAt: at };
  }

  /**
   * Triggers a sync: the connection must be enabled, not already syncing
   * (unless `force`), and configured (verified, where the type needs
   * credentials). Sets `syncing` and sends `data_source_sync_requested`
   * (connection id, type and name, and config; no credentials). If the webhook fails: back to `idle` with
   * `lastSyncStatus: failed` and the error.
   */
  async sync(actor: Actor, id: string, input: SyncInput = {}): Promise<SyncStarted> {
    return this.startSync(actor, id, parseSyncInput(input), WEBHOOK_ACTIONS.sync);
  }

  /** Triggers a ticket sync: only for ITSM connections (`servicenow_itsm`, `jira`), otherwise `invalid_type`. */
  async syncTickets(actor: Actor, id: string, input: SyncInput = {}): Promise<SyncStarted> {
    const body = parseSyncInput(input);
    const connection = await this.get(actor, id);
    if (!isItsmType(connection.type)) {
      throw new DataSourceError('Ticket sync is only supported for ServiceNow ITSM and Jira connections', { code: 'invalid_type', title: 'Invalid data source type' });
    }
    return this.startSync(actor, id, body, WEBHOOK_ACTIONS.syncTickets);
  }

  private async startSync(actor: Actor, id: string, input: SyncInput, action: string): Promise<SyncStarted> {
    const at = this.iso();
    const { after } = await this.mutate(actor, id, 'sync_requested', (c) => {
      if (!c.enabled) throw new DataSourceError('Connection is disabled: enable it before syncing', { code: 'disabled', title: 'Connection is disabled' });
      if (c.status === 'syncing' && !input.force) throw new DataSourceError('Sync already in progress: wait for it to finish, or pass force for a stuck sync', { code: 'sync_in_progress', title: 'Sync already in progress' });
      if (!isConfigured(c)) throw new DataSourceError('Connection not configured: verify its credentials first', { code: 'not_configured', title: 'Connection not configured' });
      return { ...c, status: 'syncing', lastSyncAt: at };
    });
    await this.record(actor, `data_source.${action}`, id, { type: after.type, force: Boolean(input.force) });
    try {
      await this.webhook.send(this.payload(actor, action, { connection_id: after.id, connection_type: after.type, connection_name: after.name, config: after.config }));
    } catch (error) {
      const reason = describeFailure(error);
      await this.mutate(actor, id, 'sync_request_failed', (c) => ({
        ...c,
        status: 'idle',
        lastSyncStatus: 'failed',
        lastSyncError: `Failed to trigger sync (${reason})`,
        lastSyncAt: this.iso(),
      }));
      await this.record(actor, 'data_source.sync_request_failed', id, { reason });
      throw new DataSourceError(`Failed to trigger sync (${reason})`, { code: 'webhook_failed', title: 'Failed to trigger sync' });
    }
    return { id: after.id, status: 'syncing', triggeredAt: at };
  }

  private async configure(actor: Actor, id: string, input: ConnectionPatch): Promise<ConnectionRecord> {
    const { after } = await this.mutate(actor, id, 'updated', (c) => {
      if (input.enabled === false && c.enabled && !ADMIN_ROLES.has(actor.role)) throw new DataSourceError(NOT_ALLOWED, { code: 'forbidden', title: 'Forbidden' });
      return {
        ...c,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.config === undefined ? {} : { config: input.config }),
        ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
      };
    });
    await this.record(actor, 'data_source.updated', id, { fields: Object.keys(input), enabled: after.enabled });
    return after;
  }

  /** Read, change, write with the version check; re-reads on a conflict. Publishes the update. */
  private async mutate(actor: Actor, id: string, trigger: UpdateTrigger, change: (current: ConnectionRecord) => ConnectionRecord): Promise<{ after: ConnectionRecord }> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(actor, id);
      const next = change(current);
      const stamped: ConnectionRecord = { ...next, id: current.id, organizationId: current.organizationId, updatedBy: actor.userId, updatedAt: this.iso(), version: current.version + 1 };
      assertStorable(stamped);
      const result = await this.store.update(stamped, current.version);
      if (result.ok) {
        this.updates.publish(updateFor(result.connection, trigger, result.connection.updatedAt));
        return { after: result.connection };
      }
      if (result.reason === 'not_found') throw notFound();
      if (attempt >= this.maxConflictRetries) throw new DataSourceError('The connection changed while it was being updated; try again', { code: 'conflict', title: 'Conflict' });
    }
  }

  private payload(actor: Actor, action: string, rest: Record<string, unknown>): WebhookPayload {
    // Field order as in the external service's payloads; organization_id travels as tenant_id.
    return {
      source: this.source,
      action,
      user_email: actor.userEmail,
      user_id: actor.userId,
      tenant_id: actor.organizationId,
      timestamp: this.iso(),
      ...rest,
    };
  }

  private async record(actor: Actor, action: string, connectionId: string | undefined, details: Record<string, unknown>): Promise<void> {
    await this.audit.record({
      organizationId: actor.organizationId,
      actorId: actor.userId,
      action,
      ...(connectionId === undefined ? {} : { connectionId }),
      at: this.iso(),
      details,
    });
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** Whether a connection can sync: verified without error, unless its type needs no credentials. */
export function isConfigured(connection: Pick<ConnectionRecord, 'type' | 'lastVerificationAt' | 'lastVerificationError'>): boolean {
  const needs = isValidDataSourceType(connection.type) ? SOURCE_METADATA[connection.type].requiresCredentials : true;
  return !needs || (connection.lastVerificationAt !== null && connection.lastVerificationError === null);
}

/** Refuses a record some store could not keep as it is, naming each field (400 `invalid_request`). */
function assertStorable(record: NewConnection): void {
  const issues = storableIssues(record);
  if (issues.length) {
    throw new DataSourceError(`Connection cannot be stored: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { code: 'invalid_request', title: 'Invalid request', issues });
  }
}

/** The store is required: a host service on a memory store by default would forget every connection on restart. */
export function missingStore(service: string): ConfigError {
  return new ConfigError(`${service} needs a store`, [
    { field: 'store', rule: 'required', message: 'pass a store: MemoryConnectionStore for tests and the sandbox, PostgresConnectionStore (itsmkit/postgres) in production' },
  ]);
}

function notFound(): DataSourceError {
  return new DataSourceError('Data source not found', { code: 'not_found', title: 'Not found' });
}

/** The API's 400 for a type outside the catalog, with `allowed_types`. */
function invalidType(type: string): DataSourceError {
  return new DataSourceError(`Type '${type.slice(0, 100)}' is not supported`, { code: 'invalid_type', title: 'Invalid data source type', extra: { allowed_types: DATA_SOURCE_TYPES } });
}

/** A short, secret-free reason a webhook call failed (no URL, no body). */
function describeFailure(error: unknown): string {
  if (isHttpError(error)) return `webhook answered ${error.status}`;
  if (isTimeoutError(error)) return 'webhook timed out';
  if (isNetworkError(error)) return 'webhook unreachable';
  return 'webhook failed';
}
