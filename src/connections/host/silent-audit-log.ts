import type { AuditLog } from '../ports.js';

/** An {@link AuditLog} that discards everything: the default of the host services. */
export const silentAuditLog: AuditLog = { record: async () => {} };
