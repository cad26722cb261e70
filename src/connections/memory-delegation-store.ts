import type { DelegationRecord, DelegationStore } from './ports.js';

/** The default {@link DelegationStore}: a map in process memory, organization-scoped. */
export class MemoryDelegationStore implements DelegationStore {
  private readonly rows = new Map<string, DelegationRecord>();

  async get(organizationId: string, id: string): Promise<DelegationRecord | undefined> {
    const row = this.rows.get(id);
    return row && row.organizationId === organizationId ? row : undefined;
  }

  async list(organizationId: string, filter: { readonly itsmSystemType?: DelegationRecord['itsmSystemType'] | undefined } = {}): Promise<DelegationRecord[]> {
    return [...this.rows.values()].filter(
      (r) => r.organizationId === organizationId && (filter.itsmSystemType === undefined || r.itsmSystemType === filter.itsmSystemType),
    );
  }

  async insert(record: DelegationRecord): Promise<void> {
    this.rows.set(record.id, record);
  }

  async update(record: DelegationRecord): Promise<boolean> {
    const current = this.rows.get(record.id);
    if (!current || current.organizationId !== record.organizationId) return false;
    this.rows.set(record.id, record);
    return true;
  }
}
