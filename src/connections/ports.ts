/**
 * The ports the host toolkit runs on. Adapters implement them (memory,
 * PostgreSQL, AMQP, HTTP); nothing in the connections layer depends on a driver.
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
 * soft-deleted rows; writes use optimistic concurrency on `version`; UUIDs
 * come back in lower case whatever case they were given in. A store keeps
 * exactly what it is given: the host side checks each record with
 * `storableIssues` before writing it (no credentials, no text or timestamps
 * some store cannot hold), so stores do not check it again.
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

/** A webhook call to the external sync service (`tenant_id` is the organization). */
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
  /**
   * Makes recording idempotent: an entry whose id was already recorded is not
   * recorded again (the StatusConsumer sets one per status message, so a
   * redelivered message is audited once).
   */
  readonly id?: string;
  readonly organizationId: string;
  /** The acting user, or `system` for broker-driven changes. */
  readonly actorId: string;
  /** `data_source.seeded`, `data_source.verify_requested`, `data_source.updated`, `data_source.sync_completed`, ... */
  readonly action: string;
  readonly connectionId?: string;
  /** ISO 8601. */
  readonly at: string;
  /** Non-secret details (changed field names, statuses). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where the host's audit trail goes. */
export interface AuditLog {
  /** Appends one entry (nothing when an entry with the same `id` exists). */
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
  readonly status: DelegationStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  /** When the delegate's credentials were accepted (the invitation was redeemed). */
  readonly usedAt: string | null;
}

/** Where a delegation stands: `pending` until redeemed (`used`) or `revoked`. */
export type DelegationStatus = 'pending' | 'used' | 'revoked';

/** Where credential delegations live; organization-scoped, UUIDs kept in lower case. */
export interface DelegationStore {
  get(organizationId: string, id: string): Promise<DelegationRecord | undefined>;
  /** An organization's delegations, oldest first. */
  list(organizationId: string, filter?: { readonly itsmSystemType?: ItsmSystemType | undefined }): Promise<DelegationRecord[]>;
  /** The delegation an invitation token belongs to (by its SHA-256), in any organization: the token is the delegate's only credential. */
  findByTokenHash(tokenHash: string): Promise<DelegationRecord | undefined>;
  insert(record: DelegationRecord): Promise<void>;
  /**
   * Writes a row's `status`, `revokedAt` and `usedAt` in one step (the rest
   * never changes); false when it does not exist in that organization or,
   * with `expectedStatus`, no longer has that status (so two redeems of one
   * invitation cannot both win).
   */
  update(record: DelegationRecord, expectedStatus?: DelegationStatus): Promise<boolean>;
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
