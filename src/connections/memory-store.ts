import { ItsmError } from '../core/errors.js';
import type { ConnectionRecord } from './connection.js';
import { assertNoCredentials } from './credential-issues.js';
import type { ConnectionFilter, ConnectionStore, InsertResult, NewConnection, StoreUpdateResult } from './ports.js';

/**
 * The default {@link ConnectionStore}: a map in process memory with the same
 * rules as the SQL one (organization scope, soft deletes hidden, one live row
 * per organization and type, optimistic concurrency on `version`).
 */
export class MemoryConnectionStore implements ConnectionStore {
  private readonly rows = new Map<string, ConnectionRecord>();

  async get(organizationId: string, id: string): Promise<ConnectionRecord | undefined> {
    const row = this.rows.get(id);
    return row && row.organizationId === organizationId && row.deletedAt === null ? row : undefined;
  }

  async list(organizationId: string, filter: ConnectionFilter = {}): Promise<ConnectionRecord[]> {
    const out: ConnectionRecord[] = [];
    for (const row of this.rows.values()) {
      if (row.organizationId !== organizationId || row.deletedAt !== null) continue;
      if (filter.status !== undefined && row.status !== filter.status) continue;
      if (filter.type !== undefined && row.type !== filter.type) continue;
      if (filter.enabled !== undefined && row.enabled !== filter.enabled) continue;
      out.push(row);
    }
    return out;
  }

  async insert(connection: NewConnection): Promise<InsertResult> {
    assertNoCredentials(connection, 'insert');
    for (const row of this.rows.values()) {
      if (row.organizationId === connection.organizationId && row.type === connection.type && row.deletedAt === null) {
        return { created: false, connection: row };
      }
    }
    if (this.rows.has(connection.id)) throw new ItsmError(`Connection id ${connection.id} already exists`);
    const row: ConnectionRecord = { ...connection, version: 1 };
    this.rows.set(row.id, row);
    return { created: true, connection: row };
  }

  async update(next: ConnectionRecord, expectedVersion: number): Promise<StoreUpdateResult> {
    assertNoCredentials(next, 'update');
    const current = this.rows.get(next.id);
    if (!current || current.organizationId !== next.organizationId || current.deletedAt !== null) return { ok: false, reason: 'not_found' };
    if (current.version !== expectedVersion) return { ok: false, reason: 'conflict' };
    const row: ConnectionRecord = next.version === expectedVersion + 1 ? next : { ...next, version: expectedVersion + 1 };
    this.rows.set(row.id, row);
    return { ok: true, connection: row };
  }
}
