import { type AuditEntry, type AuditLog, canonicalId } from '../../connections/index.js';

/** An {@link AuditLog} in process memory (tests, the sandbox), with the SQL log's rules. */
export class MemoryAuditLog implements AuditLog {
  /** Every entry recorded, in recording order. */
  readonly entries: AuditEntry[] = [];
  private readonly ids = new Set<string>();

  async record(entry: AuditEntry): Promise<void> {
    if (entry.id !== undefined) {
      if (this.ids.has(entry.id)) return;
      this.ids.add(entry.id);
    }
    this.entries.push({
      ...entry,
      organizationId: canonicalId(entry.organizationId),
      actorId: canonicalId(entry.actorId),
      ...(entry.connectionId === undefined ? {} : { connectionId: canonicalId(entry.connectionId) }),
    });
  }

  /** An organization's entries, oldest first (by `at`, then in recording order). */
  async list(organizationId: string): Promise<AuditEntry[]> {
    const org = canonicalId(organizationId);
    return this.entries.filter((e) => e.organizationId === org).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}
