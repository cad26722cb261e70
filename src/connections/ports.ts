/**
 * The ports the host toolkit runs on. Adapters implement them (memory here;
 * PostgreSQL, AMQP and HTTP elsewhere); nothing in the connections layer
 * depends on a driver.
 */
import type { DataSourceType, ItsmSystemType } from './catalog.js';
import type { ConnectionRecord, ConnectionStatus } from './connection.js';

/** Filters of a connection listing (all optional, all ANDed). */
export interface ConnectionFilter {
  readonly status?: ConnectionStatus | undefined;
  readonly type?: DataSourceType | undefined;
  readonly enabled?: boolean | undefined;
}

/** A connection to insert; the store assigns `version: 1`. */
export type NewConnection = Omit<ConnectionRecord, 'version'>;

/** The outcome of {@link ConnectionStore.insert}. */
export interface InsertResult {
  /** False when a live row for the same organization and type already existed (nothing was written). */
  readonly created: boolean;
  /** The row that now holds the (organization, type) slot. */
  readonly connection: ConnectionRecord;
}

/** The outcome of {@link ConnectionStore.update}. */
export type StoreUpdateResult =
  | { readonly ok: true; readonly connection: ConnectionRecord }
  /** `conflict`: the row's version moved on (re-read and retry); `not_found`: gone, deleted or in another organization. */
  | { readonly ok: false; readonly reason: 'conflict' | 'not_found' };

/**
 * Where connections live. Every read is scoped to one organization and hides
 * soft-deleted rows; writes use optimistic concurrency on `version`; a write
 * whose `config` or `latestOptions` holds a credential-like key is refused
 * (`assertNoCredentials`), so credentials never reach storage.
 */
export interface ConnectionStore {
  /** One live connection of an organization. */
  get(organizationId: string, id: string): Promise<ConnectionRecord | undefined>;
  /** An organization's live connections, oldest first. */
  list(organizationId: string, filter?: ConnectionFilter): Promise<ConnectionRecord[]>;
  /** Inserts unless a live row holds the same (organization, type): then returns that row (`ON CONFLICT DO NOTHING`). */
  insert(connection: NewConnection): Promise<InsertResult>;
  /**
   * Replaces a live row if its version is still `expectedVersion`; the stored
   * row gets `version: expectedVersion + 1`. Setting `deletedAt` soft-deletes it.
   */
  update(next: ConnectionRecord, expectedVersion: number): Promise<StoreUpdateResult>;
}

/** A webhook call to the external sync service (seed 002's payloads, `tenant_id` already mapped). */
export interface WebhookPayload {
  readonly source: string;
  readonly action: string;
  readonly user_email: string;
  readonly user_id: string;
  readonly tenant_id: string;
  readonly timestamp: string;
  readonly [field: string]: unknown;
}

/** Sends webhooks to the external sync service. Throws when the call failed. */
export interface WebhookTransport {
  send(payload: WebhookPayload, options?: { readonly signal?: AbortSignal }): Promise<void>;
}

/** One audited change (never a credential). */
export interface AuditEntry {
  readonly organizationId: string;
  /** The acting user, or `system` for broker-driven changes. */
  readonly actorId: string;
  /** `data_source.seeded`, `data_source.verify_requested`, `data_source.updated`, ... */
  readonly action: string;
  readonly connectionId?: string;
  /** ISO 8601. */
  readonly at: string;
  /** Non-secret details (changed field names, statuses). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where the host's audit trail goes (`audit_logs` in seed 002). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

/** A credential delegation as the host stores it (only a hash of its token). */
export interface DelegationRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly itsmSystemType: ItsmSystemType;
  readonly delegateEmail: string;
  readonly connectionId: string | null;
  readonly tokenHash: string;
  readonly status: 'pending' | 'used' | 'revoked';
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** Where credential delegations live; organization-scoped. */
export interface DelegationStore {
  get(organizationId: string, id: string): Promise<DelegationRecord | undefined>;
  list(organizationId: string, filter?: { readonly itsmSystemType?: ItsmSystemType | undefined }): Promise<DelegationRecord[]>;
  insert(record: DelegationRecord): Promise<void>;
  /** Replaces a row; false when it does not exist in that organization. */
  update(record: DelegationRecord): Promise<boolean>;
}

/** One message a {@link MessageSource} delivers. */
export interface SourceMessage {
  /** The source's id for the delivery (delivery tag, offset, ...). */
  readonly id: string;
  readonly body: Uint8Array | string;
  /** The queue it came from, when the source knows (decides the older message shapes). */
  readonly queue?: string;
  /** True when delivered before and not acknowledged. */
  readonly redelivered?: boolean;
}

/** Why a message was refused for good. */
export interface RejectInfo {
  /** Machine-readable (`invalid_json`, `unknown_connection`, `tenant_mismatch`, ...). */
  readonly reason: string;
  readonly detail: string;
}

/**
 * A broker queue as the StatusConsumer sees it. `start` delivers messages one
 * at a time by default; each is settled with `ack` (done) or `reject` (poison:
 * to the dead-letter route where there is one). A delivery whose handler throws
 * is neither: the source redelivers it later. A source may deliver several at
 * once (the AMQP source's `concurrency`): that is safe for timestamped messages,
 * which the reducer orders itself, but messages without a timestamp then apply
 * in whatever order their handlers finish.
 */
export interface MessageSource {
  start(deliver: (message: SourceMessage) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  ack(message: SourceMessage): Promise<void>;
  reject(message: SourceMessage, info: RejectInfo): Promise<void>;
}
