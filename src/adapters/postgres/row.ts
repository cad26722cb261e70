import type { ConnectionOptions, ConnectionRecord, ConnectionStatus, DataSourceType, LastSyncStatus, MessageClock } from '../../connections/index.js';

/** A timestamptz column selected as canonical ISO 8601 text (`toISOString()`'s form for the years 0001-9999). */
export const ts = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

/**
 * The select list of a connection row. Ids, timestamps and JSON come back as
 * text in one canonical form, whatever type parsers the host set on its
 * driver (pg returns `Date` and parsed JSON by default; PGlite too; both can
 * be reconfigured).
 */
export const CONNECTION_COLUMNS = [
  'id::text AS id',
  'organization_id::text AS organization_id',
  'type',
  'name',
  'description',
  'config::text AS config',
  'status',
  'last_sync_status',
  'latest_options::text AS latest_options',
  'enabled',
  ts('last_verification_at'),
  'last_verification_error',
  ts('last_sync_at'),
  'last_sync_error',
  'created_by::text AS created_by',
  'updated_by::text AS updated_by',
  ts('created_at'),
  ts('updated_at'),
  ts('deleted_at'),
  'version',
  'message_clock::text AS message_clock',
].join(', ');

/** A row as {@link CONNECTION_COLUMNS} selects it. */
export interface ConnectionRow {
  readonly id: string;
  readonly organization_id: string;
  readonly type: string;
  readonly name: string;
  readonly description: string | null;
  readonly config: string | null;
  readonly status: string;
  readonly last_sync_status: string | null;
  readonly latest_options: string | null;
  readonly enabled: boolean | null;
  readonly last_verification_at: string | null;
  readonly last_verification_error: string | null;
  readonly last_sync_at: string | null;
  readonly last_sync_error: string | null;
  readonly created_by: string;
  readonly updated_by: string;
  readonly created_at: string | null;
  readonly updated_at: string | null;
  readonly deleted_at: string | null;
  readonly version: number | string;
  readonly message_clock: string | null;
}

const EMPTY_CLOCK: MessageClock = { status: null, sync: null, verification: null, options: null };

/** A stored row as a {@link ConnectionRecord}. */
export function fromRow(row: ConnectionRow): ConnectionRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    type: row.type as DataSourceType,
    name: row.name,
    description: row.description,
    config: row.config === null ? {} : (JSON.parse(row.config) as Record<string, unknown>),
    status: row.status as ConnectionStatus,
    lastSyncStatus: row.last_sync_status as LastSyncStatus | null,
    latestOptions: row.latest_options === null ? null : (JSON.parse(row.latest_options) as ConnectionOptions | null),
    enabled: row.enabled === true,
    lastVerificationAt: row.last_verification_at,
    lastVerificationError: row.last_verification_error,
    lastSyncAt: row.last_sync_at,
    lastSyncError: row.last_sync_error,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    // Both have defaults in the table, so a row written outside the SDK still has them.
    createdAt: row.created_at ?? '',
    updatedAt: row.updated_at ?? '',
    deletedAt: row.deleted_at,
    version: Number(row.version),
    messageClock: row.message_clock === null ? EMPTY_CLOCK : { ...EMPTY_CLOCK, ...(JSON.parse(row.message_clock) as Partial<MessageClock>) },
  };
}

/**
 * The written columns (everything but `id`, `organization_id` and `version`),
 * each with its SQL type and its value (JSON columns as objects).
 */
export const WRITTEN_COLUMNS: readonly (readonly [column: string, type: string, value: (c: ConnectionRecord) => unknown])[] = [
  ['type', 'text', (c) => c.type],
  ['name', 'text', (c) => c.name],
  ['description', 'text', (c) => c.description],
  ['config', 'jsonb', (c) => c.config],
  ['status', 'text', (c) => c.status],
  ['last_sync_status', 'text', (c) => c.lastSyncStatus],
  ['latest_options', 'jsonb', (c) => c.latestOptions],
  ['enabled', 'boolean', (c) => c.enabled],
  ['last_verification_at', 'timestamptz', (c) => c.lastVerificationAt],
  ['last_verification_error', 'text', (c) => c.lastVerificationError],
  ['last_sync_at', 'timestamptz', (c) => c.lastSyncAt],
  ['last_sync_error', 'text', (c) => c.lastSyncError],
  ['created_by', 'uuid', (c) => c.createdBy],
  ['updated_by', 'uuid', (c) => c.updatedBy],
  ['created_at', 'timestamptz', (c) => c.createdAt],
  ['updated_at', 'timestamptz', (c) => c.updatedAt],
  ['deleted_at', 'timestamptz', (c) => c.deletedAt],
  ['message_clock', 'jsonb', (c) => c.messageClock],
];
