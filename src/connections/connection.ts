import type { DataSourceType } from './catalog.js';

/** What is happening to a connection now. */
export type ConnectionStatus = 'idle' | 'verifying' | 'syncing';

/** Every {@link ConnectionStatus}, for validating filters. */
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = ['idle', 'verifying', 'syncing'];

/** How the last sync ended (`null`: never synced). */
export type LastSyncStatus = 'completed' | 'failed';

/** Connection-type-specific options from the last verification, normalised to lists (`{ spaces: ['ENG', 'PROD'] }`). */
export type ConnectionOptions = Readonly<Record<string, readonly string[]>>;

/**
 * The status fields a connection and every `data_source_update` event carry;
 * what `waitFor` predicates look at.
 */
export interface ConnectionState {
  readonly status: ConnectionStatus | (string & {});
  readonly enabled: boolean;
  readonly lastSyncStatus: LastSyncStatus | (string & {}) | null;
  /** ISO 8601. */
  readonly lastSyncAt: string | null;
  readonly lastSyncError: string | null;
  /** ISO 8601. */
  readonly lastVerificationAt: string | null;
  readonly lastVerificationError: string | null;
  readonly latestOptions: ConnectionOptions | null;
}

/** A data-source connection as the API returns it (no credentials, ever). */
export interface DataSourceConnection extends ConnectionState {
  readonly id: string;
  readonly organizationId: string;
  /** A catalog type; unknown types from a newer server are kept as strings. */
  readonly type: DataSourceType | (string & {});
  readonly name: string;
  readonly description: string | null;
  /** Provider settings the user saved (spaces, tables, ...). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Incremented on every write; the optimistic-concurrency token. */
  readonly version: number;
}

/**
 * The newest status-message ordering key applied to each field group of a
 * connection (see `applyStatusMessage`). `null`: no timestamped message yet.
 */
export interface MessageClock {
  /** The `status` field. */
  readonly status: number | null;
  /** `lastSyncStatus`, `lastSyncAt`, `lastSyncError`. */
  readonly sync: number | null;
  /** `lastVerificationAt`, `lastVerificationError`. */
  readonly verification: number | null;
  /** `latestOptions` (written by successful verifications only). */
  readonly options: number | null;
}

/** A connection as the host stores it: the API shape plus audit and bookkeeping columns. */
export interface ConnectionRecord extends DataSourceConnection {
  readonly type: DataSourceType;
  readonly status: ConnectionStatus;
  readonly lastSyncStatus: LastSyncStatus | null;
  readonly createdBy: string;
  readonly updatedBy: string;
  /** Soft delete: set rows are hidden from every read. */
  readonly deletedAt: string | null;
  readonly messageClock: MessageClock;
}

/** What caused a `data_source_update`. */
export type UpdateTrigger =
  | 'sync_started'
  | 'sync_completed'
  | 'sync_failed'
  | 'verification_success'
  | 'verification_failed'
  | 'verify_requested'
  | 'verify_request_failed'
  | 'sync_requested'
  | 'sync_request_failed'
  | 'updated'
  | 'deleted';

/** The `data_source_update` event published to an organization's live stream. */
export interface DataSourceUpdate extends ConnectionState {
  readonly connectionId: string;
  readonly organizationId: string;
  readonly type: DataSourceType | (string & {});
  readonly trigger: UpdateTrigger | (string & {});
  /** Documents the finished sync processed, when the sync message said. */
  readonly documentsProcessed?: number;
  readonly version: number;
  /** ISO 8601: when the host published the update. */
  readonly timestamp: string;
}

/** Who is calling the host API: resolved by the host's `authenticate`. */
export interface Actor {
  readonly userId: string;
  readonly userEmail: string;
  readonly organizationId: string;
  readonly role: 'member' | 'admin' | 'owner' | (string & {});
}

/** Builds the update event for a record after a change. */
export function updateFor(record: ConnectionRecord, trigger: UpdateTrigger, timestamp: string, documentsProcessed?: number): DataSourceUpdate {
  const update: DataSourceUpdate = {
    connectionId: record.id,
    organizationId: record.organizationId,
    type: record.type,
    trigger,
    status: record.status,
    enabled: record.enabled,
    lastSyncStatus: record.lastSyncStatus,
    lastSyncAt: record.lastSyncAt,
    lastSyncError: record.lastSyncError,
    lastVerificationAt: record.lastVerificationAt,
    lastVerificationError: record.lastVerificationError,
    latestOptions: record.latestOptions,
    version: record.version,
    timestamp,
  };
  return documentsProcessed === undefined ? update : { ...update, documentsProcessed };
}

/** What {@link newConnectionRecord} needs; every other field starts empty. */
export interface NewConnectionInit {
  readonly id: string;
  readonly organizationId: string;
  readonly type: DataSourceType;
  readonly name: string;
  readonly description?: string | null;
  readonly config?: Readonly<Record<string, unknown>>;
  /** @default false */
  readonly enabled?: boolean;
  /** The user who creates it (also its first updater). */
  readonly createdBy: string;
  /** Creation time, ISO 8601. */
  readonly at: string;
}

/** A fresh connection as a store inserts it: idle, never verified or synced, with an empty message clock. */
export function newConnectionRecord(init: NewConnectionInit): Omit<ConnectionRecord, 'version'> {
  return {
    id: init.id,
    organizationId: init.organizationId,
    type: init.type,
    name: init.name,
    description: init.description ?? null,
    config: init.config ?? {},
    status: 'idle',
    enabled: init.enabled ?? false,
    lastSyncStatus: null,
    lastSyncAt: null,
    lastSyncError: null,
    lastVerificationAt: null,
    lastVerificationError: null,
    latestOptions: null,
    createdBy: init.createdBy,
    updatedBy: init.createdBy,
    createdAt: init.at,
    updatedAt: init.at,
    deletedAt: null,
    messageClock: { status: null, sync: null, verification: null, options: null },
  };
}
