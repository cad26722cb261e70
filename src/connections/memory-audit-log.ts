import type { AuditEntry, AuditLog } from './ports.js';

/** An {@link AuditLog} that keeps entries in memory (tests, the sandbox). */
export class MemoryAuditLog implements AuditLog {
  /** Every entry recorded, oldest first. */
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }
}

/** An {@link AuditLog} that discards everything: the default. */
export const silentAuditLog: AuditLog = { record: async () => {} };
