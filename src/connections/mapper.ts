/**
 * The one mapper between the data-sources API's wire names (snake_case, and
 * `connectionId`/`documentsProcessed` in live updates) and the
 * camelCase types. Reading is lenient: unknown keys are dropped, missing ones
 * become `null`, unknown enum values are kept as strings.
 */
import { type FieldIssue, type PlatformErrorDetail, StatusMessageError } from '../core/index.js';
import type { ConnectionOptions, ConnectionRecord, DataSourceConnection, DataSourceUpdate } from './connection.js';
import type { DelegationRecord } from './ports.js';
import { normaliseOptions } from './status-message.js';

/** A credential delegation as the API returns it (the token only once, at creation). */
export interface CredentialDelegation {
  readonly id: string;
  readonly itsmSystemType: string;
  readonly delegateEmail: string;
  readonly connectionId: string | null;
  readonly status: 'pending' | 'used' | 'revoked' | (string & {});
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  /** When the invitation was redeemed. */
  readonly usedAt: string | null;
}

type Wire = Record<string, unknown>;

/** A connection record in the API's wire shape (no bookkeeping columns, no credentials). */
export function toWireConnection(c: DataSourceConnection | ConnectionRecord): Wire {
  return {
    id: c.id,
    organization_id: c.organizationId,
    type: c.type,
    name: c.name,
    description: c.description,
    status: c.status,
    enabled: c.enabled,
    config: c.config,
    last_sync_status: c.lastSyncStatus,
    last_sync_at: c.lastSyncAt,
    last_sync_error: c.lastSyncError,
    latest_options: c.latestOptions,
    last_verification_at: c.lastVerificationAt,
    last_verification_error: c.lastVerificationError,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

/** Reads a wire connection. */
export function fromWireConnection(value: unknown): DataSourceConnection {
  const w = obj(value);
  return {
    id: str(w['id']) ?? '',
    organizationId: str(w['organization_id']) ?? '',
    type: str(w['type']) ?? '',
    name: str(w['name']) ?? '',
    description: str(w['description']),
    status: str(w['status']) ?? 'idle',
    enabled: w['enabled'] === true,
    config: obj(w['config']),
    lastSyncStatus: str(w['last_sync_status']),
    lastSyncAt: str(w['last_sync_at']),
    lastSyncError: str(w['last_sync_error']),
    latestOptions: options(w['latest_options']),
    lastVerificationAt: str(w['last_verification_at']),
    lastVerificationError: str(w['last_verification_error']),
    createdAt: str(w['created_at']) ?? '',
    updatedAt: str(w['updated_at']) ?? '',
    version: typeof w['version'] === 'number' ? w['version'] : 0,
  };
}

/** A live update's fields, as the `data` of a `{ type: 'data_source_update', data }` event. */
export function toWireUpdate(u: DataSourceUpdate): Wire {
  return {
    connectionId: u.connectionId,
    organization_id: u.organizationId,
    type: u.type,
    trigger: u.trigger,
    status: u.status,
    enabled: u.enabled,
    last_sync_status: u.lastSyncStatus,
    last_sync_at: u.lastSyncAt,
    last_sync_error: u.lastSyncError,
    ...(u.documentsProcessed === undefined ? {} : { documentsProcessed: u.documentsProcessed }),
    last_verification_at: u.lastVerificationAt,
    last_verification_error: u.lastVerificationError,
    latest_options: u.latestOptions,
    version: u.version,
    timestamp: u.timestamp,
  };
}

/**
 * Reads a live update: the `{ type: 'data_source_update', data }` envelope,
 * the same fields beside `type` instead of in `data` (then the connection's
 * type is `connection_type`), or the bare fields (`error` read as
 * `last_sync_error`, as the older per-sync event sends it). `undefined` when
 * it names no connection.
 */
export function fromWireUpdate(value: unknown): DataSourceUpdate | undefined {
  let w = obj(value);
  let type = str(w['type']);
  if (type === 'data_source_update') {
    if (typeof w['data'] === 'object' && w['data'] !== null) {
      w = obj(w['data']);
      type = str(w['type']);
    } else type = str(w['connection_type']);
  }
  const connectionId = str(w['connectionId']) ?? str(w['connection_id']);
  if (!connectionId) return undefined;
  const docs = w['documentsProcessed'] ?? w['documents_processed'];
  return {
    connectionId,
    organizationId: str(w['organization_id']) ?? '',
    type: type ?? str(w['connection_type']) ?? '',
    trigger: str(w['trigger']) ?? '',
    status: str(w['status']) ?? '',
    enabled: w['enabled'] === true,
    lastSyncStatus: str(w['last_sync_status']),
    lastSyncAt: str(w['last_sync_at']),
    lastSyncError: str(w['last_sync_error']) ?? str(w['error']),
    ...(typeof docs === 'number' ? { documentsProcessed: docs } : {}),
    lastVerificationAt: str(w['last_verification_at']),
    lastVerificationError: str(w['last_verification_error']),
    latestOptions: options(w['latest_options']),
    version: typeof w['version'] === 'number' ? w['version'] : 0,
    timestamp: str(w['timestamp']) ?? '',
  };
}

/** A delegation in the wire shape; `token` only in the creation answer. */
export function toWireDelegation(d: DelegationRecord, token?: string): Wire {
  return {
    id: d.id,
    itsm_system_type: d.itsmSystemType,
    delegate_email: d.delegateEmail,
    connection_id: d.connectionId,
    status: d.status,
    created_at: d.createdAt,
    expires_at: d.expiresAt,
    revoked_at: d.revokedAt,
    used_at: d.usedAt,
    ...(token === undefined ? {} : { token }),
  };
}

/** Reads a wire delegation (the token, if any, is read separately and never kept). */
export function fromWireDelegation(value: unknown): CredentialDelegation {
  const w = obj(value);
  return {
    id: str(w['id']) ?? '',
    itsmSystemType: str(w['itsm_system_type']) ?? '',
    delegateEmail: str(w['delegate_email']) ?? '',
    connectionId: str(w['connection_id']),
    status: str(w['status']) ?? '',
    createdAt: str(w['created_at']) ?? '',
    expiresAt: str(w['expires_at']) ?? '',
    revokedAt: str(w['revoked_at']),
    usedAt: str(w['used_at']),
  };
}

/**
 * The data-sources API's error body (`{ error, message, allowed_types }`) as
 * a `PlatformErrorDetail`: `error` is the headline, `message` the detail, and
 * `allowed_types` (or `allowed_statuses`) an `enum` issue.
 */
export function parseDataSourcesError(body: unknown): PlatformErrorDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const w = body as Wire;
  const error = str(w['error']);
  const message = str(w['message']);
  if (error === null && message === null) return undefined;
  const issues: FieldIssue[] = [];
  for (const [key, field] of [['allowed_types', 'type'], ['allowed_statuses', 'status']] as const) {
    const allowed = w[key];
    if (Array.isArray(allowed)) issues.push({ field, rule: 'enum', message: `must be one of: ${allowed.filter((a) => typeof a === 'string').join(', ')}` });
  }
  return {
    ...(error !== null ? { message: error } : message !== null ? { message } : {}),
    ...(error !== null && message !== null ? { detail: message } : {}),
    ...(issues.length ? { issues } : {}),
  };
}

function obj(value: unknown): Wire {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Wire) : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function options(value: unknown): ConnectionOptions | null {
  const normal = normaliseOptions(value);
  return normal instanceof StatusMessageError ? null : normal;
}
