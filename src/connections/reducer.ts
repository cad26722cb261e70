import { type ConnectionRecord, type DataSourceUpdate, type UpdateTrigger, updateFor } from './connection.js';
import { canonicalId } from './ids.js';
import type { StatusMessage } from './status-message.js';

/** Why a message changed nothing. */
export type IgnoreReason = 'duplicate' | 'stale' | 'deleted';

/** Why a message was refused. */
export type RejectReason = 'tenant_mismatch' | 'connection_mismatch' | 'future_timestamp';

/** How far ahead of the consumer's clock a message's timestamp may be, by default: 5 minutes. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 300_000;

/** The outcome of {@link applyStatusMessage}. */
export type ApplyResult =
  | { readonly outcome: 'applied'; readonly connection: ConnectionRecord; readonly event: DataSourceUpdate }
  | { readonly outcome: 'ignored'; readonly reason: IgnoreReason; readonly detail: string }
  | { readonly outcome: 'rejected'; readonly reason: RejectReason; readonly detail: string };

/** Options of {@link applyStatusMessage}. */
export interface ApplyOptions {
  /** The current time in epoch ms: stamps `updatedAt`, and `*_at` fields of messages without a timestamp. */
  readonly now: number;
  /** `now` as ISO 8601, when the caller already has it (formatting dates is the costliest step per message). @default new Date(now).toISOString() */
  readonly nowIso?: string;
  /**
   * How far past `now` a message's timestamp may be, in ms: a message further
   * ahead is refused (`future_timestamp`), since it would outrank every real
   * message after it and freeze the connection. @default 300000 (5 minutes)
   */
  readonly maxFutureSkewMs?: number;
}

/**
 * Rank of each status among messages with the same millisecond, so a start
 * sorts before its end. Keys are `timestampMs * 8 + rank` (safe integers until year 287396).
 */
const RANK: Record<string, number> = {
  sync_started: 0,
  'verification:failed': 1,
  'verification:success': 2,
  sync_failed: 3,
  sync_completed: 4,
};

/** The ordering key of a timestamped message, or `null` for one without a timestamp. */
export function messageKey(message: StatusMessage): number | null {
  if (message.timestampMs === null) return null;
  const rank = message.kind === 'sync' ? RANK[message.status] : RANK[`verification:${message.status}`];
  return message.timestampMs * 8 + (rank ?? 0);
}

/**
 * The status transitions as a pure function: the next connection and
 * the `data_source_update` event to publish, or why nothing changes.
 *
 * - `sync_started` -> `status: syncing`
 * - `sync_completed` -> `idle`, `lastSyncStatus: completed`, `lastSyncAt`, error cleared
 * - `sync_failed` -> `idle`, `lastSyncStatus: failed`, `lastSyncError`, `lastSyncAt`
 * - verification `success` -> `idle`, `latestOptions`, `lastVerificationAt`, error cleared
 * - verification `failed` -> `idle`, `lastVerificationError`, `lastVerificationAt`
 *
 * Ordering: a timestamped message's key is its timestamp (ms) with a rank
 * breaking same-millisecond ties (start < verification < end). The connection
 * keeps the newest key applied to each field group in `messageClock`
 * (`status`, `sync`, `verification`, `options`), and a message only writes
 * the groups whose key it beats. So each group is last-writer-wins by key: a replayed
 * message (equal key) is a `duplicate`, an older one `stale`, and any
 * shuffled, duplicated delivery of a set of timestamped messages ends in the
 * same state as delivery in order. Host actions (verify, sync) never move the
 * clock, so host and broker clocks are compared only to refuse a timestamp
 * more than `maxFutureSkewMs` ahead (`rejected`, `future_timestamp`).
 *
 * Messages without a timestamp (the verification webhook's and older shapes)
 * cannot be ordered: they apply in arrival order, and one whose effect the
 * connection already shows is a `duplicate`, so applying it twice changes
 * nothing. Two different messages with the same key: the first applied wins.
 */
