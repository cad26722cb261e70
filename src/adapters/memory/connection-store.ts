import {
  canonicalId,
  type ConnectionFilter,
  type ConnectionRecord,
  type ConnectionStore,
  type InsertResult,
  type NewConnection,
  type StoreUpdateResult,
} from '../../connections/index.js';
import { ItsmError } from '../../core/index.js';

/**
 * A {@link ConnectionStore} in process memory (tests, the sandbox, a single
 * process that may forget on restart), with the same rules as the SQL one:
 * organization scope, soft deletes hidden, one live row per organization and
 * type, optimistic concurrency on `version`, UUIDs kept in lower case.
 */
export class MemoryConnectionStore implements ConnectionStore {
  private readonly rows = new Map<string, ConnectionRecord>();

  async get(organizationId: string, id: string): Promise<ConnectionRecord | undefined> {
    const row = this.rows.get(canonicalId(id));
    return row && row.organizationId === canonicalId(organizationId) && row.deletedAt === null ? row : undefined;
  }

  async list(organizationId: string, filter: ConnectionFilter = {}): Promise<ConnectionRecord[]> {
    const org = canonicalId(organizationId);
    const out: ConnectionRecord[] = [];
    for (const row of this.rows.values()) {
      if (row.organizationId !== org || row.deletedAt !== null) continue;
      if (filter.status !== undefined && row.status !== filter.status) continue;
      if (filter.type !== undefined && row.type !== filter.type) continue;
      if (filter.enabled !== undefined && row.enabled !== filter.enabled) continue;
      out.push(row);
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async insert(connection: NewConnection): Promise<InsertResult> {
    const row: ConnectionRecord = { ...canonical(connection), version: 1 };
    for (const live of this.rows.values()) {
      if (live.organizationId === row.organizationId && live.type === row.type && live.deletedAt === null) return { created: false, connection: live };
    }
    if (this.rows.has(row.id)) throw new ItsmError(`Connection id ${row.id} already exists`);
    this.rows.set(row.id, row);
    return { created: true, connection: row };
  }

  async update(next: ConnectionRecord, expectedVersion: number): Promise<StoreUpdateResult> {
    const given = canonical(next);
    const row: ConnectionRecord = given.version === expectedVersion + 1 ? given : { ...given, version: expectedVersion + 1 };
    const current = this.rows.get(row.id);
    if (!current || current.organizationId !== row.organizationId || current.deletedAt !== null) return { ok: false, reason: 'not_found' };
    if (current.version !== expectedVersion) return { ok: false, reason: 'conflict' };
    this.rows.set(row.id, row);
    return { ok: true, connection: row };
  }
}

function canonical<T extends NewConnection>(c: T): T {
  const [id, organizationId, createdBy, updatedBy] = [canonicalId(c.id), canonicalId(c.organizationId), canonicalId(c.createdBy), canonicalId(c.updatedBy)];
  return id === c.id && organizationId === c.organizationId && createdBy === c.createdBy && updatedBy === c.updatedBy ? c : { ...c, id, organizationId, createdBy, updatedBy };
}
