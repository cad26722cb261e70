import { MemoryAuditLog, MemoryConnectionStore, MemoryDelegationStore, MemoryIdempotencyStore } from '../../../src/index.js';
import { auditLogContract } from '../contract/audit-log.js';
import { connectionStoreContract } from '../contract/connection-store.js';
import { delegationStoreContract } from '../contract/delegation-store.js';
import { idempotencyStoreContract } from '../contract/idempotency-store.js';

const nothing = async (): Promise<void> => {};

connectionStoreContract('memory', async () => ({ store: new MemoryConnectionStore(), dispose: nothing }));
delegationStoreContract('memory', async () => ({ store: new MemoryDelegationStore(), connection: async () => crypto.randomUUID(), dispose: nothing }));
auditLogContract('memory', async () => {
  const audit = new MemoryAuditLog();
  return { audit, list: (organizationId) => audit.list(organizationId), dispose: nothing };
});
idempotencyStoreContract('memory', async () => ({ store: new MemoryIdempotencyStore(), dispose: nothing }));
