import { type ConnectionRecord, type DataSourceType, type NewConnection, newConnectionRecord } from '../../src/index.js';

/** The state the scale-out and replay tests compare (bookkeeping such as `version` and `updatedAt` left out). */
export type ComparableState = Pick<
  ConnectionRecord,
  'id' | 'status' | 'lastSyncStatus' | 'lastSyncAt' | 'lastSyncError' | 'lastVerificationAt' | 'lastVerificationError' | 'latestOptions' | 'messageClock'
>;

export function comparable(record: ConnectionRecord): ComparableState {
  const { id, status, lastSyncStatus, lastSyncAt, lastSyncError, lastVerificationAt, lastVerificationError, latestOptions, messageClock } = record;
  return { id, status, lastSyncStatus, lastSyncAt, lastSyncError, lastVerificationAt, lastVerificationError, latestOptions, messageClock };
}

/** A seeded PRNG (mulberry32), so every run publishes the same stream. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A unique lower-case suffix for schema and queue names of one run. */
export function runId(): string {
  return `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A new connection row with fresh ids (override anything). */
export function newConnection(overrides: Partial<NewConnection> = {}): NewConnection {
  const fresh = newConnectionRecord({
    id: crypto.randomUUID(),
    organizationId: crypto.randomUUID(),
    type: 'confluence',
    name: 'Confluence',
    enabled: true,
    createdBy: crypto.randomUUID(),
    at: '2025-01-01T00:00:00.000Z',
  });
  return { ...fresh, ...overrides };
}

const TYPES: readonly DataSourceType[] = ['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'jira'];

/** `count` connections, five types per organization (so every (organization, type) is unique). */
export function connectionSet(count: number): NewConnection[] {
  const out: NewConnection[] = [];
  let org = crypto.randomUUID();
  for (let i = 0; i < count; i++) {
    if (i % TYPES.length === 0) org = crypto.randomUUID();
    const type = TYPES[i % TYPES.length] ?? 'confluence';
    out.push(newConnection({ organizationId: org, type, name: type, createdAt: new Date(Date.UTC(2025, 0, 1) + i).toISOString() }));
  }
  return out;
}

/**
 * A stream of unified status messages over `connections`: `distinct` messages
 * with unique timestamps per connection (sync start/complete/fail,
 * verification success with options or failure), then `duplicates` replays
 * of random ones, all shuffled. Seeded: the same arguments give the same stream.
 */
export function statusStream(connections: readonly NewConnection[], distinct: number, duplicates: number, seed = 42): object[] {
  const random = prng(seed);
  const base = Date.UTC(2025, 9, 1);
  const messages: object[] = [];
  for (let i = 0; i < distinct; i++) {
    const c = connections[i % connections.length];
    if (!c) continue;
    // Unique per connection: message i of a connection is at base + (i / connections) seconds plus a jitter under a second.
    const timestamp = new Date(base + Math.floor(i / connections.length) * 1000 + Math.floor(random() * 999)).toISOString();
    const pick = Math.floor(random() * 5);
    const common = { connection_id: c.id, tenant_id: c.organizationId, timestamp };
    messages.push(
      pick === 0
        ? { type: 'sync', ...common, status: 'sync_started' }
        : pick === 1
          ? { type: 'sync', ...common, status: 'sync_completed', documents_processed: Math.floor(random() * 500) }
          : pick === 2
            ? { type: 'sync', ...common, status: 'sync_failed', error: `Timeout after ${Math.floor(random() * 60)}s` }
            : pick === 3
              ? { type: 'verification', ...common, status: 'success', options: { spaces: `ENG,OPS${Math.floor(random() * 9)}` } }
              : { type: 'verification', ...common, status: 'failed', error: 'Invalid API token' },
    );
  }
  for (let d = 0; d < duplicates; d++) {
    const m = messages[Math.floor(random() * distinct)];
    if (m) messages.push(m);
  }
  for (let i = messages.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [messages[i], messages[j]] = [messages[j] as object, messages[i] as object];
  }
  return messages;
}

/** The PostgreSQL and RabbitMQ URLs scripts/test.mjs sets when the servers answer. */
export const PG_URL = process.env['ITSMKIT_TEST_PG_URL'];
export const AMQP_URL = process.env['ITSMKIT_TEST_AMQP_URL'];

/** Polls `check` until it holds; throws naming `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