export function applyStatusMessage(connection: ConnectionRecord, message: StatusMessage, options: ApplyOptions): ApplyResult {
  if (message.connectionId !== connection.id && canonicalId(message.connectionId) !== canonicalId(connection.id)) {
    return { outcome: 'rejected', reason: 'connection_mismatch', detail: `message is for connection ${message.connectionId}, not ${connection.id}` };
  }
  if (message.organizationId !== connection.organizationId && canonicalId(message.organizationId) !== canonicalId(connection.organizationId)) {
    return { outcome: 'rejected', reason: 'tenant_mismatch', detail: `tenant ${message.organizationId} does not own connection ${connection.id}` };
  }
  if (connection.deletedAt !== null) return { outcome: 'ignored', reason: 'deleted', detail: `connection ${connection.id} is deleted` };
  const skew = options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  if (message.timestampMs !== null && message.timestampMs - options.now > skew) {
    return { outcome: 'rejected', reason: 'future_timestamp', detail: `timestamp ${message.timestamp} is more than ${skew} ms ahead of this consumer's clock` };
  }

  const key = messageKey(message);
  const clock = connection.messageClock;
  // The registers this message writes: every message sets `status`; results set their group; only
  // successful verifications set the options. Plain booleans: this is the consumer's hot path.
  const isSync = message.kind === 'sync';
  const hasSync = isSync && message.status !== 'sync_started';
  const hasVerification = !isSync;
  const hasOptions = !isSync && message.status === 'success';
  const wStatus = beats(key, clock.status);
  const wSync = hasSync && beats(key, clock.sync);
  const wVerification = hasVerification && beats(key, clock.verification);
  const wOptions = hasOptions && beats(key, clock.options);
  if (!wStatus && !wSync && !wVerification && !wOptions) {
    // Keys are unique per message, so a register holding this key means the message was seen.
    const seen = clock.status === key || (hasSync && clock.sync === key) || (hasVerification && clock.verification === key) || (hasOptions && clock.options === key);
    return seen
      ? { outcome: 'ignored', reason: 'duplicate', detail: `message ${describe(message)} was already applied` }
      : { outcome: 'ignored', reason: 'stale', detail: `message ${describe(message)} is older than what connection ${connection.id} reflects` };
  }

  let next: Mutable<ConnectionRecord> = { ...connection };
  if (wStatus) next.status = isSync && message.status === 'sync_started' ? 'syncing' : 'idle';
  if (message.kind === 'sync') {
    if (wSync) {
      next.lastSyncStatus = message.status === 'sync_completed' ? 'completed' : 'failed';
      next.lastSyncAt = isoTime(message, options);
      next.lastSyncError = message.status === 'sync_completed' ? null : (message.error ?? 'Sync failed');
    }
  } else {
    if (wVerification) {
      next.lastVerificationAt = isoTime(message, options);
      next.lastVerificationError = message.status === 'success' ? null : (message.error ?? 'Verification failed');
    }
    if (wOptions) next.latestOptions = message.options;
  }

  if (key === null) {
    // Unordered: a message whose effect is already there (its timestamps aside) is a replay.
    if (sameEffect(connection, next)) return { outcome: 'ignored', reason: 'duplicate', detail: `connection ${connection.id} already reflects ${describe(message)}` };
  } else {
    next.messageClock = {
      status: wStatus ? key : clock.status,
      sync: wSync ? key : clock.sync,
      verification: wVerification ? key : clock.verification,
      options: wOptions ? key : clock.options,
    };
  }
  next.version = connection.version + 1;
  next.updatedAt = options.nowIso ?? new Date(options.now).toISOString();
  next = next as ConnectionRecord;
  const trigger: UpdateTrigger = message.kind === 'sync' ? message.status : message.status === 'success' ? 'verification_success' : 'verification_failed';
  const docs = message.kind === 'sync' && wSync && message.documentsProcessed !== null ? message.documentsProcessed : undefined;
  return { outcome: 'applied', connection: next, event: updateFor(next, trigger, next.updatedAt, docs) };
}

/** Whether a message with `key` may overwrite a register last written at `register` (unordered messages always may). */
function beats(key: number | null, register: number | null): boolean {
  return key === null || register === null || key > register;
}

/** When the message says it happened (canonical ISO 8601), or `now` for messages without a time. */
function isoTime(message: StatusMessage, options: ApplyOptions): string {
  const ts = message.timestamp;
  if (ts === null || message.timestampMs === null) return options.nowIso ?? new Date(options.now).toISOString();
  // Already canonical (what toISOString gives): skip re-formatting on the hot path.
  return ts.length === 24 && ts.charCodeAt(23) === 90 /* Z */ && ts.charCodeAt(10) === 84 /* T */ ? ts : new Date(message.timestampMs).toISOString();
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sameEffect(a: ConnectionRecord, b: ConnectionRecord): boolean {
  return (
    a.status === b.status &&
    a.lastSyncStatus === b.lastSyncStatus &&
    a.lastSyncError === b.lastSyncError &&
    a.lastVerificationError === b.lastVerificationError &&
    sameOptions(a.latestOptions, b.latestOptions) &&
    // A message that never set a time before (first verification) is new even if the rest matches.
    (a.lastSyncAt === null) === (b.lastSyncAt === null) &&
    (a.lastVerificationAt === null) === (b.lastVerificationAt === null)
  );
}

function sameOptions(a: ConnectionRecord['latestOptions'], b: ConnectionRecord['latestOptions']): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (!x || !y || x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

function describe(message: StatusMessage): string {
  return `${message.kind}/${message.status}${message.timestamp ? ` at ${message.timestamp}` : ''}`;
}
