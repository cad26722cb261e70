import { type ConnectionRecord, type DataSourceUpdate, type MessageClock, type UpdateTrigger, updateFor } from './connection.js';
import type { StatusMessage } from './status-message.js';

/** Why a message changed nothing. */
export type IgnoreReason = 'duplicate' | 'stale' | 'deleted';

/** Why a message was refused. */
export type RejectReason = 'tenant_mismatch' | 'connection_mismatch';

/** The outcome of {@link applyStatusMessage}. */
export type ApplyResult =
  | { readonly outcome: 'applied'; readonly connection: ConnectionRecord; readonly event: DataSourceUpdate }
  | { readonly outcome: 'ignored'; readonly reason: IgnoreReason; readonly detail: string }
  | { readonly outcome: 'rejected'; readonly reason: RejectReason; readonly detail: string };

/** Options of {@link applyStatusMessage}. */
export interface ApplyOptions {
  /** The current time in epoch ms: stamps `updatedAt`, and `*_at` fields of messages without a timestamp. */
  readonly now: number;
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
 * Seed 002's state transitions as a pure function: the next connection and
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
 * clock, so host and broker clocks are never compared.
 *
 * Messages without a timestamp (the seed's verification and older shapes)
 * cannot be ordered: they apply in arrival order, and one whose effect the
 * connection already shows is a `duplicate`, so applying it twice changes
 * nothing. Two different messages with the same key: the first applied wins.
 */
export function applyStatusMessage(connection: ConnectionRecord, message: StatusMessage, options: ApplyOptions): ApplyResult {
  if (message.connectionId !== connection.id) {
    return { outcome: 'rejected', reason: 'connection_mismatch', detail: `message is for connection ${message.connectionId}, not ${connection.id}` };
  }
  if (message.organizationId !== connection.organizationId) {
    return { outcome: 'rejected', reason: 'tenant_mismatch', detail: `tenant ${message.organizationId} does not own connection ${connection.id}` };
  }
  if (connection.deletedAt !== null) return { outcome: 'ignored', reason: 'deleted', detail: `connection ${connection.id} is deleted` };

  const key = messageKey(message);
  const at = message.timestamp !== null && message.timestampMs !== null ? new Date(message.timestampMs).toISOString() : new Date(options.now).toISOString();
  const clock = connection.messageClock;
  // The registers this message writes: every message sets `status`; results set their group; only
  // successful verifications set the options.
  const registers: (keyof MessageClock)[] = ['status'];
  if (message.kind === 'sync' && message.status !== 'sync_started') registers.push('sync');
  if (message.kind === 'verification') registers.push('verification');
  if (message.kind === 'verification' && message.status === 'success') registers.push('options');
  const writes = key === null ? registers : registers.filter((r) => clock[r] === null || key > (clock[r] as number));
  if (key !== null && writes.length === 0) {
    // Keys are unique per message, so a register holding this key means the message was seen.
    return registers.some((r) => clock[r] === key)
      ? { outcome: 'ignored', reason: 'duplicate', detail: `message ${describe(message)} was already applied` }
      : { outcome: 'ignored', reason: 'stale', detail: `message ${describe(message)} is older than what connection ${connection.id} reflects` };
  }

  let next: Mutable<ConnectionRecord> = { ...connection };
  if (writes.includes('status')) next.status = message.kind === 'sync' && message.status === 'sync_started' ? 'syncing' : 'idle';
  if (message.kind === 'sync' && writes.includes('sync')) {
    next.lastSyncStatus = message.status === 'sync_completed' ? 'completed' : 'failed';
    next.lastSyncAt = at;
    next.lastSyncError = message.status === 'sync_completed' ? null : (message.error ?? 'Sync failed');
  }
  if (message.kind === 'verification') {
    if (writes.includes('verification')) {
      next.lastVerificationAt = at;
      next.lastVerificationError = message.status === 'success' ? null : (message.error ?? 'Verification failed');
    }
    if (writes.includes('options')) next.latestOptions = message.options;
  }

  if (key === null) {
    // Unordered: a message whose effect is already there (its timestamps aside) is a replay.
    if (sameEffect(connection, next)) return { outcome: 'ignored', reason: 'duplicate', detail: `connection ${connection.id} already reflects ${describe(message)}` };
  } else {
    const nextClock: Mutable<MessageClock> = { ...clock };
    for (const r of writes) nextClock[r] = key;
    next.messageClock = nextClock;
  }
  next.version = connection.version + 1;
  next.updatedAt = new Date(options.now).toISOString();
  next = next as ConnectionRecord;
  const trigger: UpdateTrigger = message.kind === 'sync' ? message.status : message.status === 'success' ? 'verification_success' : 'verification_failed';
  const docs = message.kind === 'sync' && writes.includes('sync') && message.documentsProcessed !== null ? message.documentsProcessed : undefined;
  return { outcome: 'applied', connection: next, event: updateFor(next, trigger, next.updatedAt, docs) };
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
