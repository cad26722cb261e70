// What src/adapters/memory offers the other folders of src/: they import from this file only
// (eslint.config.js, "Layers"). Not a package entry: the public surface is src/index.ts.
export { MemoryAuditLog } from './audit-log.js';
export { MemoryConnectionStore } from './connection-store.js';
export { MemoryDelegationStore } from './delegation-store.js';
export { MemoryMessageSource } from './message-source.js';
