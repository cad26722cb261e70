import { canonicalId, type DelegationRecord, type DelegationStatus, type DelegationStore } from '../../connections/index.js';
import { ItsmError } from '../../core/index.js';

/** A {@link DelegationStore} in process memory, organization-scoped, with the SQL store's rules. */
export class MemoryDelegationStore implements DelegationStore {
  private readonly rows = new Map<string, DelegationRecord>();

  async get(organizationId: string, id: string): Promise<DelegationRecord | undefined> {
    const row = this.rows.get(canonicalId(id));
    return row && row.organizationId === canonicalId(organizationId) ? row : undefined;
  }

  async list(organizationId: string, filter: { readonly itsmSystemType?: DelegationRecord['itsmSystemType'] | undefined } = {}): Promise<DelegationRecord[]> {
    const org = canonicalId(organizationId);
    return [...this.rows.values()]
      .filter((r) => r.organizationId === org && (filter.itsmSystemType === undefined || r.itsmSystemType === filter.itsmSystemType))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async findByTokenHash(tokenHash: string): Promise<DelegationRecord | undefined> {
    for (const row of this.rows.values()) if (row.tokenHash === tokenHash) return row;
    return undefined;
  }

  async insert(record: DelegationRecord): Promise<void> {
    const row = canonical(record);
    if (this.rows.has(row.id)) throw new ItsmError(`Delegation id ${row.id} already exists`);
    for (const other of this.rows.values()) if (other.tokenHash === row.tokenHash) throw new ItsmError(`Delegation ${row.id} reuses another delegation's token`);
    this.rows.set(row.id, row);
  }

  async update(record: DelegationRecord, expectedStatus?: DelegationStatus): Promise<boolean> {
    const current = this.rows.get(canonicalId(record.id));
    if (!current || current.organizationId !== canonicalId(record.organizationId)) return false;
    if (expectedStatus !== undefined && current.status !== expectedStatus) return false;
    this.rows.set(current.id, { ...current, status: record.status, revokedAt: record.revokedAt, usedAt: record.usedAt });
    return true;
  }
}

function canonical(r: DelegationRecord): DelegationRecord {
  return {
    ...r,
    id: canonicalId(r.id),
    organizationId: canonicalId(r.organizationId),
    connectionId: r.connectionId === null ? null : canonicalId(r.connectionId),
    createdBy: canonicalId(r.createdBy),
  };
}
